#!/usr/bin/env python3
"""Per-document differences between the gold sets and a kept export (run_dev.py --keep DIR).

usage: diff_dev.py KEEPDIR [--shared DIR] [--doc SUBSTRING] [--only meetings|statements|stances]

Prints, per document, the gold items not found (-) and the predicted items matching no
gold item (+), with the same matching rules as score.py.
"""
import argparse, json, os, sys


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("keep")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(here))), "shared"))
    ap.add_argument("--doc", default="")
    ap.add_argument("--only")
    a = ap.parse_args()
    sys.path.insert(0, os.path.join(a.shared, "eval"))
    import score as S
    for gold in ("dev", "dev-ml"):
        g = S.Graph()
        g.load(os.path.join(a.keep, gold + ".nq"))
        pred = S.predicted(g)
        for line in open(os.path.join(a.shared, "eval", "gold", gold + ".jsonl"), encoding="utf-8"):
            if not line.strip():
                continue
            gd = json.loads(line)
            doc = gd["doc"]
            if a.doc not in doc:
                continue
            pd = pred.get(doc, {"meetings": [], "statements": [], "stances": []})
            out = []
            if a.only in (None, "meetings"):
                gm = [dict(m, participants=frozenset(m["participants"])) for m in gd.get("meetings", [])]
                pm = S.dedup(pd["meetings"], lambda m: (m["participants"], m["date"]))
                mt = lambda x, y: x["participants"] == y["participants"] and S.date_ok(x.get("date"), y["date"])
                for x in gm:
                    if not any(mt(x, y) for y in pm):
                        out.append(f"  - M {sorted(x['participants'])} {x.get('date')} {x.get('type')}")
                for y in pm:
                    if not any(mt(x, y) for x in gm):
                        out.append(f"  + M {sorted(y['participants'])} {y['date']} {y['type']}")
            if a.only in (None, "statements"):
                gs = gd.get("statements", [])
                ps = S.dedup(pd["statements"], lambda s: (s["agent"], s["date"]))
                mt = lambda x, y: x["agent"] == y["agent"] and S.date_ok(x.get("date"), y["date"])
                for x in S.dedup(gs, lambda s: (s["agent"], s.get("date"))):
                    if not any(mt(x, y) for y in ps):
                        out.append(f"  - S {x['agent']} {x.get('date')}")
                for y in ps:
                    if not any(mt(x, y) for x in gs):
                        out.append(f"  + S {y['agent']} {y['date']}")
            if a.only in (None, "stances"):
                gst = gd.get("stances", [])
                pst = S.dedup(pd["stances"], lambda s: (s["agent"], s["kind"], s["tcode"], tuple(sorted(s["tnames"]))))
                mt = lambda x, y: x["agent"] == y["agent"] and x["kind"] == y["kind"] and S.target_ok(x["target"], y)
                for x in gst:
                    if not any(mt(x, y) for y in pst):
                        t = x["target"].get("code") or x["target"].get("names", [""])[0]
                        out.append(f"  - T {x['agent']} {x['kind']} {t}")
                for y in pst:
                    if not any(mt(x, y) for x in gst):
                        t = y["tcode"] or (sorted(y["tnames"])[0] if y["tnames"] else "?")
                        out.append(f"  + T {y['agent']} {y['kind']} {t}")
            if out:
                print(doc[:90])
                print("\n".join(out))


if __name__ == "__main__":
    main()
