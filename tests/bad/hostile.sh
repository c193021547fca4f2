#!/bin/bash
# hostile.sh EKG SRC SHARED — ingest and extract every hostile document of
# gen.sh, each into a fresh store together with one good document, under
# bounds: wall time $EKG_BAD_TIMEOUT s (default 60), address space
# $EKG_BAD_VMEM_KB (default 2 GB; not applied to sanitizer builds, whose
# shadow memory reserves terabytes). Checks per input:
#   - the process ends by itself with 0 or 1 (no signal, no timeout);
#   - on failure, stderr names the input;
#   - the good document is stored;
#   - nothing of /etc/passwd, of the XXE server, or of a billion laughs is in the export;
#   - no connection reaches the XXE server on 127.0.0.1:9.
# Writes a table "input  seconds  maxRSS(MB)  exit" to $WORK/limits.txt and stdout.
source "$(dirname "$0")/../e2e/lib.sh"
TIMEOUT=${EKG_BAD_TIMEOUT:-60}
VMEM=${EKG_BAD_VMEM_KB:-2097152}
GOOD="$SRC/examples/en-01-osce-permanent-council.md"
GOODNAME=$(basename "$GOOD")

HAVE_INGEST=1 HAVE_EXTRACT=1
"$EKG" ingest --help 2>&1 | grep -q 'not available in this build' && HAVE_INGEST=0
"$EKG" extract --help 2>&1 | grep -q 'not available in this build' && HAVE_EXTRACT=0
if [ "$HAVE_INGEST$HAVE_EXTRACT" = 00 ]; then
    echo "SKIP: neither ekg ingest nor ekg extract has landed in this build"; exit 77
fi
[ "$HAVE_INGEST" = 0 ] && echo "note: ekg ingest has not landed: only ekg extract is tested"
if nm -C "$EKG" 2>/dev/null | grep -q '__asan_init' || ldd "$EKG" 2>/dev/null | grep -q asan; then
    VMEM=unlimited
fi

bash "$SRC/tests/bad/gen.sh" "$WORK/bad" >/dev/null
trap 'chmod -R u+rwx "$WORK" 2>/dev/null; rm -rf "$WORK"; [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null' EXIT

# A listener on 127.0.0.1:9 that serves a marker and logs every connection.
SRV=
if command -v python3 >/dev/null; then
    python3 - "$WORK/xxe-conn.log" <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", 9)); s.listen(16)
except OSError:
    sys.exit(0)
while True:
    c, a = s.accept()
    open(sys.argv[1], "a").write("connection from %s\n" % (a,))
    c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nEKGXXEMARKER root:x:0:0\n")
    c.close()
PY
    SRV=$!
    sleep 0.5
fi

FORBIDDEN='root:x:0:0|/usr/sbin/nologin|/bin/false|EKGXXEMARKER|lollollollollol'
printf '%-22s %8s %10s %5s\n' input seconds maxRSS_MB exit > "$WORK/limits.txt"

# run NAME OUT ERR CMD… — run bounded; sets RC, SECS, RSS
run() {
    local name=$1 out=$2 err=$3; shift 3
    ( ulimit -v "$VMEM"; exec /usr/bin/time -f '%e %M' -o "$WORK/time.$$" \
        timeout -s KILL "$TIMEOUT" "$@" ) >"$out" 2>"$err" </dev/null
    RC=$?
    read -r SECS RSS < <(tail -n1 "$WORK/time.$$" 2>/dev/null | grep -E '^[0-9.]+ [0-9]+$' || echo "? 0")
    RSS=$(( ${RSS:-0} / 1024 ))
    # /usr/bin/time reports "Command terminated by signal N" and exits 128+N-ish
    if grep -q 'terminated by signal' "$WORK/time.$$" 2>/dev/null; then
        RC=$((128 + $(grep -o 'signal [0-9]*' "$WORK/time.$$" | grep -o '[0-9]*')))
    fi
    rm -f "$WORK/time.$$"
}

check_rc() { # what name rc errfile
    if [ "$3" -eq 0 ] || [ "$3" -eq 1 ]; then ok
    else bad "$1 $2: exit $3 (signal/timeout/abort): $(tail -c 400 "$4")"; fi
}

n=0
for f in "$WORK"/bad/*; do
    name=$(basename "$f")
    n=$((n + 1))
    store="$WORK/store-$n"
    # --- ingest (hostile + good) ---
    if [ "$HAVE_INGEST" = 1 ]; then
    run "$name" "$WORK/out" "$WORK/err" "$EKG" --store "$store" ingest "$f" "$GOOD"
    irc=$RC
    printf '%-22s %8s %10s %5s\n' "ingest:$name" "$SECS" "$RSS" "$irc" >> "$WORK/limits.txt"
    check_rc ingest "$name" "$irc" "$WORK/err"
    if [ "$irc" -eq 1 ]; then
        if grep -qF "$name" "$WORK/err"; then ok
        else bad "ingest $name: failed without naming the input: $(head -c 300 "$WORK/err")"; fi
    fi
    if [ "$irc" -le 1 ]; then
        "$EKG" --store "$store" export --format nquads > "$WORK/export.nq" 2>"$WORK/export.err"
        erc=$?
        if [ "$erc" -eq 0 ]; then ok; else bad "export after $name: exit $erc: $(head -c 300 "$WORK/export.err")"; fi
        if grep -qF "\"$GOODNAME\"" "$WORK/export.nq"; then ok
        else bad "ingest $name: the good document $GOODNAME is not in the store"; fi
        if grep -qE "$FORBIDDEN" "$WORK/export.nq"; then
            bad "ingest $name: forbidden content in the store: $(grep -oE ".{0,60}($FORBIDDEN).{0,20}" "$WORK/export.nq" | head -n2)"
        else ok; fi
    fi
    rm -rf "$store"
    fi
    # --- extract ---
    if [ "$HAVE_EXTRACT" = 1 ]; then
        run "$name" "$WORK/out" "$WORK/err" "$EKG" extract "$f"
        xrc=$RC
        printf '%-22s %8s %10s %5s\n' "extract:$name" "$SECS" "$RSS" "$xrc" >> "$WORK/limits.txt"
        check_rc extract "$name" "$xrc" "$WORK/err"
        if [ "$xrc" -eq 1 ] && ! grep -qF "$name" "$WORK/err"; then
            bad "extract $name: failed without naming the input: $(head -c 300 "$WORK/err")"
        fi
        if grep -qE "$FORBIDDEN" "$WORK/out"; then bad "extract $name: forbidden content in output"; else ok; fi
    fi
done

# Directory entries a walk must survive: a FIFO (must not block), a dangling
# symlink, a symlink loop — given as a directory and as direct arguments.
for args in "dir-special" "loop" "dir-special/dangling.txt" "dir-special/fifo.txt"; do
    [ "$HAVE_INGEST" = 1 ] || break
    n=$((n + 1)); store="$WORK/store-$n"
    run "$args" "$WORK/out" "$WORK/err" "$EKG" --store "$store" ingest "$WORK/bad/$args" "$GOOD"
    printf '%-22s %8s %10s %5s\n' "ingest:$args" "$SECS" "$RSS" "$RC" >> "$WORK/limits.txt"
    check_rc ingest "$args" "$RC" "$WORK/err"
    if [ "$RC" -le 1 ]; then
        "$EKG" --store "$store" export --format nquads > "$WORK/export.nq" 2>/dev/null
        if grep -qF "\"$GOODNAME\"" "$WORK/export.nq"; then ok
        else bad "ingest $args: the good document is not in the store"; fi
    fi
    rm -rf "$store"
done

# stdin: hostile bytes through `-`
if [ "$HAVE_INGEST" = 1 ]; then
n=$((n + 1)); store="$WORK/store-$n"
( ulimit -v "$VMEM"; timeout -s KILL "$TIMEOUT" "$EKG" --store "$store" ingest - < "$WORK/bad/elf.txt" ) >/dev/null 2>"$WORK/err"
check_rc ingest stdin-elf $? "$WORK/err"
fi

if [ -n "$SRV" ] && [ -s "$WORK/xxe-conn.log" ]; then
    bad "a network connection reached 127.0.0.1:9: $(cat "$WORK/xxe-conn.log")"
else ok; fi

echo "bounds: timeout ${TIMEOUT}s, ulimit -v ${VMEM} kB"
cat "$WORK/limits.txt"
finish
