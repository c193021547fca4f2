#!/usr/bin/env bash
# run_all.sh [EKG] — every benchmark, one after the other (load, export,
# ingest); see each script for its knobs (SIZES, RUNS, BENCH_DIR …).
# Takes tens of minutes at the default sizes. Figures go to stdout; record
# them in bench/RESULTS.md.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
EKG=${1:-${EKG:-$(dirname "$HERE")/build/ekg}}
bash "$HERE/load_bench.sh" "$EKG"
bash "$HERE/export_bench.sh" "$EKG"
bash "$HERE/ingest_bench.sh" "$EKG"
