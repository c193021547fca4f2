#!/usr/bin/env bash
# export_bench.sh [EKG] — export of a store loaded with generated N-Quads to
# Turtle: `ekg export` (streams per graph through serd, reading the BDB store)
# vs `serdi -i nquads -o turtle` and `rapper -i nquads -o turtle` on the same
# N-Quads file (the peers only parse and write; ekg reads its store). Time and
# peak RSS, ratios.
#
# Env: SIZES (default "1000000"), RUNS (5), BENCH_DIR (/tmp/ekg-bench),
#      RAPPER_MAX (largest size rapper is tried on; default 1000000).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
EKG=${1:-${EKG:-$SRC/build/ekg}}
SIZES=${SIZES:-1000000}
RUNS=${RUNS:-5}
DIR=${BENCH_DIR:-/tmp/ekg-bench}
export EKG_ONTOLOGY=$SRC/ontology
source "$HERE/bench_lib.sh"
mkdir -p "$DIR"
bench_machine
echo "ekg:     $EKG"

for n in $SIZES; do
    nq=$DIR/events-$n.nq
    [ -s "$nq" ] || python3 "$HERE/gen_events.py" "$n" > "$nq"
    db=$DIR/export-$n.db
    if [ ! -d "$db" ]; then
        "$EKG" -q --store "$db" load "$nq" || { echo "load into $db failed" >&2; exit 1; }
    fi
    q=$("$EKG" --store "$db" stats 2>/dev/null | awk '/^quads/ {print $2}')
    echo
    echo "== export to Turtle: $q quads in the store, $(wc -l < "$nq") in the N-Quads file"
    measure "ekg export --format turtle" "$RUNS" "" "$EKG" -q --store "$db" export --format turtle -o /dev/null
    ew=$M_WALL er=$M_RSS
    echo "      $(rate "$q" "$ew") quads/s"
    measure "ekg export --format nquads" "$RUNS" "" "$EKG" -q --store "$db" export --format nquads -o /dev/null
    echo "      $(rate "$q" "$M_WALL") quads/s"
    measure "serdi -i nquads -o turtle" "$RUNS" "" serdi -i nquads -o turtle "$nq"
    echo "      ekg/serdi time ratio $(ratio "$ew" "$M_WALL"), RSS ratio $(ratio "$er" "$M_RSS")"
    if [ "$n" -le "${RAPPER_MAX:-1000000}" ]; then
        measure "rapper -i nquads -o turtle" "$RUNS" "" rapper -q -i nquads -o turtle "$nq"
        echo "      ekg/rapper time ratio $(ratio "$ew" "$M_WALL"), RSS ratio $(ratio "$er" "$M_RSS")"
    else
        echo "  rapper: not tried above RAPPER_MAX=${RAPPER_MAX:-1000000} quads"
    fi
done
