#!/usr/bin/env bash
# `ekg load` into the BDB store, which writes sorted batches straight into
# librdf's Berkeley DB files (store.c): the store holds exactly the file's
# distinct quads, librdf reads them back through every index, and small
# batches (EKG_BULK_QUADS) give the same store as one batch — duplicates
# across batches included.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
python3 "$SRC/bench/gen_events.py" 3000 7 > ev.nq
# every quad twice, the copies far apart (in other batches), plus a run of
# adjacent duplicates and a boolean that librdf would rewrite
{ cat ev.nq; shuf --random-source=ev.nq ev.nq; head -n 50 ev.nq;
  echo '<https://w3id.org/ekg/id/x> <https://w3id.org/ekg/ns#flag> "1"^^<http://www.w3.org/2001/XMLSchema#boolean> <https://w3id.org/ekg/id/g> .'
} > dup.nq
uniq=$(sort -u dup.nq | wc -l)

"$EKG" -q --store one load dup.nq || bad "load (one batch)"
EKG_BULK_QUADS=97 "$EKG" -q --store small load dup.nq || bad "load (batches of 97 quads)"
"$EKG" --store one export --format nquads --no-ontology > one.nq || bad "export one"
"$EKG" --store small export --format nquads --no-ontology > small.nq || bad "export small"
expect_eq "$(wc -l < one.nq | tr -d ' ')" "$uniq" "distinct quads stored (one batch)"
expect_eq "$(md5sum < small.nq)" "$(md5sum < one.nq)" "batches of 97 quads store what one batch stores"
expect_eq "$(LC_ALL=C sort one.nq | md5sum)" "$(LC_ALL=C sort -u dup.nq | md5sum)" "the store holds the file's quads, as written"

# librdf reads them through its indexes: (? p ?) p2so, (s p ?) sp2o,
# (? p o) po2s, (s ? o) so2p, and a graph through contexts.
p=$(grep -c '<https://w3id.org/ekg/ns#participant>' ev.nq)
got=$("$EKG" --store small sparql 'SELECT ?s ?o WHERE { ?s ekg:participant ?o }' | tail -n +2 | wc -l)
expect_eq "$got" "$p" "(? p ?): participants"
e=$(head -n 3 ev.nq | tail -n 1 | cut -d' ' -f1)
got=$("$EKG" --store small sparql "SELECT ?o WHERE { $e ekg:participant ?o }" | tail -n +2 | wc -l)
expect_eq "$got" "$(grep -c "^$e <https://w3id.org/ekg/ns#participant>" ev.nq)" "(s p ?): one event's participants"
got=$("$EKG" --store small sparql 'SELECT ?s WHERE { ?s a ekg:Summit }' | tail -n +2 | wc -l)
expect_eq "$got" "$(grep -c '#type> <https://w3id.org/ekg/ns#Summit>' ev.nq)" "(? p o): summits"
got=$("$EKG" --store small sparql "SELECT ?p WHERE { $e ?p <https://w3id.org/ekg/id/doc/00000001> }" | tail -n +2 | wc -l)
expect_eq "$got" "1" "(s ? o): the event's source"
expect_eq "$("$EKG" --store small export --format nquads --graph https://w3id.org/ekg/id/doc/00000002 | LC_ALL=C sort | md5sum)" \
          "$(grep ' <https://w3id.org/ekg/id/doc/00000002> .$' ev.nq | LC_ALL=C sort | md5sum)" "one graph"
expect_eq "$("$EKG" --store small sparql 'SELECT ?v WHERE { <https://w3id.org/ekg/id/x> ekg:flag ?v }' | tail -n 1)" \
          '"1"^^<http://www.w3.org/2001/XMLSchema#boolean>' "a boolean as written"

# Ingest after a load: its adds are buffered, its look-ups see them; the
# same documents again are all unchanged.
out=$("$EKG" --store small ingest "$SRC/examples" 2>&1) || bad "ingest after load: $out"
expect_eq "$(grep -o 'ingested [0-9]* documents (0 unchanged' <<<"$out")" "ingested 12 documents (0 unchanged" "first ingest after load"
out=$("$EKG" --store small ingest "$SRC/examples" "$SRC/examples" 2>&1) || bad "second ingest: $out"
expect_eq "$(grep -o 'ingested [0-9]* documents ([0-9]* unchanged' <<<"$out")" "ingested 0 documents (24 unchanged" "the same documents again, twice in one run"
finish
