#!/bin/sh
# extract_throughput.sh — extraction throughput without a store, on one core.
#
# usage: bench/extract_throughput.sh [EXTRACTOR] [CORPUS_DIR]
#   EXTRACTOR  a binary taking `ekg extract` arguments (default: build*/ekg-extract,
#              else `ekg extract`)
#   CORPUS_DIR default ../shared/corpus/whitehouse
#
# Runs every file of the corpus through extractor processes (xargs batches;
# reader, ICU segmentation, language guess, recognition, dates, events,
# triples; `--format summary` so that printing N-Quads is not what is
# measured), pinned to one CPU, and prints MB/s of input over CPU time
# (user+sys) and over wall time.
#
# Each process first loads the ontology (the kb automaton, from the cache in
# ~/.cache/ekg once a process has built it); that start-up is timed on its
# own (one tiny document, best of 3) and, multiplied by the number of
# processes xargs ran, taken out for the steady-state figure.
#
# CPU and wall time depend on what else runs on the machine. With
# CALLGRIND=1 the script also counts instructions (valgrind --tool=callgrind,
# repeatable to a few in a million): one process on the tiny document, and
# one on every 23rd file of the corpus, printed as instructions per MB.
#
# Peer, in the same run and over the same bytes: `wc -w` (a lower bound for
# any reader: it only looks for white space); the ratio printed is
# extraction CPU time / `wc -w` CPU time (lower is better).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-}
corpus=${2:-$here/../shared/corpus/whitehouse}
if [ -z "$bin" ]; then
  for b in "$here"/build*/tests/extract/ekg-extract "$here"/build*/ekg-extract; do
    [ -x "$b" ] && bin=$b && break
  done
fi
[ -n "$bin" ] || { echo "no extractor found; pass its path" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
list=$tmp/list
find "$corpus" -type f \( -name '*.md' -o -name '*.txt' -o -name '*.html' -o -name '*.xml' \) | sort > "$list"
files=$(wc -l < "$list")
bytes=$(tr '\n' '\0' < "$list" | xargs -0 cat | wc -c)
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
# processes xargs starts for this list (the same batching as below, give or
# take the few bytes of the command name)
procs=$(tr '\n' '\0' < "$list" | xargs -0 sh -c 'echo $#' sh | wc -l)
# start-up: one process on one short document, best of 3
printf -- '---\ntitle: t\n---\n\nHello.\n' > "$tmp/tiny.md"
startup=
for _ in 1 2 3; do
  /usr/bin/time -f "%U %S" -o "$tmp/t" $pin "$bin" --format summary "$tmp/tiny.md" > /dev/null
  s=$(awk '{print $1 + $2}' "$tmp/t")
  startup=$(awk -v a="${startup:-$s}" -v b="$s" 'BEGIN { print (b < a ? b : a) }')
done
t0=$(date +%s.%N)
# shellcheck disable=SC2086
/usr/bin/time -f "%U %S" -o "$tmp/t" sh -c "tr '\n' '\0' < '$list' | xargs -0 $pin '$bin' --format summary > /dev/null"
t1=$(date +%s.%N)
cpu=$(awk '{print $1 + $2}' "$tmp/t")
/usr/bin/time -f "%U %S" -o "$tmp/t" sh -c "tr '\n' '\0' < '$list' | xargs -0 cat | $pin wc -w > /dev/null"
wcpu=$(awk '{print $1 + $2}' "$tmp/t")
if [ "${CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null 2>&1; then
  awk 'NR % 23 == 0' "$list" > "$tmp/sample"
  sbytes=$(tr '\n' '\0' < "$tmp/sample" | xargs -0 cat | wc -c)
  ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
         awk '/refs:/ { gsub(",", "", $4); print $4 }'; }
  # twice: the first run under valgrind may build the kb and write its cache
  ir "$bin" --format summary "$tmp/tiny.md" > /dev/null
  it=$(ir "$bin" --format summary "$tmp/tiny.md")
  # instructions past each process's start-up, summed over the processes
  is=$(tr '\n' '\0' < "$tmp/sample" | xargs -0 sh -c 'exec valgrind --tool=callgrind --callgrind-out-file=/dev/null "$0" --format summary "$@" 2>&1 >/dev/null' "$bin" |
       awk -v it="$it" '/refs:/ { gsub(",", "", $4); s += $4 - it } END { print s }')
  awk -v it="$it" -v is="$is" -v sb="$sbytes" -v n="$(wc -l < "$tmp/sample")" 'BEGIN {
    printf "callgrind: start-up %.1f M instructions; %d files (%.2f MB): %.0f M instructions per MB of documents\n",
           it / 1e6, n, sb / 1e6, is / (sb / 1e6) / 1e6 }'
fi
awk -v b="$bytes" -v f="$files" -v c="$cpu" -v t0="$t0" -v t1="$t1" -v wc="$wcpu" \
    -v p="$procs" -v s="$startup" 'BEGIN {
  mb = b / 1e6; wall = t1 - t0; if (c < 0.01) c = 0.01; if (wc < 0.01) wc = 0.01;
  steady = c - p * s; if (steady < 0.01) steady = 0.01;
  printf "corpus: %d files, %.1f MB\n", f, mb;
  printf "extract: %.2f s CPU, %.2f s wall  ->  %.1f MB/s (CPU), %.1f MB/s (wall)\n", c, wall, mb / c, mb / wall;
  printf "  start-up (ontology load): %.2f s CPU per process x %d processes; steady state %.1f MB/s (CPU)\n", s, p, mb / steady;
  printf "peer wc -w: %.2f s CPU -> %.1f MB/s; extract/wc CPU time ratio %.1f (steady state %.1f)\n", wc, mb / wc, c / wc, steady / wc;
}'
