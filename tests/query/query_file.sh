#!/bin/sh
# `ekg query -f FILE`: one query per line (blank lines and `--` comments
# skipped, a trailing `\` continues a line); it stops at the first query that
# fails, with exit status 1 and the error on stderr; `--keep-going` runs every
# query and still exits 1; a file of good queries exits 0; `-f -` reads stdin.
#   usage: query_file.sh EKG FIXTURE.nq
EKG=$1
FIXTURE=$2
W=$(mktemp -d /tmp/ekg-qfile-XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir "$W/onto"
echo "# the fixture brings the ontology" > "$W/onto/empty.ttl"
export EKG_ONTOLOGY="$W/onto"
fails=0
check() { # name, condition (as a shell test)
    if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fails=$((fails + 1)); fi
}
"$EKG" -q --store "$W/db" load "$FIXTURE" || { echo "not ok - load the fixture"; exit 1; }

cat > "$W/bad.txt" <<'Q'
-- a comment line, then a blank one

exactly Russia criticized what
who endrosed what
who backed \
  "Appel de Paris"
Q
"$EKG" -q --store "$W/db" query --format tsv -f "$W/bad.txt" > "$W/out" 2> "$W/err"
rc=$?
check "stops at the first error with exit 1" '[ $rc -eq 1 ]'
check "the queries before it ran" 'grep -q "Paris Call for Trust" "$W/out"'
check "the queries after it did not" '! grep -q Germany "$W/out"'
check "the error names the column and suggests" 'grep -q "error: at column 5: unknown verb .endrosed.; did you mean endorsed" "$W/err"'

"$EKG" -q --store "$W/db" query --format tsv --keep-going -f "$W/bad.txt" > "$W/out" 2> "$W/err"
rc=$?
check "--keep-going: exit 1" '[ $rc -eq 1 ]'
check "--keep-going: every other query ran (a continued line too)" 'grep -q "Paris Call for Trust" "$W/out" && grep -q Germany "$W/out"'
check "--keep-going: the error is reported" 'grep -q "did you mean endorsed" "$W/err"'

printf 'exactly Russia criticized what\nRussia met whom\n' > "$W/good.txt"
"$EKG" -q --store "$W/db" query --format tsv -f "$W/good.txt" > "$W/out" 2> "$W/err"
rc=$?
check "a file of good queries: exit 0, no diagnostics" '[ $rc -eq 0 ] && [ ! -s "$W/err" ]'
check "a file of good queries: every answer" 'grep -q "Paris Call" "$W/out" && grep -q "Henri Verdier" "$W/out"'

printf 'Russia met whom\n' | "$EKG" -q --store "$W/db" query --format tsv -f - > "$W/out" 2>&1
rc=$?
check "-f - reads standard input" '[ $rc -eq 0 ] && grep -q "Henri Verdier" "$W/out"'

"$EKG" -q --store "$W/db" query -f "$W/missing.txt" > "$W/out" 2> "$W/err"
rc=$?
check "a missing file: exit 1, named" '[ $rc -eq 1 ] && grep -q "^ekg: error: .*missing.txt: No such file" "$W/err"'
echo "# $fails failed"
[ $fails -eq 0 ]
