#!/usr/bin/env python3
"""Golden tests of extraction: each input here (*.txt *.md *.html *.xml *.atom)
is extracted with the fixed test ontology in ./ontology, the document graph is
summarised as stable, sorted lines (documents and events, IRIs shortened to
their last segment, hashes dropped) and compared with <input>.expected.

usage: run.py EXTRACTOR [NAME…] [--update]
"""
import os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
TERM = r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)'
LINE = re.compile(r"^" + TERM + r" " + TERM + r" " + TERM + r"(?: " + TERM + r")? \.$")
EXTS = (".txt", ".md", ".html", ".xml", ".atom")


def val(t):
    if t.startswith("<"):
        v = t[1:-1]
        return v.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    m = re.match(r'"((?:[^"\\]|\\.)*)"', t)
    return m.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8") if m else t


def summarise(nq):
    subj = {}
    for line in nq.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        s, p, o = m.group(1), val(m.group(2)), m.group(3)
        subj.setdefault(s, {}).setdefault(p, []).append(o)
    out = []
    for s, props in subj.items():
        types = [val(t) for t in props.get("type", [])]
        if "Document" in types:
            out.append("document %s lang=%s date=%s title=%s" % (
                val(props["fileName"][0]), ",".join(val(x) for x in props.get("language", [])) or "-",
                ",".join(val(x) for x in props.get("date", [])) or "-",
                ",".join(val(x) for x in props.get("title", [])) or "-"))
        elif "Person" in types:
            def lab(t):
                m = re.search(r'"@([A-Za-z0-9-]+)$', t)
                return val(t) + ("@" + m.group(1) if m else "")
            out.append("person %s represents=%s" % (",".join(sorted(lab(x) for x in props.get("prefLabel", []))),
                                                    ",".join(val(x) for x in props.get("represents", []))))
        elif types:
            def j(p):
                return ",".join(sorted(val(x) for x in props.get(p, []))) or "-"
            sides = j("participant") if "participant" in props else j("agent")
            # evidence: how many sentences, and "empty" if one is blank
            ev = [val(x) for x in props.get("evidence", [])]
            evs = "%d%s" % (len(ev), "-empty" if any(not e.strip() for e in ev) else "")
            out.append("%s sides=%s target=%s date=%s place=%s forum=%s ledBy=%s rule=%s evidence=%s" % (
                ",".join(types), sides, j("target"), j("date"), j("place"), j("forum"), j("ledBy"), j("rule"), evs))
    return "\n".join(sorted(out)) + "\n"


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    update = "--update" in sys.argv
    exe, names = args[0], args[1:]
    env = dict(os.environ, EKG_ONTOLOGY=os.path.join(HERE, "ontology"))
    inputs = sorted(f for f in os.listdir(HERE) if f.endswith(EXTS) and (not names or f in names))
    failed = 0
    for f in inputs:
        r = subprocess.run([exe, "--format", "nquads", os.path.join(HERE, f)], capture_output=True, env=env)
        got = summarise(r.stdout.decode("utf-8")) if r.returncode == 0 else "error: %s\n" % r.stderr.decode()
        exp_path = os.path.join(HERE, f + ".expected")
        if update:
            with open(exp_path, "w", encoding="utf-8") as fh:
                fh.write(got)
            print("updated", f)
            continue
        exp = open(exp_path, encoding="utf-8").read() if os.path.exists(exp_path) else ""
        if got != exp:
            failed += 1
            print("FAIL", f)
            import difflib
            sys.stdout.writelines(difflib.unified_diff(exp.splitlines(True), got.splitlines(True), "expected", "got"))
        else:
            print("ok  ", f)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
