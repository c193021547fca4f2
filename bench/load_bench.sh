#!/usr/bin/env bash
# load_bench.sh [EKG] — bulk load of generated event-shaped N-Quads
# (bench/gen_events.py): `ekg load` into the embedded Berkeley DB store vs
# Oxigraph in memory (npm oxigraph, bench/load_oxigraph.js) vs rdfproc
# (redland-utils) into a hashes/BDB store without contexts; and, when
# virtuoso-t is installed, `ekg load --endpoint` (SPARQL Update) vs
# Virtuoso's bulk loader (ld_dir + rdf_loader_run) into a private instance.
#
# After ekg's runs: the store's size, and the cost of the first write into
# it (a writer copies the committed generation at its first write: `ekg
# ingest` of one document into the loaded store vs into an empty one).
#
# Env: SIZES (quads, default "1000000"; e.g. "1000000 5000000"), RUNS (5),
#      BENCH_DIR (/tmp/ekg-bench), PROFILE=1 to perf-profile one ekg load,
#      PEERS_MAX (largest size the peers are run at; default: all),
#      RDFPROC_MAX (largest size rdfproc is run at; default PEERS_MAX),
#      VIRTUOSO=0 to leave out the Virtuoso runs, EKG_BASE=binary to run
#      another ekg build (e.g. an older commit) beside EKG.
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

if [ ! -d "$HERE/node_modules/oxigraph" ] && command -v npm >/dev/null; then
    (cd "$HERE" && npm install --no-audit --no-fund --silent oxigraph >/dev/null 2>&1)
fi

for n in $SIZES; do
    nq=$DIR/events-$n.nq
    [ -s "$nq" ] || python3 "$HERE/gen_events.py" "$n" > "$nq"
    q=$(wc -l < "$nq")
    echo
    echo "== load of $q quads ($(du -mL "$nq" | cut -f1) MB N-Quads)"
    measure "ekg load (BDB store)" "$RUNS" "rm -rf '$DIR/ekg.db'" "$EKG" -q --store "$DIR/ekg.db" load "$nq"
    ew=$M_WALL er=$M_RSS
    echo "      $(rate "$q" "$ew") quads/s"
    echo "      store: $(du -sm "$DIR/ekg.db" | cut -f1) MB on disk"
    doc=$SRC/examples/en-01-osce-permanent-council.md
    measure "first write into an empty store" 1 "rm -rf '$DIR/empty.db'" "$EKG" -q --store "$DIR/empty.db" ingest "$doc"
    e0=$M_WALL
    measure "first write into the loaded store" 1 "" "$EKG" -q --store "$DIR/ekg.db" ingest "$doc"
    echo "      the copy of the committed generation (and the commit's sync): about $(awk -v a="$M_WALL" -v b="$e0" 'BEGIN{printf "%.1f", a - b}') s"
    rm -rf "$DIR/empty.db"
    if [ -n "${EKG_BASE:-}" ]; then
        measure "ekg load, $EKG_BASE" "$RUNS" "rm -rf '$DIR/base.db'" "$EKG_BASE" -q --store "$DIR/base.db" load "$nq"
        echo "      $(rate "$q" "$M_WALL") quads/s; ekg/base time ratio $(ratio "$ew" "$M_WALL"), RSS ratio $(ratio "$er" "$M_RSS")"
        rm -rf "$DIR/base.db"
    fi
    if [ "$n" -gt "${PEERS_MAX:-$n}" ]; then
        echo "  peers: not run above PEERS_MAX=$PEERS_MAX quads"
        continue
    fi
    if [ -d "$HERE/node_modules/oxigraph" ]; then
        measure "oxigraph (node, in memory)" "$RUNS" "" node "$HERE/load_oxigraph.js" "$nq"
        echo "      $(rate "$q" "$M_WALL") quads/s; ekg/oxigraph time ratio $(ratio "$ew" "$M_WALL"), RSS ratio $(ratio "$er" "$M_RSS")"
    else
        echo "  oxigraph: not tried (npm oxigraph not installed)"
    fi
    if [ "$n" -gt "${RDFPROC_MAX:-${PEERS_MAX:-$n}}" ]; then
        echo "  rdfproc: not run above RDFPROC_MAX=${RDFPROC_MAX:-} quads"
    elif command -v rdfproc >/dev/null; then
        measure "rdfproc hashes/BDB, no contexts" "$RUNS" "rm -rf '$DIR/rp'; mkdir -p '$DIR/rp'" \
            rdfproc -q -n -s hashes -t "hash-type='bdb',dir='$DIR/rp'" ev parse "$nq" nquads
        echo "      $(rate "$q" "$M_WALL") quads/s; ekg/rdfproc time ratio $(ratio "$ew" "$M_WALL"), RSS ratio $(ratio "$er" "$M_RSS")"
    else
        echo "  rdfproc: not tried (apt-get install redland-utils)"
    fi
    if command -v virtuoso-t >/dev/null && [ "${VIRTUOSO:-1}" = 1 ]; then
        source "$SRC/tests/virtuoso/virtuoso_lib.sh"
        trap 'virt_stop' EXIT
        rm -rf "$DIR/virt"
        if virt_start "$DIR/virt"; then
            # one run each: the database grows, and a fresh instance takes ~10 s
            measure "ekg load --endpoint (Virtuoso)" 1 "" "$EKG" -q load --endpoint "$VIRT_URL" "$nq"
            vw=$M_WALL
            echo "      $(rate "$q" "$vw") quads/s (SPARQL Update INSERT DATA, 2000 quads a request)"
            virt_isql "SPARQL CLEAR GRAPH <urn:none>;" >/dev/null
            virt_isql "DELETE FROM DB.DBA.RDF_QUAD WHERE G <> iri_to_id('http://www.openlinksw.com/schemas/virtrdf#');" >/dev/null
            cp "$nq" "$DIR/virt/bulk.nq"
            t0=$(date +%s.%N)
            virt_isql "ld_dir('$DIR/virt', 'bulk.nq', 'urn:ekg:default'); rdf_loader_run(); checkpoint;" >/dev/null
            t1=$(date +%s.%N)
            bw=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
            vq=$("$EKG" sparql --endpoint "$VIRT_URL" 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/ekg/")) }' | sed -n '2s/^"\([0-9]*\)".*/\1/p')
            echo "      bulk loader: $vq quads in ekg graphs afterwards"
            printf '  %-34s %8.2f s (1 run, with checkpoint)\n' "virtuoso bulk loader (ld_dir)" "$bw"
            echo "      $(rate "$q" "$bw") quads/s; ekg --endpoint/bulk loader time ratio $(ratio "$vw" "$bw")"
            virt_stop
        fi
    fi
done

if [ "${PROFILE:-0}" = 1 ] && command -v perf >/dev/null; then
    n=${SIZES%% *}; nq=$DIR/events-$n.nq
    echo
    echo "== where ekg load spends its time ($n quads, perf, by library)"
    rm -rf "$DIR/ekg.db"
    perf record -q -g -o "$DIR/perf.data" "$EKG" -q --store "$DIR/ekg.db" load "$nq" 2>/dev/null
    perf report -i "$DIR/perf.data" --no-children --sort dso -g none --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -12
    echo "-- top symbols"
    perf report -i "$DIR/perf.data" --no-children --sort dso,sym -g none --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -15
fi
