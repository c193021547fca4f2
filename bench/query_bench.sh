#!/bin/sh
# Benchmark of the query language (not a test): generate >= 1M event-shaped
# quads, load them into the embedded store, and time three queries with ekg
# (native plan), with rasqal (the same queries' SPARQL plan), and the
# equivalent SPARQL with Oxigraph in memory. Prints medians (ms) and ratios.
#   usage: bench/query_bench.sh [EKG] [QUADS]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
EKG=${1:-$ROOT/build/ekg}
QUADS=${2:-1000000}
W=${BENCH_DIR:-/tmp/ekg-query-bench}
mkdir -p "$W/onto"
echo "# the fixture brings the ontology" > "$W/onto/empty.ttl"
export EKG_ONTOLOGY="$W/onto"
[ -f "$W/data-$QUADS.nq" ] || python3 "$HERE/query_gen.py" "$QUADS" "$W/data-$QUADS.nq"
if [ ! -d "$W/db-$QUADS" ]; then
  t0=$(date +%s.%N)
  "$EKG" -q --store "$W/db-$QUADS" load "$ROOT/tests/golden/query/fixture.nq" "$W/data-$QUADS.nq"
  echo "ekg load: $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
if [ ! -d "$W/node_modules/oxigraph" ]; then (cd "$W" && npm install --silent oxigraph >/dev/null 2>&1) || true; fi

Q1='who endorsed what when'
Q2='Russia met whom when'
Q3='path Russia to "United States"'
S1='SELECT DISTINCT ?s ?o ?d WHERE { ?e a ekg:Endorsement ; ekg:agent ?s ; ekg:target ?o . OPTIONAL { ?e ekg:date ?d } }'
S2='SELECT DISTINCT ?o ?d WHERE { VALUES ?r { ekgid:state\/RUS } { ?e ekg:participant ?r } UNION { ?p ekg:represents ekgid:state\/RUS . ?e ekg:ledBy ?p } ?e ekg:participant ?o . FILTER (?o != ekgid:state\/RUS) OPTIONAL { ?e ekg:date ?d } }'
S3='ASK { ekgid:state\/RUS (^ekg:participant/ekg:participant)+ ekgid:state\/USA }'

# median of 5 runs of `ekg query --timer` (time of the query itself, store open)
ekg_ms() {
  for i in 1 2 3 4 5; do
    "$EKG" -q --store "$W/db-$QUADS" query --timer "$@" 2>&1 >/dev/null | sed -n 's/^time: \([0-9.]*\) ms/\1/p'
  done | sort -n | sed -n 3p
}
rasqal_ms() { # one run, capped at 120 s
  timeout 120 "$EKG" -q --store "$W/db-$QUADS" query --plan sparql --timer "$@" 2>&1 >/dev/null |
    sed -n 's/^time: \([0-9.]*\) ms/\1/p' || true
}
OX=$(cd "$W" && node "$HERE/query_oxigraph.js" "$ROOT/tests/golden/query/fixture.nq" "$W/data-$QUADS.nq" -- "$S1" "$S2" "$S3" 2>/dev/null | cut -f1 | tr '\n' ' ' || true)
set -- $OX
O1=${1:-nan} O2=${2:-nan} O3=${3:-nan}
printf '%-34s %10s %10s %10s %12s\n' query ekg rasqal oxigraph "oxigraph/ekg"
for i in 1 2 3; do
  eval q=\$Q$i; eval o=\$O$i
  e=$(ekg_ms "$q")
  if [ $i -lt 3 ]; then r=$(rasqal_ms "$q"); else r="-"; fi
  ratio=$(echo "scale=1; $o / $e" | bc 2>/dev/null || echo nan)
  printf '%-34s %10s %10s %10s %12s\n' "$q" "$e" "${r:-timeout}" "$o" "$ratio"
done
