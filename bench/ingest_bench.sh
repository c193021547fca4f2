#!/usr/bin/env bash
# ingest_bench.sh [EKG] [CORPUS] — `ekg ingest -j 1` and `-j 2` of a corpus
# (default /work/shared/corpus/whitehouse: press releases, ~7k documents)
# into a fresh BDB store: documents/s, MB/s, peak RSS.
#
# Env: RUNS (3; a whole-corpus ingest takes minutes), JOBS ("1 2"),
#      BENCH_DIR (/tmp/ekg-bench).
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
done
q=$("$EKG" --store "$DIR/ingest.db" stats 2>/dev/null | awk '/^quads/ {print $2}')
echo "  store after ingest: $q quads"
