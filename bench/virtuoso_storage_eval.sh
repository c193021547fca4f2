#!/usr/bin/env bash
# virtuoso_storage_eval.sh — evaluates librdf's own `virtuoso` storage
# (Debian librdf-storage-virtuoso, over ODBC) as a possible `--store`
# backend, against the same private Virtuoso's SPARQL endpoint (the route
# ekg takes: `--endpoint`). Prints load rate through the storage (rdfproc
# parse), one three-pattern query run by rasqal over the storage's triple
# look-ups, and the same query over the SPARQL endpoint (median of 5).
#
# Env: N (quads, default 20000), BENCH_DIR (/tmp/ekg-bench).
# Needs: virtuoso-opensource, librdf-storage-virtuoso, unixodbc, redland-utils.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$HERE")
N=${N:-20000}
DIR=${BENCH_DIR:-/tmp/ekg-bench}/vstorage
source "$HERE/bench_lib.sh"
for c in virtuoso-t isql-vt rdfproc; do
    command -v $c >/dev/null || { echo "needs $c (apt-get install virtuoso-opensource redland-utils)" >&2; exit 1; }
done
[ -e /usr/lib/x86_64-linux-gnu/redland/librdf_storage_virtuoso.so ] ||
    { echo "needs librdf-storage-virtuoso unixodbc (apt-get install)" >&2; exit 1; }
source "$SRC/tests/virtuoso/virtuoso_lib.sh"
trap virt_stop EXIT
rm -rf "$DIR"; mkdir -p "$DIR"
bench_machine
virt_start "$DIR/db" || exit 1
driver=$(ls /usr/lib/*/odbc/virtodbc_r.so | head -1)
printf '[ekgvirt]\nDriver  = %s\nAddress = 127.0.0.1:%s\n' "$driver" "$VIRT_SQL_PORT" > "$DIR/odbc.ini"
export ODBCINI=$DIR/odbc.ini
python3 "$HERE/gen_events.py" "$N" > "$DIR/ev.nq"
OPTS="dsn='ekgvirt',user='dba',password='dba'"

echo "== $N quads through librdf's virtuoso storage (rdfproc parse: one SQL insert a statement)"
measure "rdfproc -s virtuoso parse" 1 "" rdfproc -q -s virtuoso -t "$OPTS" ekg parse "$DIR/ev.nq" nquads
echo "      $(rate "$N" "$M_WALL") quads/s"

Q='PREFIX ekg: <https://w3id.org/ekg/ns#> SELECT ?e ?x ?d WHERE { ?e ekg:participant <https://w3id.org/ekg/id/state/GRC> . ?e ekg:participant ?x . ?e ekg:date ?d }'
echo "== one state's partners and dates (3 patterns)"
measure "rasqal over the virtuoso storage" 3 "" rdfproc -q -s virtuoso -t "$OPTS" ekg query sparql - "$Q"
rw=$M_WALL
times=()
for i in 0 1 2 3 4 5; do   # one warm-up, then 5
    t=$(curl -s -o "$DIR/out.csv" -w '%{time_total}' -H 'Accept: text/csv' --data-urlencode "query=$Q" "$VIRT_URL")
    [ $i -gt 0 ] && times+=("$t")
done
ew=$(printf '%s\n' "${times[@]}" | median)
echo "  SPARQL endpoint (curl, HTTP included)   median $ew s, $(($(wc -l < "$DIR/out.csv") - 1)) rows"
echo "  storage/endpoint time ratio: $(ratio "$rw" "$ew")"
