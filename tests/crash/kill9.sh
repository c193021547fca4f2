#!/bin/bash
# kill9.sh EKG SRC SHARED [KILLS] — crash safety of `ekg ingest`.
#
# A reference store gets a clean ingest of a corpus (800 White House
# statements from SHARED, else the examples repeated under new names). A
# second store gets the same ingest killed with SIGKILL at random points,
# KILLS times (default 10). After every kill:
#   - the store opens: `ekg stats` exits 0;
#   - every document that has ekg:contentHash (written last) is complete: its
#     named graph equals the reference's graph of that document;
# and while one of the ingests runs, readers (`ekg stats`, `ekg sparql`)
# either answer (exit 0) or say "busy" (exit 1) — or, before a fresh
# store exists, "no store at".
# In the end a rerun finishes the job: the sorted N-Quads export equals the
# reference's.
source "$(dirname "$0")/../e2e/lib.sh"
KILLS=${4:-10}
NFILES=${EKG_KILL9_FILES:-800}
# Commit after every group of 20 documents (ingest's test knobs), so that the
# kills land between many commits of this short ingest.
export EKG_TEST_GROUP_DOCS=20 EKG_TEST_COMMIT_SECONDS=0
# A private copy of the ontology: a change to ontology/ during the run (the
# store reloads it) must not count as a difference.
cp -r "$SRC/ontology" "$WORK/ontology"
export EKG_ONTOLOGY="$WORK/ontology"
EKGNS='https://w3id.org/ekg/ns#'

if "$EKG" ingest --help 2>&1 | grep -q 'not available in this build'; then
    echo "SKIP: ekg ingest has not landed in this build"; exit 77
fi

CORPUS="$WORK/corpus"; mkdir -p "$CORPUS"
if [ -d "$SHARED/corpus/whitehouse" ]; then
    find "$SHARED/corpus/whitehouse" -type f -name '*.md' | sort | head -n "$NFILES" |
        while read -r f; do cp "$f" "$CORPUS/"; done
else
    for i in $(seq 20); do
        for f in "$SRC"/examples/*.{md,txt,html}; do
            [ -f "$f" ] || continue
            b=$(basename "$f"); { cat "$f"; printf '\n\nCopy %d.\n' "$i"; } > "$CORPUS/$i-$b"
        done
    done
fi
ndocs=$(ls "$CORPUS" | wc -l)

# norm: N-Quads with blank node labels blanked, sorted
norm() { sed -E 's/_:[A-Za-z0-9_-]+/_:b/g' | LC_ALL=C sort; }

t0=$(date +%s.%N)
"$EKG" -q --store "$WORK/ref" ingest "$CORPUS" >/dev/null 2>"$WORK/ref.err"
rc=$?
t1=$(date +%s.%N)
expect_eq "$rc" 0 "reference ingest ($(head -c 300 "$WORK/ref.err"))"
"$EKG" --store "$WORK/ref" export --format nquads | norm > "$WORK/ref.nq"
reftime=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "reference: $ndocs documents in ${reftime}s, $(wc -l < "$WORK/ref.nq") quads"
# kill points: uniformly in (0.3, 0.85) × reftime after the start (at most
# 6 s): after the store and its ontology exist, and not up to reftime — a run
# after a kill resumes (committed documents are skipped) and ends sooner, and
# most runs must still be killed mid-way.
lowms=$(awk -v t="$reftime" 'BEGIN { x = t * 300; if (x > 3000) x = 3000; printf "%d", x }')
maxms=$(awk -v t="$reftime" 'BEGIN { x = t * 550; if (x > 3000) x = 3000; if (x < 100) x = 100; printf "%d", x }')

# complete_docs FILE: subjects of ekg:contentHash quads
complete_docs() { grep -F "<${EKGNS}contentHash>" "$1" | awk '{print $1}' | sort -u; }
# graphs_of DOCS FILE: the quads of those named graphs
graphs_of() { awk 'NR == FNR { want[$1] = 1; next } $NF == "." && ($(NF-1) in want)' "$1" "$2" | LC_ALL=C sort; }

S="$WORK/killed"
busy=0 answered=0 kills=0
for i in $(seq "$KILLS"); do
    "$EKG" -q --store "$S" ingest "$CORPUS" >/dev/null 2>"$WORK/k.err" &
    pid=$!
    start=$(date +%s%N)
    ms=$(( lowms + RANDOM % maxms ))
    # readers while the writer runs
    if [ $((i % 3)) -eq 1 ]; then
        sleep 0.1
        for r in 1 2 3; do
            out=$("$EKG" --store "$S" stats 2>&1); src=$?
            if [ "$src" -eq 0 ]; then answered=$((answered + 1)); ok
            elif [ "$src" -eq 1 ] && grep -qiE "busy|no store at" <<<"$out"; then busy=$((busy + 1)); ok
            else bad "stats during ingest: exit $src: $(head -c 300 <<<"$out")"; fi
            out=$("$EKG" --store "$S" sparql 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' 2>&1); src=$?
            if [ "$src" -eq 0 ]; then answered=$((answered + 1)); ok
            elif [ "$src" -eq 1 ] && grep -qiE "busy|no store at" <<<"$out"; then busy=$((busy + 1)); ok
            elif [ "$src" -eq 1 ] && grep -qi 'COUNT\|parse\|syntax' <<<"$out"; then
                # SPARQL 1.0 has no COUNT: fall back to a plain select
                out=$("$EKG" --store "$S" sparql 'SELECT ?s WHERE { ?s ?p ?o } LIMIT 5' 2>&1); src=$?
                if [ "$src" -le 1 ]; then ok; else bad "sparql during ingest: exit $src"; fi
            else bad "sparql during ingest: exit $src: $(head -c 300 <<<"$out")"; fi
        done
    fi
    left=$(( ms - ($(date +%s%N) - start) / 1000000 ))
    [ "$left" -gt 0 ] && sleep "$(awk -v m="$left" 'BEGIN { printf "%.3f", m / 1000 }')"
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    killed=0
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"; kills=$((kills + 1)); killed=1
    fi
    wait "$pid" 2>/dev/null; wrc=$?
    if [ "$killed" = 0 ]; then
        if [ "$wrc" -eq 0 ]; then ok
        else bad "run $i (a rerun after kills) failed: exit $wrc: $(grep -v '^  ' "$WORK/k.err" | head -n 3)"; fi
        # it finished before the kill: that was a rerun that finished the job
        "$EKG" --store "$S" export --format nquads 2>/dev/null | norm > "$WORK/k.nq"
        if cmp -s "$WORK/k.nq" "$WORK/ref.nq"; then ok
        else bad "run $i finished (not killed) but its export differs from a clean ingest: $(diff "$WORK/ref.nq" "$WORK/k.nq" | grep -c '^[<>]') lines differ, e.g. $(diff "$WORK/ref.nq" "$WORK/k.nq" | grep '^[<>]' | head -n 2)"; fi
        echo "run $i finished by itself after ${ms}ms: starting again on a fresh store"
        rm -rf "$S"
        continue
    fi
    "$EKG" --store "$S" stats >/dev/null 2>"$WORK/s.err"; src=$?
    if [ "$src" -eq 0 ]; then ok
    else bad "kill $i (after ${ms}ms): store does not open: exit $src: $(head -c 300 "$WORK/s.err")"; continue; fi
    "$EKG" --store "$S" export --format nquads 2>/dev/null | norm > "$WORK/k.nq"
    complete_docs "$WORK/k.nq" > "$WORK/k.docs"
    graphs_of "$WORK/k.docs" "$WORK/k.nq" > "$WORK/k.g"
    graphs_of "$WORK/k.docs" "$WORK/ref.nq" > "$WORK/r.g"
    if cmp -s "$WORK/k.g" "$WORK/r.g"; then ok
    else bad "kill $i (after ${ms}ms): a document with ekg:contentHash is incomplete: $(diff "$WORK/r.g" "$WORK/k.g" | head -n 4)"; fi
    echo "kill $i after ${ms}ms: $(wc -l < "$WORK/k.docs") complete documents, $(wc -l < "$WORK/k.nq") quads"
done
expect_eq "$([ "$kills" -ge $((KILLS / 2)) ] && echo yes)" yes "at least half of the $KILLS ingests were killed mid-run (killed $kills)"

# Sanity: the reference's documents have graphs of their own.
complete_docs "$WORK/ref.nq" > "$WORK/ref.docs"
expect_eq "$(wc -l < "$WORK/ref.docs" | tr -d ' ')" "$(grep -c . "$WORK/ref.docs")" "reference documents"
if [ "$(graphs_of "$WORK/ref.docs" "$WORK/ref.nq" | wc -l)" -gt 0 ]; then ok
else bad "reference: no quads in the documents' named graphs (the graph is not the document IRI?)"; fi

# The rerun finishes the job.
"$EKG" -q --store "$S" ingest "$CORPUS" >/dev/null 2>"$WORK/final.err"
expect_eq "$?" 0 "final ingest after kills ($(head -c 300 "$WORK/final.err"))"
"$EKG" --store "$S" export --format nquads | norm > "$WORK/final.nq"
if cmp -s "$WORK/final.nq" "$WORK/ref.nq"; then ok
else bad "after kills and a rerun the export differs from a clean ingest: $(diff "$WORK/ref.nq" "$WORK/final.nq" | wc -l) lines: $(diff "$WORK/ref.nq" "$WORK/final.nq" | head -n 6)"; fi
echo "readers during ingest: $answered answered, $busy busy"
finish
