# bench_lib.sh — helpers for the bench/*.sh scripts (sourced).
#
#   measure NAME RUNS 'SETUP' CMD…   run CMD RUNS times (SETUP, a shell string,
#                                   before each run, untimed); sets
#                                   M_WALL (median s), M_MIN, M_MAX, M_RSS (median
#                                   peak RSS, MB), M_CPU (median user+sys s) and
#                                   prints one line
#   ratio A B                       A/B to two decimals
# Timing and peak RSS come from GNU time (/usr/bin/time -f '%e %M %U %S').
# CPU time is printed too: on a shared machine it moves less than wall time.

BENCH_TIME=${BENCH_TIME:-/usr/bin/time}
[ -x "$BENCH_TIME" ] || { echo "bench: needs GNU time at $BENCH_TIME (apt-get install time)" >&2; exit 1; }

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

measure() {
    local name=$1 runs=$2 setup=$3; shift 3
    local walls=() rsss=() cpus=() i out
    out=$(mktemp)
    for ((i = 0; i < runs; i++)); do
        [ -n "$setup" ] && eval "$setup"
        if ! "$BENCH_TIME" -f '%e %M %U %S' -o "$out" "$@" >/dev/null 2>"$out.err"; then
            echo "  $name: run $((i + 1)) failed: $(tail -3 "$out.err")" >&2
        fi
        read -r w r u s < <(tail -1 "$out")
        walls+=("$w"); rsss+=("$r"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u + s}')")
    done
    M_WALL=$(printf '%s\n' "${walls[@]}" | median)
    M_MIN=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
    M_MAX=$(printf '%s\n' "${walls[@]}" | sort -g | tail -1)
    M_RSS=$(printf '%s\n' "${rsss[@]}" | median | awk '{printf "%.0f", $1/1024}')
    M_CPU=$(printf '%s\n' "${cpus[@]}" | median)
    rm -f "$out" "$out.err"
    printf '  %-34s median %8.2f s (min %.2f, max %.2f, %d runs)  cpu %7.2f s  peak RSS %6s MB\n' \
        "$name" "$M_WALL" "$M_MIN" "$M_MAX" "$runs" "$M_CPU" "$M_RSS"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }

bench_machine() {
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GB RAM; $(. /etc/os-release; echo "$PRETTY_NAME")"
    echo "commit:  $(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --short HEAD 2>/dev/null)"
    echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at $(date -u +%H:%M) UTC"
}
