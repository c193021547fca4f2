#!/usr/bin/env bash
# The CLI's errors: every bad input names the input and the problem, and
# exits non-zero; usage errors exit 2.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

expect_exit 2 "unknown command 'frobnicate'" -- "$EKG" frobnicate
expect_exit 2 "unknown option --bogus" -- "$EKG" --bogus stats
expect_exit 2 "no documents given" -- "$EKG" --store s1 ingest
expect_exit 1 "no store at nowhere" -- "$EKG" --store nowhere stats
expect_exit 1 "no store at nowhere" -- "$EKG" --store nowhere export
expect_exit 1 "missing.txt" -- "$EKG" --store s1 ingest missing.txt
expect_exit 2 "unknown format 'yaml'" -- "$EKG" --store s1 export --format yaml
expect_exit 1 "not a store directory" -- bash -c "touch afile && '$EKG' --store afile stats"
expect_exit 1 "invalid store spec|not a store" -- "$EKG" --store bdb: stats
expect_exit 1 "the query does not parse|syntax" -- "$EKG" --store s1 sparql 'SELECT WHERE {'
expect_exit 2 "no query given" -- "$EKG" --store s1 sparql
expect_exit 1 "no ontology files|cannot read the ontology" -- "$EKG" --ontology /nonexistent --store s2 load /dev/null

# An unreadable store directory: refused with the reason (skipped as root,
# who can read anything).
if [ "$(id -u)" -ne 0 ]; then
    mkdir ro && "$EKG" --store ro/db ingest "$SRC/examples" >/dev/null 2>&1; chmod 000 ro/db
    expect_exit 1 "cannot" -- "$EKG" --store ro/db stats
    chmod 755 ro/db
fi
# A second writer is told the store is busy, not made to wait forever;
# readers are not: they read the last committed state.
"$EKG" -q --store s3 ingest "$SRC/examples/en-01-osce-permanent-council.md" || bad "ingest into s3"
( exec 9>s3/lock; flock -x 9; sleep 8 ) & holder=$!
sleep 0.5
expect_exit 1 "store is busy" -- "$EKG" --store s3 ingest "$SRC/examples/nl-01-overleg-belgie.md"
if "$EKG" --store s3 stats >/dev/null 2>&1; then ok; else bad "a reader was blocked by a writer"; fi
kill $holder 2>/dev/null; wait 2>/dev/null

# --help works for every command, and exits 0.
for c in ingest query repl export check stats sparql extract load; do
    if "$EKG" "$c" --help | grep -q "usage: ekg $c"; then ok; else bad "ekg $c --help"; fi
done
finish
