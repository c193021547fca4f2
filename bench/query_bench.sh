#!/bin/sh
# Benchmark of the query language (not a test): generate >= 1M event-shaped
# quads, load them into the embedded store, and time the queries with ekg
# (native plan, over the event index), with rasqal (the same queries' SPARQL
# plan), and the equivalent SPARQL with Oxigraph in memory. Prints the
# one-off build of the event index, then medians (ms) and ratios.
#   usage: bench/query_bench.sh [EKG] [QUADS]
#   env:   BENCH_DIR (work directory), RUNS (ekg runs per query, default 7),
#          RASQAL_RUNS (default 5; 0 skips rasqal), RASQAL_CAP (s, default 120)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
EKG=${1:-$ROOT/build/ekg}
QUADS=${2:-1000000}
W=${BENCH_DIR:-/tmp/ekg-query-bench}
RUNS=${RUNS:-7}
RASQAL_RUNS=${RASQAL_RUNS:-5}
RASQAL_CAP=${RASQAL_CAP:-120}
mkdir -p "$W/onto"
echo "# the fixture brings the ontology" > "$W/onto/empty.ttl"
export EKG_ONTOLOGY="$W/onto"
[ -f "$W/data-$QUADS.nq" ] || python3 "$HERE/query_gen.py" "$QUADS" "$W/data-$QUADS.nq"
DB="$W/db-$QUADS"
if [ ! -d "$DB" ]; then
  t0=$(date +%s.%N)
  "$EKG" -q --store "$DB" load "$ROOT/tests/golden/query/fixture.nq" "$W/data-$QUADS.nq"
  echo "ekg load: $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
if [ ! -d "$W/node_modules/oxigraph" ] && [ ! -d "$HERE/node_modules/oxigraph" ]; then
  (cd "$W" && npm install --silent oxigraph >/dev/null 2>&1) || true
fi

Q1='who endorsed what when'
Q2='Russia met whom when'
Q3='path Russia to "United States"'
Q4='timeline Russia'
S1='SELECT DISTINCT ?s ?o ?d WHERE { ?e a ekg:Endorsement ; ekg:agent ?s ; ekg:target ?o . OPTIONAL { ?e ekg:date ?d } }'
S2='SELECT DISTINCT ?o ?d WHERE { VALUES ?r { ekgid:state\/RUS } { ?e ekg:participant ?r } UNION { ?p ekg:represents ekgid:state\/RUS . ?e ekg:ledBy ?p } ?e ekg:participant ?o . FILTER (?o != ekgid:state\/RUS) OPTIONAL { ?e ekg:date ?d } }'
S3='ASK { ekgid:state\/RUS (^ekg:participant/ekg:participant)+ ekgid:state\/USA }'

# The time `ekg query --timer` prints (the query itself, store open).
ekg_once() {
  "$EKG" -q --store "$DB" query --timer "$@" 2>&1 >/dev/null | sed -n 's/^time: \([0-9.]*\) ms/\1/p'
}
median() { sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "nan"}'; }
ekg_ms() {
  i=0
  while [ $i -lt "$RUNS" ]; do ekg_once "$@"; i=$((i + 1)); done | median
}
rasqal_ms() { # RASQAL_RUNS runs, each capped at RASQAL_CAP s; a capped run stops the rest
  i=0
  while [ $i -lt "$RASQAL_RUNS" ]; do
    t=$(timeout "$RASQAL_CAP" "$EKG" -q --store "$DB" query --plan sparql --timer "$@" 2>&1 >/dev/null |
        sed -n 's/^time: \([0-9.]*\) ms/\1/p' || true)
    if [ -z "$t" ]; then echo ">${RASQAL_CAP}000"; return; fi
    echo "$t"; i=$((i + 1))
  done | median
}

# The event index: built on the first query after a commit, then mapped.
gen=$(cat "$DB/CURRENT" 2>/dev/null || true)
rm -f "$DB/$gen/.events.idx"
t0=$(date +%s.%N)
first=$(ekg_once "$Q1")
tb=$(echo "($(date +%s.%N) - $t0) * 1000" | bc)
printf 'event index: built by the first query after a commit: %s ms (as timed by the query; %.0f ms wall), %s bytes\n' \
  "$first" "$tb" "$(stat -c %s "$DB/$gen/.events.idx" 2>/dev/null || echo 0)"
printf 'a later query maps it: %s ms\n' "$(ekg_once "$Q1")"

OX=$(cd "$W" && node "$HERE/query_oxigraph.js" "$ROOT/tests/golden/query/fixture.nq" "$W/data-$QUADS.nq" -- "$S1" "$S2" "$S3" 2>/dev/null | cut -f1 | tr '\n' ' ' || true)
set -- $OX
O1=${1:-nan} O2=${2:-nan} O3=${3:-nan} O4=-
printf '%-34s %10s %12s %10s %12s %12s\n' query ekg rasqal oxigraph "oxigraph/ekg" "rasqal/ekg"
for i in 1 2 3 4; do
  eval q=\$Q$i; eval o=\$O$i
  e=$(ekg_ms "$q")
  if [ $i -le 2 ] && [ "$RASQAL_RUNS" -gt 0 ]; then r=$(rasqal_ms "$q"); else r="-"; fi
  ox_ratio=- rq_ratio=-
  case $o in -|nan) ;; *) ox_ratio=$(echo "scale=1; $o / $e" | bc 2>/dev/null || echo -) ;; esac
  case $r in
    -) ;;
    '>'*) rq_ratio=">$(echo "scale=0; ${r#>} / $e" | bc 2>/dev/null || echo -)" ;;
    *) rq_ratio=$(echo "scale=0; $r / $e" | bc 2>/dev/null || echo -) ;;
  esac
  printf '%-34s %10s %12s %10s %12s %12s\n' "$q" "$e" "$r" "$o" "$ox_ratio" "$rq_ratio"
done
