#!/usr/bin/env bash
# e2e.sh EKG SRC SHARED — a user's session under valgrind memcheck: ingest the
# sample (a new store, so the ontology load too), query, export, check,
# extract, sparql. Each command must exit as it does natively and valgrind
# must report no error (suppressions.supp names the libraries' own faults).
source "$(dirname "$0")/../e2e/lib.sh"
cd "$WORK"
VG=(valgrind -q --error-exitcode=99 --track-origins=no --leak-check=no
    --suppressions="$(dirname "$0")/suppressions.supp")

run() { # run EXPECTED_EXIT DESCRIPTION -- CMD…
    local want=$1 what=$2; shift 3
    "${VG[@]}" "$@" >out.txt 2>err.txt; local rc=$?
    if [ "$rc" -eq 99 ]; then bad "$what: valgrind errors: $(grep -m5 '==' err.txt)";
    elif [ "$rc" -ne "$want" ]; then bad "$what: exit $rc, expected $want: $(head -c 300 err.txt)";
    else ok; fi
}

run 0 "ingest" -- "$EKG" -q --store db ingest -j 2 "$SRC/examples"
run 0 "query" -- "$EKG" --store db query 'who met whom when where' 'Russia criticized what'
run 0 "path" -- "$EKG" --store db query 'path Russia to France'
run 1 "bad query" -- "$EKG" --store db query 'who endrosed what'
run 0 "export turtle" -- "$EKG" --store db export --format turtle --no-ontology
run 0 "export nquads" -- "$EKG" --store db export --format nquads --graph en-01-osce-permanent-council.md
run 0 "sparql" -- "$EKG" --store db sparql 'SELECT ?e ?d WHERE { ?e ekg:date ?d } LIMIT 5'
run 0 "extract" -- "$EKG" extract "$SRC/examples/fr-03-appel-de-paris.html"
"${VG[@]}" "$EKG" --store db check --only contradiction duplicate-event >out.txt 2>err.txt; rc=$?
if [ "$rc" -eq 99 ]; then bad "check: valgrind errors: $(grep -m5 '==' err.txt)";
elif [ "$rc" -gt 1 ]; then bad "check: exit $rc"; else ok; fi
finish
