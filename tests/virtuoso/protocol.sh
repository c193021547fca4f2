#!/usr/bin/env bash
# The SPARQL protocol client against a canned endpoint (no Virtuoso needed):
# SPARQL JSON and TSV results, Turtle CONSTRUCT answers, HTTP errors named
# with the URL and status, a non-SPARQL answer refused.
source "$(dirname "$0")/../e2e/lib.sh"
python3 "$(dirname "$0")/fake_endpoint.py" "$WORK/port" &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(cat "$WORK/port")/sparql"

out=$("$EKG" sparql --endpoint "$URL" 'SELECT * WHERE { ?s ?p ?o } # json')
expect_eq "$out" "$(printf '%s\n' '?s	?l	?n	?b	?u' \
'<http://ex.org/a>	"Grüße \"q\"\n 😀"@de	"42"^^<http://www.w3.org/2001/XMLSchema#integer>	_:x1	' \
'<http://ex.org/b>				"plain"')" "JSON results"

out=$("$EKG" sparql --endpoint "$URL" 'SELECT * WHERE { ?s ?p ?o } # tsv')
expect_eq "$out" "$(printf '%s\n' '?s	?l	?n' \
'<http://ex.org/a>	"tab\there"@en	"42"^^<http://www.w3.org/2001/XMLSchema#integer>' \
'<http://ex.org/b>	"x"^^<http://www.w3.org/2001/XMLSchema#date>	"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' \
'_:b0		"true"^^<http://www.w3.org/2001/XMLSchema#boolean>')" "TSV results"

out=$("$EKG" sparql --endpoint "$URL" 'CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } # turtle' | sed -E 's/_:[A-Za-z0-9]+/_:b/g' | sort)
expect_eq "$out" "$(printf '%s\n' '<http://ex.org/a> <http://ex.org/p> "v"@fr .' \
'<http://ex.org/a> <http://ex.org/q> _:b .' \
'_:b <http://ex.org/r> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .' | sort)" "Turtle CONSTRUCT answer"

expect_exit 1 "$URL: HTTP 503: Service Unavailable: the store is resting" -- "$EKG" sparql --endpoint "$URL" 'ASK {}'
expect_exit 1 "$URL: .*text/html" -- "$EKG" sparql --endpoint "$URL" 'ASK {} # html'
expect_exit 1 "ftp://x: not an http" -- "$EKG" sparql --endpoint ftp://x 'ASK {}'
expect_exit 1 "$URL: HTTP 503" -- "$EKG" load --endpoint "$URL" "$SRC/ontology/ekg.ttl"
finish
