#!/usr/bin/env bash
# The issue's acceptance path: ingest the seeds, export N-Quads, and the gold
# scorer reads it and finds the Russian–French consultation of 15 November 2019.
source "$(dirname "$0")/lib.sh"
cd "$WORK"
[ -d "$SHARED/corpus/seeds" ] || { echo "no ../shared; skipped"; exit 0; }
"$EKG" -q --store db ingest "$SHARED/corpus/seeds" || bad "ingest of the seeds"
"$EKG" --store db export --format nquads -o out.nq || bad "export"
python3 "$SHARED/eval/score.py" --gold "$SHARED/eval/gold/dev.jsonl" --graph out.nq --json > score.json || bad "score.py"
python3 - "$SHARED" out.nq <<'PY' && ok || bad "the RUS–FRA consultation of 2019-11-15 is not in the export"
import sys
sys.path.insert(0, sys.argv[1] + "/eval")
import score
g = score.Graph(); g.load(sys.argv[2])
found = any(m["participants"] == frozenset({"RUS", "FRA"}) and m["date"] == "2019-11-15"
            for m in score.predicted(g)["000_2676ad9c4ae5ff34.txt"]["meetings"])
sys.exit(0 if found else 1)
PY
finish
