#!/bin/sh
# check_bench.sh — `ekg check` (SHACL) against rdf-validate-shacl (npm) on
# the same ≥1M-triple event graph and the same shapes. Not a test: prints the
# median wall-clock of RUNS runs of each (load + validate, one process each)
# and the ratio. Figures go to bench/RESULTS-check.md by hand.
#
# usage: bench/check_bench.sh [QUADS (default 1000000)] [RUNS (default 3)]
# env:   EKG=path/to/ekg (default: build-shacl/ekg, then build/ekg)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
quads=${1:-1000000}
runs=${2:-3}
tmp=$here/tmp/check
mkdir -p "$tmp/ontology"
EKG=${EKG:-}
for cand in "$root/build-shacl/ekg" "$root/build/ekg"; do
    [ -z "$EKG" ] && [ -x "$cand" ] && EKG=$cand
done
[ -n "$EKG" ] || { echo "check_bench: build ekg first (or set EKG)" >&2; exit 2; }

# The same triples for both, in the default graph: rdf-validate-shacl is
# several times slower on quads in named graphs (5k quads: 39 s vs 6.5 s).
data=$tmp/events-$quads.nt
[ -s "$data" ] || python3 "$here/gen_events.py" "$quads" 7 | sed -E 's| <[^>]+> \.$| .|' > "$data"
cp "$here/check_classes.ttl" "$tmp/ontology/classes.ttl"
shapes=$here/check_shapes.ttl

# rdf-validate-shacl in a private npm directory under bench/tmp (ignored by git)
node_dir=$tmp/node
if [ ! -d "$node_dir/node_modules/rdf-validate-shacl" ]; then
    mkdir -p "$node_dir"
    echo '{"name":"ekg-check-bench","private":true,"type":"module"}' > "$node_dir/package.json"
    (cd "$node_dir" && npm install --silent --no-audit --no-fund \
        rdf-validate-shacl@0.6.5 n3@1 >/dev/null)
fi
cp "$here/check_validate.mjs" "$node_dir/validate.mjs"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "data: $(wc -l < "$data") triples; shapes: $shapes; runs: $runs"
: > "$tmp/ekg.times"
: > "$tmp/node.times"
i=0
while [ $i -lt "$runs" ]; do
    t0=$(now)
    rc=0
    "$EKG" -q --ontology "$tmp/ontology" check --data "$data" --shapes "$shapes" \
        --only shacl --format turtle > "$tmp/ekg.ttl" || rc=$?
    t1=$(now)
    [ $rc -le 1 ] || { echo "ekg check failed ($rc)" >&2; exit 2; }
    echo "$t1 - $t0" | bc >> "$tmp/ekg.times"
    t0=$(now)
    node --max-old-space-size=8192 "$node_dir/validate.mjs" "$shapes" "$data" \
        "$here/check_classes.ttl" > "$tmp/node.out"
    t1=$(now)
    echo "$t1 - $t0" | bc >> "$tmp/node.times"
    i=$((i + 1))
done
ekg_results=$(grep -c 'a sh:ValidationResult' "$tmp/ekg.ttl" || true)
echo "ekg check:           results=$ekg_results  median $(median < "$tmp/ekg.times") s  ($(tr '\n' ' ' < "$tmp/ekg.times"))"
echo "rdf-validate-shacl:  $(cat "$tmp/node.out")  median $(median < "$tmp/node.times") s  ($(tr '\n' ' ' < "$tmp/node.times"))"
e=$(median < "$tmp/ekg.times")
n=$(median < "$tmp/node.times")
echo "ratio (rdf-validate-shacl / ekg): $(echo "scale=2; $n / $e" | bc)"
