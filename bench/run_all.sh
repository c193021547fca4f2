#!/usr/bin/env bash
# run_all.sh [EKG] — every benchmark, one after the other: load, export,
# ingest, queries (1M quads; QUERY_QUADS="1000000 10000000" for 10M too),
# checks, extraction throughput. See each script for its knobs (SIZES, RUNS,
# BENCH_DIR …). Takes an hour or more at the default sizes. Figures go to
# stdout; they are recorded in bench/RESULTS*.md.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
EKG=${1:-${EKG:-$(dirname "$HERE")/build/ekg}}
bash "$HERE/load_bench.sh" "$EKG"
bash "$HERE/export_bench.sh" "$EKG"
bash "$HERE/ingest_bench.sh" "$EKG"
for q in ${QUERY_QUADS:-1000000}; do bash "$HERE/query_bench.sh" "$EKG" "$q"; done
EKG=$EKG bash "$HERE/check_bench.sh"
# the extractor binary beside ekg (tests/extract/ekg-extract), else ekg extract
ex=$(dirname "$EKG")/tests/extract/ekg-extract
[ -x "$ex" ] || ex=
sh "$HERE/extract_throughput.sh" $ex
