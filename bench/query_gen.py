#!/usr/bin/env python3
"""Generate N event-shaped quads (N-Quads) for the query benchmark.
usage: query_gen.py N OUT.nq   — uses the classes, lexicon and labels of
tests/golden/query/fixture.nq (loaded separately) and adds states S000…,
persons, agreements and events in 1000 document graphs."""
import random, sys
N, out = int(sys.argv[1]), sys.argv[2]
random.seed(7)
NS = "https://w3id.org/ekg/ns#"; ID = "https://w3id.org/ekg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"; SK = "http://www.w3.org/2004/02/skos/core#prefLabel"
XSD = "http://www.w3.org/2001/XMLSchema#"
states = ["state/RUS", "state/USA", "state/FRA", "state/DEU"] + ["state/S%03d" % i for i in range(196)]
persons = ["person/p%04d" % i for i in range(2000)]
agreements = ["agreement/a%03d" % i for i in range(300)]
O = "<https://w3id.org/ekg/graph/ontology>"
n = 0
with open(out, "w") as f:
    def q(s, p, o, g):
        global n
        f.write("%s %s %s %s .\n" % (s, p, o, g)); n += 1
    for s in states[4:]:
        q("<%s%s>" % (ID, s), "<%s>" % RDF, "<%sState>" % NS, O)
        q("<%s%s>" % (ID, s), "<%s>" % SK, '"State %s"@en' % s[-3:], O)
    for i, p in enumerate(persons):
        q("<%s%s>" % (ID, p), "<%s>" % RDF, "<%sPerson>" % NS, O)
        q("<%s%s>" % (ID, p), "<%s>" % SK, '"Person %d"@en' % i, O)
        q("<%s%s>" % (ID, p), "<%srepresents>" % NS, "<%s%s>" % (ID, states[i % len(states)]), O)
    for i, a in enumerate(agreements):
        q("<%s%s>" % (ID, a), "<%s>" % RDF, "<%sInitiative>" % NS, O)
        q("<%s%s>" % (ID, a), "<%s>" % SK, '"Agreement %d"@en' % i, O)
    e = 0
    while n < N:
        g = "<%sdoc/g%04d>" % (ID, e % 1000)
        ev = "<%sevent/b%07d>" % (ID, e); e += 1
        kind = random.choice(["Consultation", "Endorsement", "Criticism", "Signing", "Call"])
        q(ev, "<%s>" % RDF, "<%s%s>" % (NS, kind), g)
        # a few states act a lot (Zipf-like), as in the corpus
        pick = lambda: states[min(int(random.paretovariate(1.2)) - 1, len(states) - 1)] if random.random() < .5 else random.choice(states)
        if kind in ("Consultation", "Call"):
            a, b = pick(), pick()
            while b == a: b = random.choice(states)
            q(ev, "<%sparticipant>" % NS, "<%s%s>" % (ID, a), g)
            q(ev, "<%sparticipant>" % NS, "<%s%s>" % (ID, b), g)
            q(ev, "<%sledBy>" % NS, "<%s%s>" % (ID, random.choice(persons)), g)
        else:
            q(ev, "<%sagent>" % NS, "<%s%s>" % (ID, pick()), g)
            q(ev, "<%starget>" % NS, "<%s%s>" % (ID, random.choice(agreements)), g)
        q(ev, "<%sdate>" % NS, '"%d-%02d-%02d"^^<%sdate>' % (random.randint(2010, 2024), random.randint(1, 12), random.randint(1, 28), XSD), g)
        q(ev, "<%ssource>" % NS, "<%sdoc/g%04d>" % (ID, e % 1000), g)
        q(ev, "<%sconfidence>" % NS, '"0.%d"^^<%sdecimal>' % (random.randint(1, 9), XSD), g)
print("%d quads, %d events" % (n, e), file=sys.stderr)
