# lib.sh — helpers for the end-to-end tests: each `expect_*` counts one check.
EKG=$1
SRC=$2
SHARED=$3
export EKG_ONTOLOGY="$SRC/ontology"
WORK=$(mktemp -d /tmp/ekg-e2e.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0

ok()   { passed=$((passed + 1)); }
bad()  { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect_exit CODE PATTERN -- CMD…: the command exits with CODE and its stderr matches PATTERN
expect_exit() {
    local code=$1 pattern=$2; shift 3
    local err rc
    err=$("$@" 2>&1 >/dev/null); rc=$?
    if [ "$rc" -ne "$code" ]; then bad "$* exited $rc, expected $code ($err)"; return; fi
    if ! grep -qE -- "$pattern" <<<"$err"; then bad "$*: stderr '$err' lacks /$pattern/"; return; fi
    ok
}

expect_eq() { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
