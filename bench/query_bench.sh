#!/bin/bash
# Benchmark of the query language (not a test): generate event-shaped quads
# (bench/query_gen.py), load them into the embedded store, and time the same
# questions with
#   ekg       `ekg query --timer`: the query on an open store (parse, resolve,
#             plan, run, rows built; not the output), native plan over the
#             event index — and the whole process (`ekg query --format tsv`
#             to /dev/null: start, open, query, TSV out), as "ekg wall";
#   rasqal    the same sentence's SPARQL plan through librdf (`--plan sparql`);
#   Oxigraph  in memory (npm `oxigraph`, bench/query_oxigraph.js), the
#             equivalent SPARQL, in process, result rows materialised;
#   Virtuoso  7 (when `virtuoso-t` is installed), a private instance on
#             loopback (tests/virtuoso/virtuoso_lib.sh; ResultSetMaxRows 10^6,
#             so no row cap) holding the same N-Quads through its bulk loader;
#             the equivalent SPARQL over its HTTP endpoint with curl, TSV
#             results, `time_total` (request to last byte: plan, run,
#             serialise, transfer).
# Each tool: one warm-up, then the median of RUNS. The SPARQL for Oxigraph and
# Virtuoso asks for the rows ekg gives (the row counts are printed beside the
# times); for the path, each tool's own shortest-path means (see below).
# Prints the event index's one-off build (time, size), then a table of medians
# (ms), row counts and ratios.
#   usage: bench/query_bench.sh [EKG] [QUADS]
#   env:   BENCH_DIR (work directory), RUNS (per query and tool, default 7),
#          OX_RUNS (Oxigraph, default 5; 0 skips it), OX_QUERIES (which of
#          queries 1-4 Oxigraph runs, default "1 2 3 4"), VIRTUOSO=0 skips Virtuoso,
#          RASQAL_RUNS (default 3; 0 skips rasqal), RASQAL_CAP (s, default 120)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
EKG=${1:-$ROOT/build/ekg}
QUADS=${2:-1000000}
W=${BENCH_DIR:-/tmp/ekg-query-bench}
RUNS=${RUNS:-7}
OX_RUNS=${OX_RUNS:-5}
RASQAL_RUNS=${RASQAL_RUNS:-3}
RASQAL_CAP=${RASQAL_CAP:-120}
FIXTURE=$ROOT/tests/golden/query/fixture.nq
mkdir -p "$W/onto"
echo "# the fixture brings the ontology" > "$W/onto/empty.ttl"
export EKG_ONTOLOGY="$W/onto"
DATA=$W/data-$QUADS.nq
[ -f "$DATA" ] || python3 "$HERE/query_gen.py" "$QUADS" "$DATA"
DB="$W/db-$QUADS"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start ($(date -u +%H:%M) UTC)"
if [ ! -d "$DB" ]; then
  t0=$(date +%s.%N)
  "$EKG" -q --store "$DB" load "$FIXTURE" "$DATA"
  echo "ekg load: $(echo "$(date +%s.%N) - $t0" | bc) s"
fi
echo "store: $(du -sh "$DB" | cut -f1)"

Q1='who endorsed what when'
Q2='Russia met whom when'
Q3='path Russia to "United States"'
Q4='"State 150" met whom when'
Q5='timeline Russia'
Q6='describe "State 150"'
NQ=6
I='https://w3id.org/ekg/id/'
RUS="<${I}state/RUS>" USA="<${I}state/USA>" S150="<${I}state/S150>"
# The rows ekg gives, in SPARQL (on this data: endorsements have one agent,
# an actor, and one target; a meeting's sides are participants and the
# persons leading delegations, who represent a state).
S1='SELECT DISTINCT ?s ?o ?d WHERE { ?e a ekg:Endorsement ; ekg:agent ?s ; ekg:target ?o . OPTIONAL { ?e ekg:date ?d } }'
met() { # X met whom when: the other sides (participants and leaders not acting for X)
  echo "SELECT DISTINCT ?o ?d WHERE { { ?e ekg:participant $1 } UNION { ?p ekg:represents $1 . ?e ekg:ledBy ?p } { ?e ekg:participant ?o } UNION { ?e ekg:ledBy ?o } FILTER (?o != $1) OPTIONAL { ?o ekg:represents ?r } FILTER (!BOUND(?r) || ?r != $1) ?e a ?t . FILTER (?t IN (ekg:Call, ekg:Consultation, ekg:Meeting)) OPTIONAL { ?e ekg:date ?d } }"
}
S2=$(met "$RUS")
S4=$(met "$S150")
# Paths: Oxigraph has only SPARQL 1.1 property paths (reachability, no
# bound: an ASK); Virtuoso its transitive subqueries with a bound and the
# shortest steps only (t_max 4, as ekg's default). ekg returns the chain.
OX3="ASK { $RUS (^ekg:participant/ekg:participant)+ $USA }"
V3="SELECT ?x ?y ?step WHERE { { SELECT ?x ?y WHERE { ?e ekg:participant ?x . ?e ekg:participant ?y } } OPTION (TRANSITIVE, t_distinct, t_in(?x), t_out(?y), t_min(1), t_max(4), t_shortest_only, t_step('step_no') AS ?step) . FILTER (?x = $RUS && ?y = $USA) }"

median() { sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "nan"}'; }
ratio() { case "$1$2" in *-*|*nan*|'') echo -;; *) echo "scale=1; $1 / $2" | bc 2>/dev/null || echo -;; esac; }

# The time `ekg query --timer` prints (the query itself, store open).
ekg_once() {
  "$EKG" -q --store "$DB" query --timer "$@" 2>&1 >/dev/null | sed -n 's/^time: \([0-9.]*\) ms/\1/p'
}
ekg_ms() {
  ekg_once "$1" >/dev/null
  for _ in $(seq "$RUNS"); do ekg_once "$1"; done | median
}
ekg_wall_ms() { # the whole process, TSV to /dev/null
  local t0 t1
  "$EKG" -q --store "$DB" query --format tsv "$1" >/dev/null
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N)
    "$EKG" -q --store "$DB" query --format tsv "$1" >/dev/null
    t1=$(date +%s%N)
    echo "scale=1; ($t1 - $t0) / 1000000" | bc
  done | median
}
ekg_rows() { "$EKG" -q --store "$DB" query --format tsv "$1" | tail -n +2 | wc -l; }
rasqal_ms() { # RASQAL_RUNS runs, each capped at RASQAL_CAP s; a capped run stops the rest
  local t
  for _ in $(seq "$RASQAL_RUNS"); do
    t=$(timeout "$RASQAL_CAP" "$EKG" -q --store "$DB" query --plan sparql --timer "$1" 2>&1 >/dev/null |
        sed -n 's/^time: \([0-9.]*\) ms/\1/p' || true)
    if [ -z "$t" ]; then echo ">${RASQAL_CAP}000"; return; fi
    echo "$t"
  done | median
}

# The event index: built on the first query after a commit, then mapped; the
# first process to map it more than 2 s after it was written checks it whole
# and keeps the verdict, later ones map it unread.
gen=$(cat "$DB/CURRENT" 2>/dev/null || true)
rm -f "$DB/$gen/.events.idx" "$DB/$gen/.events.idx.ok"
t0=$(date +%s.%N)
first=$(ekg_once "$Q1")
tb=$(echo "($(date +%s.%N) - $t0) * 1000" | bc)
printf 'event index: built by the first query after a commit: %s ms (as timed by the query; %.0f ms wall), %s bytes\n' \
  "$first" "$tb" "$(stat -c %s "$DB/$gen/.events.idx" 2>/dev/null || echo 0)"
sleep 2.5
printf 'a later query that checks it whole: %s ms; ' "$(ekg_once "$Q4")"
printf 'then one that maps it unread: %s ms (%s)\n' "$(ekg_once "$Q4")" "$Q4"

# Oxigraph (loads once, runs all its queries).
declare -A OX OXN VX VXN
if [ "$OX_RUNS" -gt 0 ]; then
  if [ ! -d "$W/node_modules/oxigraph" ] && [ ! -d "$HERE/node_modules/oxigraph" ]; then
    (cd "$W" && npm install --silent oxigraph >/dev/null 2>&1) || true
  fi
  OXS=("" "$S1" "$S2" "$OX3" "$S4")
  oxq=(${OX_QUERIES:-1 2 3 4})
  ox_args=()
  for i in "${oxq[@]}"; do ox_args+=("${OXS[$i]}"); done
  k=0
  while IFS=$'\t' read -r ms n; do
    i=${oxq[$k]}; k=$((k + 1)); OX[$i]=$ms; OXN[$i]=$n
  done < <(cd "$W" && OX_RUNS=$OX_RUNS NODE_PATH="$HERE/node_modules:$W/node_modules" \
           node --max-old-space-size=8192 "$HERE/query_oxigraph.js" "$FIXTURE" "$DATA" -- \
           "${ox_args[@]}" 2>"$W/oxigraph.log" || true)
  cat "$W/oxigraph.log" >&2
fi

# Virtuoso: a private instance, the same quads bulk-loaded.
if [ "${VIRTUOSO:-1}" = 1 ] && command -v virtuoso-t >/dev/null; then
  source "$ROOT/tests/virtuoso/virtuoso_lib.sh"
  trap 'virt_stop' EXIT
  rm -rf "$W/virt"
  VIRT_BUFFERS=${VIRT_BUFFERS:-340000} VIRT_DIRTY=${VIRT_DIRTY:-250000} virt_start "$W/virt"
  cp "$FIXTURE" "$W/virt/fixture.nq"
  ln -f "$DATA" "$W/virt/data.nq" 2>/dev/null || cp "$DATA" "$W/virt/data.nq"
  t0=$(date +%s.%N)
  virt_isql "ld_dir('$W/virt', '*.nq', 'urn:ekg:default'); rdf_loader_run(); checkpoint;" >/dev/null
  echo "virtuoso bulk load (ld_dir, rdf_loader_run, checkpoint): $(echo "$(date +%s.%N) - $t0" | bc) s"
  P='PREFIX ekg: <https://w3id.org/ekg/ns#> '
  v_once() {
    curl -s -o "$W/virt/out.tsv" -w '%{time_total}\n' -H 'Accept: text/tab-separated-values' \
         --data-urlencode "query=$P$1" "$VIRT_URL" | awk '{printf "%.1f\n", $1 * 1000}'
  }
  i=0
  for q in "$S1" "$S2" "$V3" "$S4"; do
    i=$((i + 1))
    v_once "$q" >/dev/null
    VX[$i]=$(for _ in $(seq "$RUNS"); do v_once "$q"; done | median)
    VXN[$i]=$(($(wc -l < "$W/virt/out.tsv") - 1))
  done
  virt_stop
  trap - EXIT
fi

printf '\n%-30s %9s %9s %7s %9s %7s %9s %7s %10s %8s %8s\n' query ekg "ekg wall" rows Virtuoso rows Oxigraph rows rasqal "V/ekg" "Ox/ekg"
for i in $(seq $NQ); do
  eval q=\$Q$i
  e=$(ekg_ms "$q")
  ew=$(ekg_wall_ms "$q")
  en=$(ekg_rows "$q")
  r=-
  if [ $i -le 2 ] || [ $i -eq 4 ]; then [ "$RASQAL_RUNS" -gt 0 ] && r=$(rasqal_ms "$q"); fi
  v=${VX[$i]:--} vn=${VXN[$i]:--} o=${OX[$i]:--} on=${OXN[$i]:--}
  printf '%-30s %9s %9s %7s %9s %7s %9s %7s %10s %8s %8s\n' "$q" "$e" "$ew" "$en" "$v" "$vn" "$o" "$on" "$r" \
    "$(ratio "$v" "$e")" "$(ratio "$o" "$e")"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
