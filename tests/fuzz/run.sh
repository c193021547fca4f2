#!/bin/bash
# run.sh [SECONDS] [HARNESS…] — build the libFuzzer harnesses with clang
# (ASan+UBSan+libFuzzer) in a build dir of their own and run each for SECONDS
# (default 60). Fails on any crash, leak, timeout, OOM or sanitizer report;
# the input that did it is left in $BUILD/artifacts/<harness>/ — copy it to
# tests/fuzz/regress/<harness>/ so plain ctest replays it (fuzz/replay_*).
#   EKG_FUZZ_BUILD  build dir (default <repo>/build-fuzz)
#   EKG_FUZZ_JOBS   harnesses run at once (default: number of cores)
set -u
SECS=${1:-60}; shift || true
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
BUILD=${EKG_FUZZ_BUILD:-$SRC/build-fuzz}
JOBS=${EKG_FUZZ_JOBS:-$(nproc)}
ALL="query dates read_text read_markdown read_html read_xml load_turtle load_nquads load_trig"
HARNESSES=${*:-$ALL}
export EKG_ONTOLOGY="$SRC/ontology"

cmake -S "$SRC" -B "$BUILD" -DEKG_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DEKG_WERROR=OFF \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$BUILD.cmake.log" 2>&1 || { cat "$BUILD.cmake.log"; exit 1; }
targets=$(for h in $HARNESSES; do printf 'fuzz_%s ' "$h"; done)
# shellcheck disable=SC2086
cmake --build "$BUILD" -j"$(nproc)" --target $targets >"$BUILD.build.log" 2>&1 ||
    { tail -n 40 "$BUILD.build.log"; exit 1; }

# Leaks inside libraries' one-time initialisation are not ours.
export LSAN_OPTIONS="suppressions=$HERE/../lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_one() {
    local h=$1 corpus="$BUILD/corpus/$h" art="$BUILD/artifacts/$h/"
    mkdir -p "$corpus" "$art"
    # raptor has no frame pointers: slow unwinding so lsan.supp can match its frames
    local asan=$ASAN_OPTIONS
    case $h in load_*) asan="fast_unwind_on_malloc=0:$asan" ;; esac
    ASAN_OPTIONS=$asan "$BUILD/tests/fuzz/fuzz_$h" -max_total_time="$SECS" -timeout=30 -rss_limit_mb=2560 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$art" \
        "$corpus" "$HERE/seeds/$h" >"$BUILD/fuzz_$h.log" 2>&1
    local rc=$?
    local execs cov
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD/fuzz_$h.log" | grep -o '[0-9]*$')
    cov=$(grep -oE 'cov: [0-9]+' "$BUILD/fuzz_$h.log" | tail -n1)
    if [ "$rc" -eq 0 ]; then
        echo "ok    $h: ${SECS}s, ${execs:-?} runs, ${cov:-cov ?}"
    else
        echo "FAIL  $h: exit $rc — $(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$BUILD/fuzz_$h.log")"
        echo "      log: $BUILD/fuzz_$h.log; input: $(ls "$art" | head -n1)"
    fi
    return $rc
}

fail=0 pids=()
for h in $HARNESSES; do
    run_one "$h" & pids+=($!)
    if [ "${#pids[@]}" -ge "$JOBS" ]; then wait "${pids[0]}" || fail=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || fail=1; done
[ "$fail" -eq 0 ] && echo "fuzz: all harnesses clean" || echo "fuzz: FAILURES (see above)"
exit $fail
