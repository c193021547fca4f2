#!/usr/bin/env python3
"""Generate event-shaped N-Quads for benchmarks: N events, each in the named
graph of its document, with type, two sides or agent+target, date, evidence,
confidence and source — the shape ekg's extractor writes.

usage: gen_events.py QUADS [SEED] > events.nq
Deterministic for a given QUADS and SEED. About 9 quads per event.
"""
import random
import sys

EKG = "https://w3id.org/ekg/ns#"
ID = "https://w3id.org/ekg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
STATES = ["RUS", "USA", "FRA", "DEU", "GBR", "CHN", "UKR", "JPN", "KOR", "ITA", "CAN", "ESP",
          "NLD", "POL", "TUR", "ISR", "IND", "BRA", "AUS", "AUT", "BEL", "SWE", "NOR", "FIN",
          "EST", "LVA", "LTU", "CZE", "HUN", "ROU", "GRC", "PRT", "IRN", "PRK", "SAU", "ARE",
          "EGY", "ZAF", "NGA", "MEX", "ARG", "CHL", "VNM", "IDN", "SGP", "MYS", "THA", "PHL",
          "NZL", "CHE"]
MEETINGS = ["Consultation", "Summit", "Visit", "Call", "Session", "Meeting"]
STANCES = ["Endorsement", "Criticism", "Rejection", "Proposal", "Commitment", "Signing",
           "Adoption", "Accession"]
AGREEMENTS = ["paris-call", "budapest-convention", "jcpoa", "new-start", "nis2",
              "cyber-resilience-act", "counter-ransomware-initiative", "tallinn-manual"]


def main():
    target = int(sys.argv[1])
    rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    n = ev = 0
    doc = 0
    while n < target:
        doc += 1
        g = f"<{ID}doc/{doc:08x}>"
        out.write(f'{g} <{EKG}fileName> "doc-{doc}.txt" {g} .\n'
                  f'{g} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EKG}Document> {g} .\n')
        n += 2
        for _ in range(rnd.randint(1, 6)):
            ev += 1
            e = f"<{ID}event/{ev:010x}>"
            y, m, d = rnd.randint(2010, 2026), rnd.randint(1, 12), rnd.randint(1, 28)
            if rnd.random() < 0.5:
                cls = rnd.choice(MEETINGS)
                a, b = rnd.sample(STATES, 2)
                rel = (f"{e} <{EKG}participant> <{ID}state/{a}> {g} .\n"
                       f"{e} <{EKG}participant> <{ID}state/{b}> {g} .\n")
            else:
                cls = rnd.choice(STANCES)
                a = rnd.choice(STATES)
                t = (f"<{ID}agreement/{rnd.choice(AGREEMENTS)}>" if rnd.random() < 0.7
                     else f"<{ID}state/{rnd.choice(STATES)}>")
                rel = (f"{e} <{EKG}agent> <{ID}state/{a}> {g} .\n"
                       f"{e} <{EKG}target> {t} {g} .\n")
            out.write(f"{e} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{EKG}{cls}> {g} .\n"
                      + rel +
                      f'{e} <{EKG}date> "{y}-{m:02d}-{d:02d}"^^<{XSD}date> {g} .\n'
                      f'{e} <{EKG}evidence> "Sentence {ev} of document {doc}." {g} .\n'
                      f'{e} <{EKG}confidence> "0.{rnd.randint(50, 99)}"^^<{XSD}decimal> {g} .\n'
                      f"{e} <{EKG}source> {g} {g} .\n"
                      f'{e} <{EKG}rule> "bench" {g} .\n')
            n += 8
    return 0


if __name__ == "__main__":
    sys.exit(main())
