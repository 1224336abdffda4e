#!/usr/bin/env bash
# bench/compare.sh — redis-benchmark throughput and server CPU cost: redis-server 7.0
# vs redis-clone in eventloop and threaded mode, side by side.
#
# Usage: bench/compare.sh [--rounds N] [--tests LIST|default|core] [--requests N] [--random N]
#                         [--pipelines "1 16"] [--clients 50] [--bin PATH] [--outdir DIR]
#
#   --rounds N       rounds; each round runs every server once, in rotating order (default 3)
#   --tests LIST     redis-benchmark -t names, comma separated; "default" (the default) is
#                    redis-benchmark's own default list: ping_inline,ping_mbulk,set,get,incr,
#                    lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,lrange_300,
#                    lrange_500,lrange_600,mset; "core" is set,get,incr,lpush,hset,zadd
#   --random N       -r N: random keys/members out of N (default 100000; 0 = fixed key)
#   --requests N     -n for every run; default: calibrated against redis-server so that
#                    each run lasts ~2.5 s there (REQ_SECONDS=2.5 to change)
#   --pipelines LIST pipeline depths (default "1 16")
#   --clients N      -c (default 50)
#   --bin PATH       prebuilt redis-clone binary (default: go build ./cmd/redis-clone)
#   --outdir DIR     raw results (default ${TMPDIR:-/tmp}/bench-compare-out)
#   --self-test      put redis-server in all three slots (ratios should be ~1.00)
#
# Every server is pinned to CPU 0 (taskset -c 0), redis-benchmark to CPU 1 (taskset -c 1).
# Servers run with --save "" --appendonly no in a private temp dir, on a free 127.0.0.1 port,
# fresh for each round. Reported figures are medians over the rounds: req/s from
# redis-benchmark --csv, and server CPU time (utime+stime from /proc/PID/stat) per request.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS=3
TESTS="default"
DEFAULT_TESTS="ping_inline,ping_mbulk,set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,zpopmin,lrange_100,lrange_300,lrange_500,lrange_600,mset"
CORE_TESTS="set,get,incr,lpush,hset,zadd"
RANDOM_KEYS=100000
REQUESTS=""
PIPELINES="1 16"
CLIENTS=50
PREBUILT=""
SELFTEST=0
OUTDIR="${TMPDIR:-/tmp}/bench-compare-out"
REQ_SECONDS="${REQ_SECONDS:-2.5}"
RUN_TIMEOUT=180
# Servers listen on a free port in PORT_LO..PORT_HI (env; default 22000..28999, bench/lib.sh).

die() { echo "compare.sh: $*" >&2; exit 2; } # until bench/lib.sh is sourced

while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS="${2:-}"; shift 2 ;;
        --rounds=*) ROUNDS="${1#*=}"; shift ;;
        --tests) TESTS="${2:-}"; shift 2 ;;
        --tests=*) TESTS="${1#*=}"; shift ;;
        --random) RANDOM_KEYS="${2:-}"; shift 2 ;;
        --random=*) RANDOM_KEYS="${1#*=}"; shift ;;
        --requests) REQUESTS="${2:-}"; shift 2 ;;
        --requests=*) REQUESTS="${1#*=}"; shift ;;
        --pipelines) PIPELINES="${2:-}"; shift 2 ;;
        --pipelines=*) PIPELINES="${1#*=}"; shift ;;
        --clients) CLIENTS="${2:-}"; shift 2 ;;
        --clients=*) CLIENTS="${1#*=}"; shift ;;
        --bin) PREBUILT="${2:-}"; shift 2 ;;
        --bin=*) PREBUILT="${1#*=}"; shift ;;
        --outdir) OUTDIR="${2:-}"; shift 2 ;;
        --outdir=*) OUTDIR="${1#*=}"; shift ;;
        --self-test) SELFTEST=1; shift ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer"
[[ -z "$REQUESTS" || "$REQUESTS" =~ ^[1-9][0-9]*$ ]] || die "--requests must be a positive integer"
[[ "$CLIENTS" =~ ^[1-9][0-9]*$ ]] || die "--clients must be a positive integer"
[[ "$RANDOM_KEYS" =~ ^[0-9]+$ ]] || die "--random must be a non-negative integer"
case "$TESTS" in
    default) TESTS="$DEFAULT_TESTS" ;;
    core) TESTS="$CORE_TESTS" ;;
esac
RAND_ARGS=()
[[ "$RANDOM_KEYS" -gt 0 ]] && RAND_ARGS=(-r "$RANDOM_KEYS")
IFS=',' read -r -a TEST_LIST <<<"$TESTS"
read -r -a PIPE_LIST <<<"$PIPELINES"

# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh" # WORK, die, start_slot, stop_slot, free_port; cleans up on exit
command -v redis-benchmark >/dev/null 2>&1 || die "redis-benchmark not found (apt-get install redis-tools)"
BENCH_CPU=$CLI_CPU
[[ $SRV_CPU -ne $CLI_CPU ]] || echo "compare.sh: only one CPU; server and benchmark share CPU 0 (figures will be pessimistic)" >&2
CLK_TCK="$(getconf CLK_TCK)"

# ---------------------------------------------------------------------------
SLOTS=(redis eventloop threaded)
if [[ $SELFTEST -eq 0 ]]; then
    if [[ -n "$PREBUILT" ]]; then
        BIN="$(cd "$(dirname "$PREBUILT")" && pwd)/$(basename "$PREBUILT")"
        [[ -x "$BIN" ]] || die "--bin $PREBUILT is not executable"
    else
        BIN="$WORK/redis-clone"
        echo "==> go build -o $BIN ./cmd/redis-clone" >&2
        (cd "$ROOT" && go build -o "$BIN" ./cmd/redis-clone) || die "build failed"
    fi
fi

# start_server SLOT: start_slot, with redis-server in every slot under --self-test.
start_server() {
    if [[ $SELFTEST -eq 1 ]]; then start_slot redis; else start_slot "$1"; fi
}

warm_up() { # not measured: first connections, allocator/GC warm-up
    timeout 60 taskset -c "$BENCH_CPU" redis-benchmark -h 127.0.0.1 -p "$SRV_PORT" -c "$CLIENTS" \
        -n 20000 -P 16 -t set,get -q >/dev/null 2>&1 </dev/null
}

cpu_ticks() { # utime+stime of a pid (fields 14,15; skip the "(comm)" field safely)
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
    stat="${stat##*) }"
    # after "(comm) ": state=1 ... utime=12 stime=13
    awk '{ print $12 + $13 }' <<<"$stat"
}

# bench TEST P N → prints "rps cpu_us_per_req"
# lrange_N runs as the explicit command "LRANGE mylist 0 N-1" on a list refilled to 600
# elements just before (not measured): redis-benchmark's -t lrange_N would first run
# "LPUSH (needed to benchmark LRANGE)" with the same -n inside the measured run, which
# mixes LPUSH into both the throughput line picked up and the CPU time.
bench() {
    local t=$1 p=$2 n=$3 before after out rps args=()
    case "$t" in
        lrange_[0-9]*)
            prefill_list
            args=(LRANGE mylist 0 "$((${t#lrange_} - 1))") ;;
        *) args=(-t "$t") ;;
    esac
    before="$(cpu_ticks "$SRV_PID")"
    out="$(timeout "$RUN_TIMEOUT" taskset -c "$BENCH_CPU" redis-benchmark -h 127.0.0.1 -p "$SRV_PORT" \
        -c "$CLIENTS" -n "$n" -P "$p" "${RAND_ARGS[@]}" -q --csv "${args[@]}" 2>/dev/null </dev/null)"
    after="$(cpu_ticks "$SRV_PID")"
    rps="$(awk -F'"' 'NR > 1 && $2 != "" { print $4; exit }' <<<"$out")"
    [[ -n "$rps" ]] || rps="NaN"
    awk -v r="$rps" -v b="$before" -v a="$after" -v n="$n" -v hz="$CLK_TCK" \
        'BEGIN { printf "%s %.3f\n", r, (a - b) * 1e6 / hz / n }'
}

prefill_list() { # mylist := 600 elements "xxx" (redis-benchmark's default -d 3 payload)
    local xs
    xs="$(printf 'xxx %.0s' $(seq 600))"
    # shellcheck disable=SC2086
    { echo "DEL mylist"; echo "RPUSH mylist $xs"; } |
        timeout 10 redis-cli -h 127.0.0.1 -p "$SRV_PORT" >/dev/null 2>&1
}

median() { # numbers on stdin → median (NaN ignored)
    grep -v NaN | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "NaN"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ---------------------------------------------------------------------------
mkdir -p "$OUTDIR"
RAW="$OUTDIR/raw.tsv"
printf 'round\tslot\ttest\tP\tn\trps\tcpu_us_per_req\n' >"$RAW"

declare -A NREQ
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "==> $(date -u +%FT%TZ) rounds=$ROUNDS tests=$TESTS random=$RANDOM_KEYS pipelines='$PIPELINES' clients=$CLIENTS server-cpu=$SRV_CPU bench-cpu=$BENCH_CPU$([[ $SELFTEST -eq 1 ]] && echo ' SELF-TEST (redis-server in every slot)')" >&2
if [[ -n "$REQUESTS" ]]; then
    for t in "${TEST_LIST[@]}"; do for p in "${PIPE_LIST[@]}"; do NREQ[$t,$p]=$REQUESTS; done; done
else
    echo "==> calibrating -n against redis-server (~${REQ_SECONDS}s per run)" >&2
    start_server redis
    warm_up
    for t in "${TEST_LIST[@]}"; do
        for p in "${PIPE_LIST[@]}"; do
            # Grow n until a run lasts >= 1 s, keep the best rate of the runs, then size
            # n for REQ_SECONDS at that rate (at least 20000 requests, so the CPU-time
            # resolution of 10 ms ticks stays fine for the slow LRANGE tests too).
            n=$((p > 1 ? 60000 : 20000))
            best=0
            for ((try = 0; try < 5; try++)); do
                t0=$(date +%s%N)
                read -r rps _ < <(bench "$t" "$p" "$n")
                ms=$((($(date +%s%N) - t0) / 1000000))
                best="$(awk -v a="$best" -v b="$rps" 'BEGIN { print (b != "NaN" && b + 0 > a + 0) ? b : a }')"
                [[ $ms -ge 1000 ]] && break
                n=$((n * 3))
            done
            floor=20000
            NREQ[$t,$p]="$(awk -v r="$best" -v s="$REQ_SECONDS" -v f="$floor" 'BEGIN { n = r * s; n = int(n / 10000 + 0.5) * 10000; if (n < f) n = f; print n }')"
            echo "    $t P=$p: ~$best req/s → -n ${NREQ[$t,$p]}" >&2
        done
    done
    stop_slot
fi

for ((r = 1; r <= ROUNDS; r++)); do
    # rotate the order so no server always runs first / last
    order=()
    for ((k = 0; k < ${#SLOTS[@]}; k++)); do order+=("${SLOTS[$(((k + r - 1) % ${#SLOTS[@]}))]}"); done
    echo "==> round $r/$ROUNDS: ${order[*]}" >&2
    for slot in "${order[@]}"; do
        start_server "$slot"
        warm_up
        for t in "${TEST_LIST[@]}"; do
            for p in "${PIPE_LIST[@]}"; do
                n=${NREQ[$t,$p]}
                read -r rps cpu < <(bench "$t" "$p" "$n")
                printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$slot" "$t" "$p" "$n" "$rps" "$cpu" >>"$RAW"
                printf '    %-9s %-5s P=%-3s n=%-8s %12s req/s %8s us/req\n' "$slot" "$t" "$p" "$n" "$rps" "$cpu" >&2
            done
        done
        stop_slot
    done
done

# ---------------------------------------------------------------------------
med() { # slot test P column(6=rps,7=cpu)
    awk -F'\t' -v s="$1" -v t="$2" -v p="$3" -v c="$4" 'NR > 1 && $2 == s && $3 == t && $4 == p { print $c }' "$RAW" | median
}
fmt_rps() { awk -v v="$1" 'BEGIN { if (v == "NaN") print "n/a"; else printf "%.0f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NaN" || b == "NaN" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }

echo
echo "_$(date -u +%F), $(nproc --all) CPUs, load average at start ${LOAD_START}, at end $(cut -d' ' -f1-3 /proc/loadavg); redis-benchmark -c $CLIENTS$([[ $RANDOM_KEYS -gt 0 ]] && echo " -r $RANDOM_KEYS"), -n per test: $(for t in "${TEST_LIST[@]}"; do for p in "${PIPE_LIST[@]}"; do printf '%s/P%s=%s ' "$t" "$p" "${NREQ[$t,$p]}"; done; done)_"
echo
if [[ $SELFTEST -eq 1 ]]; then
    echo "_Self-test: redis-server 7.0 in all three columns; ratios show the noise floor._"
    echo
fi
echo "Throughput (median of $ROUNDS rounds, -c $CLIENTS; server on CPU $SRV_CPU, redis-benchmark on CPU $BENCH_CPU):"
echo
echo "| test | P | redis req/s | eventloop req/s (ratio) | threaded req/s (ratio) |"
echo "|------|--:|------------:|------------------------:|-----------------------:|"
for t in "${TEST_LIST[@]}"; do
    for p in "${PIPE_LIST[@]}"; do
        rr="$(med redis "$t" "$p" 6)"
        re="$(med eventloop "$t" "$p" 6)"
        rt="$(med threaded "$t" "$p" 6)"
        echo "| $t | $p | $(fmt_rps "$rr") | $(fmt_rps "$re") ($(ratio "$re" "$rr")) | $(fmt_rps "$rt") ($(ratio "$rt" "$rr")) |"
    done
done
echo
echo "Server CPU per request, µs (utime+stime from /proc/PID/stat; median; lower is better):"
echo
echo "| test | P | redis µs/req | eventloop µs/req (ratio) | threaded µs/req (ratio) |"
echo "|------|--:|-------------:|-------------------------:|------------------------:|"
for t in "${TEST_LIST[@]}"; do
    for p in "${PIPE_LIST[@]}"; do
        cr="$(med redis "$t" "$p" 7)"
        ce="$(med eventloop "$t" "$p" 7)"
        ct="$(med threaded "$t" "$p" 7)"
        f() { awk -v v="$1" 'BEGIN { if (v == "NaN") print "n/a"; else printf "%.2f", v }'; }
        echo "| $t | $p | $(f "$cr") | $(f "$ce") ($(ratio "$ce" "$cr")) | $(f "$ct") ($(ratio "$ct" "$cr")) |"
    done
done
echo
echo "Raw per-run figures: $RAW"
