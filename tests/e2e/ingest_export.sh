#!/usr/bin/env bash
# Ingest the bundled sample, export it in every syntax, and check that the
# syntaxes carry the same triples (parsed by rapper and serdi, the peers);
# ingesting again adds nothing; a changed file replaces exactly its graph.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
cp -r "$SRC/examples" docs

"$EKG" -q --store db ingest docs || bad "ingest of examples failed"
n1=$("$EKG" --store db export --format nquads | wc -l)
[ "$n1" -gt 1000 ] && ok || bad "export has only $n1 quads"
events=$("$EKG" --store db sparql 'SELECT ?e WHERE { ?e ekg:evidence ?x }' | tail -n +2 | sort -u | wc -l)
[ "$events" -ge 8 ] && ok || bad "only $events events from the sample"

# Same files again: nothing changes.
"$EKG" -q --store db ingest docs || bad "second ingest failed"
n2=$("$EKG" --store db export --format nquads | wc -l)
expect_eq "$n2" "$n1" "quads after a second ingest"

# Every syntax parses with the peers and carries the same triples.
"$EKG" --store db export --format nquads > all.nq
"$EKG" --store db export --format turtle > all.ttl
"$EKG" --store db export --format ntriples > all.nt
"$EKG" --store db export --format trig > all.trig
"$EKG" --store db export --format rdfxml > all.rdf
canon() { sed 's/ <[^>]*> \.$/ ./' | sort -u; }
rapper -q -i nquads -o ntriples all.nq 2>/dev/null | sort -u > nq.sorted
rapper -q -i turtle -o ntriples all.ttl 2>rapper.err | sort -u > ttl.sorted
[ -s rapper.err ] && bad "rapper warns on the Turtle: $(head -3 rapper.err)" || ok
serdi -i turtle -o ntriples all.ttl 2>serdi.err | sort -u > ttl.serdi
[ -s serdi.err ] && bad "serdi warns on the Turtle: $(head -3 serdi.err)" || ok
canon < all.nq > nq.triples
expect_eq "$(sort -u ttl.sorted | md5sum)" "$(sort -u ttl.serdi | md5sum)" "rapper and serdi read the same Turtle"
expect_eq "$(wc -l < ttl.sorted)" "$(wc -l < nq.triples)" "Turtle and N-Quads triple counts"
expect_eq "$(sort -u all.nt | wc -l)" "$(wc -l < nq.triples)" "N-Triples and N-Quads triple counts"
rapper -q -i trig -o nquads all.trig 2>/dev/null | sort -u > trig.sorted
expect_eq "$(wc -l < trig.sorted)" "$(sort -u all.nq | wc -l)" "TriG and N-Quads quad counts"
rapper -q -i rdfxml -o ntriples all.rdf 2>/dev/null | sort -u > rdf.sorted
[ "$(wc -l < rdf.sorted)" -gt 1000 ] && ok || bad "RDF/XML export does not parse"

# Exactly one document's graph, by file name.
"$EKG" --store db export --format nquads --graph de-01-konsultationen-berlin.md > one.nq
graphs=$(awk '{print $NF=="."?$(NF-1):$NF}' one.nq | sort -u | wc -l)
expect_eq "$graphs" "1" "graphs in a one-document export"

# A changed file replaces its graph; the rest stay.
before_other=$("$EKG" --store db export --format nquads --graph nl-01-overleg-belgie.md | md5sum)
printf '\nAm 2. Mai 2024 fanden in Warschau deutsch-polnische Konsultationen statt.\n' >> docs/de-01-konsultationen-berlin.md
"$EKG" -q --store db ingest docs || bad "ingest after a change failed"
new=$("$EKG" --store db export --format nquads --graph de-01-konsultationen-berlin.md | md5sum)
[ "$new" != "$(md5sum < one.nq)" ] && ok || bad "changed document still has its old graph"
expect_eq "$("$EKG" --store db export --format nquads --graph nl-01-overleg-belgie.md | md5sum)" "$before_other" "untouched document's graph"
docs=$("$EKG" --store db sparql 'SELECT ?d WHERE { ?d a ekg:Document }' | tail -n +2 | wc -l)
expect_eq "$docs" "12" "documents after replacing one"

# A file's text moves to a new file while the old file gets a new text, in
# one ingest: the old text's graph is removed with the old version of the
# first file, then stored again for the second (it was once reported
# unchanged and lost); unchanged documents are passed over unextracted.
mkdir moved && cp docs/nl-01-overleg-belgie.md moved/a.md
"$EKG" -q --store mv.db ingest moved || bad "ingest of moved/ failed"
text_graph=$("$EKG" --store mv.db export --format nquads | grep -c 'overleg\|Belgi' )
mv moved/a.md moved/b.md
printf -- '---\ntitle: Neu\ndate: 2024-05-02\n---\n\nAm 2. Mai 2024 fanden in Warschau deutsch-polnische Konsultationen statt.\n' > moved/a.md
out=$("$EKG" --store mv.db ingest moved 2>&1) || bad "ingest after the move failed"
grep -q "ingested 2 documents (0 unchanged, 1 replaced" <<<"$out" && ok || bad "ingest after the move: $out"
paths=$("$EKG" --store mv.db sparql 'SELECT ?p WHERE { ?d a ekg:Document ; ekg:path ?p }' | tail -n +2 | sed 's|.*/||; s|"||g' | sort | tr '\n' ' ')
expect_eq "$paths" "a.md b.md " "documents after moving a text to a new file"
expect_eq "$("$EKG" --store mv.db export --format nquads | grep -c 'overleg\|Belgi')" "$text_graph" "the moved text's quads"
out=$("$EKG" --store mv.db ingest moved 2>&1)
grep -q "ingested 0 documents (2 unchanged" <<<"$out" && ok || bad "third ingest: $out"

# A bad document among good ones: reported, the batch goes on.
mkdir mixed && cp docs/nl-01-overleg-belgie.md mixed/ && printf '\xff\xfe\x00\x00garbage' > mixed/bad.txt
"$EKG" -q --store db2 ingest mixed/ 2>err.txt; rc=$?
n=$("$EKG" --store db2 sparql 'SELECT ?d WHERE { ?d a ekg:Document }' | tail -n +2 | wc -l)
[ "$n" -ge 1 ] && ok || bad "good document not stored next to a bad one"

# Standard input.
"$EKG" -q --store db3 ingest - < docs/en-01-osce-permanent-council.md || bad "ingest from stdin"
n=$("$EKG" --store db3 sparql 'SELECT ?e WHERE { ?e ekg:evidence ?x }' | tail -n +2 | wc -l)
[ "$n" -ge 1 ] && ok || bad "no events from stdin"

# -j 1 and -j 2 write the same store.
"$EKG" -q --store j1 ingest -j 1 docs; "$EKG" -q --store j2 ingest -j 2 docs
expect_eq "$("$EKG" --store j2 export --format nquads | md5sum)" "$("$EKG" --store j1 export --format nquads | md5sum)" "-j 2 export equals -j 1"

# Shards partition the input.
"$EKG" -q --store s1 ingest --shard 1/2 docs; "$EKG" -q --store s2 ingest --shard 2/2 docs
a=$("$EKG" --store s1 sparql 'SELECT ?d WHERE { ?d a ekg:Document }' | tail -n +2 | wc -l)
b=$("$EKG" --store s2 sparql 'SELECT ?d WHERE { ?d a ekg:Document }' | tail -n +2 | wc -l)
expect_eq "$((a + b))" "12" "documents over two shards"
finish
