#!/bin/sh
# extract_throughput.sh — extraction throughput without a store, on one core.
#
# usage: bench/extract_throughput.sh [EXTRACTOR] [CORPUS_DIR]
#   EXTRACTOR  a binary taking `ekg extract` arguments (default: build*/ekg-extract,
#              else `ekg extract`)
#   CORPUS_DIR default ../shared/corpus/whitehouse
#
# Runs every file of the corpus through one extractor process (reader, ICU
# segmentation, recognition, dates, events, triples; `--format summary` so
# that printing N-Quads is not what is measured), pinned to one CPU, and
# prints MB/s of input over CPU time (user+sys) and over wall time. As a
# peer it times `wc -w` over the same files (a lower bound for any reader)
# and `serdi` parsing the same bytes' size of N-Triples is not comparable, so
# the ratio printed is extraction time / `wc -w` time.
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
list=$(mktemp)
trap 'rm -f "$list"' EXIT
find "$corpus" -type f \( -name '*.md' -o -name '*.txt' -o -name '*.html' -o -name '*.xml' \) | sort > "$list"
files=$(wc -l < "$list")
bytes=$(tr '\n' '\0' < "$list" | xargs -0 cat | wc -c)
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
t0=$(date +%s.%N)
# shellcheck disable=SC2086
/usr/bin/time -f "%U %S" -o /tmp/ekg-bench.$$ sh -c "tr '\n' '\0' < '$list' | xargs -0 $pin '$bin' --format summary > /dev/null"
t1=$(date +%s.%N)
cpu=$(awk '{print $1 + $2}' /tmp/ekg-bench.$$)
w0=$(date +%s.%N)
/usr/bin/time -f "%U %S" -o /tmp/ekg-bench.$$ sh -c "tr '\n' '\0' < '$list' | xargs -0 cat | $pin wc -w > /dev/null"
w1=$(date +%s.%N)
wcpu=$(awk '{print $1 + $2}' /tmp/ekg-bench.$$)
rm -f /tmp/ekg-bench.$$
awk -v b="$bytes" -v f="$files" -v c="$cpu" -v t0="$t0" -v t1="$t1" -v wc="$wcpu" -v w0="$w0" -v w1="$w1" 'BEGIN {
  mb = b / 1e6; wall = t1 - t0; if (c < 0.01) c = 0.01; if (wc < 0.01) wc = 0.01;
  printf "corpus: %d files, %.1f MB\n", f, mb;
  printf "extract: %.2f s CPU, %.2f s wall  ->  %.1f MB/s (CPU), %.1f MB/s (wall)\n", c, wall, mb / c, mb / wall;
  printf "peer wc -w: %.2f s CPU -> %.1f MB/s; extract/wc time ratio %.1f\n", wc, mb / wc, c / wc;
}'
