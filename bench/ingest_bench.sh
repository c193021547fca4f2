#!/usr/bin/env bash
# ingest_bench.sh [EKG] [CORPUS] — `ekg ingest -j 1` and `-j 2` of a corpus
# (default /work/shared/corpus/whitehouse: press releases, ~7k documents)
# into a fresh BDB store: documents/s, MB/s, peak RSS.
#
# Then the corpus repeated X10 times (default 10; 0 to skip) into one fresh
# store: each copy under its own directory with a line "Copy K of the corpus."
# appended to every file, so every copy is a distinct document (ekg names a
# document by its content); the time per copy shows how the cost grows.
#
# Env: RUNS (3; a whole-corpus ingest takes minutes), JOBS ("1 2"),
#      BENCH_DIR (/tmp/ekg-bench), X10 (10), X10_JOBS (2), EKG_BASE=binary
#      to run another ekg build beside EKG.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
EKG=${1:-${EKG:-$SRC/build/ekg}}
CORPUS=${2:-${CORPUS:-$SRC/../shared/corpus/whitehouse}}
RUNS=${RUNS:-3}
DIR=${BENCH_DIR:-/tmp/ekg-bench}
export EKG_ONTOLOGY=$SRC/ontology
source "$HERE/bench_lib.sh"
mkdir -p "$DIR"
bench_machine
echo "ekg:     $EKG"
[ -d "$CORPUS" ] || { echo "no corpus at $CORPUS"; exit 1; }
docs=$(find "$CORPUS" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' -o -name '*.htm' -o -name '*.xml' \) | wc -l)
mb=$(find "$CORPUS" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.html' -o -name '*.htm' -o -name '*.xml' \) -printf '%s\n' | awk '{s += $1} END {printf "%.1f", s / 1048576}')
echo
echo "== ingest of $CORPUS: $docs documents, $mb MB"
if ! "$EKG" ingest --help >/dev/null 2>&1; then
    echo "  ekg ingest: not available in this build; not tried"
    exit 0
fi
base=
for j in ${JOBS:-1 2}; do
    measure "ekg ingest -j $j" "$RUNS" "rm -rf '$DIR/ingest.db'" "$EKG" -q --store "$DIR/ingest.db" ingest -j "$j" "$CORPUS"
    echo "      $(rate "$docs" "$M_WALL") docs/s, $(awk -v m="$mb" -v s="$M_WALL" 'BEGIN{printf "%.2f", m/s}') MB/s${base:+, speed-up over -j 1: $(ratio "$base" "$M_WALL")}"
    [ -n "$base" ] || base=$M_WALL
    one=$M_WALL
    if [ -n "${EKG_BASE:-}" ]; then
        measure "ekg ingest -j $j, $EKG_BASE" "$RUNS" "rm -rf '$DIR/ingest-base.db'" "$EKG_BASE" -q --store "$DIR/ingest-base.db" ingest -j "$j" "$CORPUS"
        echo "      $(rate "$docs" "$M_WALL") docs/s, $(awk -v m="$mb" -v s="$M_WALL" 'BEGIN{printf "%.2f", m/s}') MB/s; ekg/base time ratio $(ratio "$one" "$M_WALL")"
        rm -rf "$DIR/ingest-base.db"
    fi
done
q=$("$EKG" --store "$DIR/ingest.db" stats 2>/dev/null | awk '/^quads/ {print $2}')
echo "  store after ingest: $q quads, $(du -sm "$DIR/ingest.db" | cut -f1) MB on disk"
measure "ekg ingest again (all unchanged)" 1 "" "$EKG" -q --store "$DIR/ingest.db" ingest -j "${X10_JOBS:-2}" "$CORPUS"

x=${X10:-10}
if [ "$x" -gt 1 ]; then
    big=$DIR/corpus-x$x
    if [ ! -f "$big/.complete" ]; then
        rm -rf "$big"
        python3 - "$CORPUS" "$big" "$x" <<'PY' || exit 1
import os, sys
src, dst, x = sys.argv[1], sys.argv[2], int(sys.argv[3])
ext = (".txt", ".md", ".html", ".htm", ".xml")
for k in range(1, x + 1):
    for root, _, files in os.walk(src):
        for f in files:
            if not f.endswith(ext):
                continue
            out = os.path.join(dst, "copy-%d" % k, os.path.relpath(root, src))
            os.makedirs(out, exist_ok=True)
            with open(os.path.join(root, f), "rb") as i, open(os.path.join(out, f), "wb") as o:
                o.write(i.read() + b"\n\nCopy %d of the corpus.\n" % k)
PY
        touch "$big/.complete"
    fi
    echo
    echo "== ingest of the corpus repeated ${x}x: $((docs * x)) documents, one run, -j ${X10_JOBS:-2}"
    measure "ekg ingest, corpus x$x" 1 "rm -rf '$DIR/ingest-x.db'" "$EKG" -q --store "$DIR/ingest-x.db" ingest -j "${X10_JOBS:-2}" "$big"
    xw=$M_WALL
    echo "      $(rate "$((docs * x))" "$xw") docs/s, $(awk -v m="$mb" -v k="$x" -v s="$xw" 'BEGIN{printf "%.2f", m*k/s}') MB/s; time x$x / time x1 (-j ${X10_JOBS:-2}): $(ratio "$xw" "$one") (linear: $x)"
    q=$("$EKG" --store "$DIR/ingest-x.db" stats 2>/dev/null | awk '/^quads/ {print $2}')
    echo "  store after ingest: $q quads, $(du -sm "$DIR/ingest-x.db" | cut -f1) MB on disk"
    rm -rf "$DIR/ingest-x.db"
fi
