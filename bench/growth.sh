#!/usr/bin/env bash
# bench/growth.sh — keyspace growth from 0 to 10M keys: pipelined writers SET key:N with
# 16-byte values while a probe connection sends one GET or PING every millisecond (P1) and
# times it; reports the fill time, the probe's p50/p99/p99.9/max and the slowest probes
# with the key count at which they were sent (a stall at a power of two points at a hash
# table resize), plus the server's LATENCY HISTORY gc-pause / LATENCY LATEST and RSS.
# redis-server 7.0 vs redis-clone eventloop and threaded, fresh servers (--save ""
# --appendonly no, latency-monitor-threshold 1), rotating order, median over the rounds.
# Needs about 1.5–3 GB of RAM per server (one server at a time).
#
# Usage: bench/growth.sh [--rounds 1] [--n 10000000] [--writers 4] [--pipeline 100]
#                        [--probe-every 1ms] [--top 8] [--slots "redis eventloop threaded"]
# Env: BIN (prebuilt redis-clone), PORT_LO/PORT_HI (port range), GODEBUG (passed to
# our server, e.g. gctrace=1: the trace lands in the round's server log, printed at the end).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=1 N=10000000 WRITERS=4 PIPELINE=100 EVERY=1ms TOP=8 SLOTS="redis eventloop threaded"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --n) N="$2"; shift 2 ;;
        --writers) WRITERS="$2"; shift 2 ;;
        --pipeline) PIPELINE="$2"; shift 2 ;;
        --probe-every) EVERY="$2"; shift 2 ;;
        --top) TOP="$2"; shift 2 ;;
        --slots) SLOTS="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
SRV_GODEBUG="${GODEBUG:-}"
unset GODEBUG # for our server only, not for go build or loadgen
build_bins
RAW="$WORK/raw"
: >"$RAW"
cli() { timeout 10 redis-cli -h 127.0.0.1 -p "$SRV_PORT" "$@"; }
for ((r = 1; r <= ROUNDS; r++)); do
    for slot in $(rotation "$r"); do
        [[ " $SLOTS " == *" $slot "* ]] || continue
        GODEBUG="$SRV_GODEBUG" start_slot "$slot" --latency-monitor-threshold 1
        out="$(taskset -c "$CLI_CPU" "$LOADGEN" growth -addr "127.0.0.1:$SRV_PORT" -n "$N" -writers "$WRITERS" \
            -pipeline "$PIPELINE" -probe-every "$EVERY" -top "$TOP")" || die "loadgen failed on $slot"
        keys="$(cli dbsize)"
        [[ "$keys" == "$N" ]] || die "$slot holds $keys keys after the fill, want $N"
        rss="$(rss_bytes "$SRV_PID")"
        line="$(head -1 <<<"$out")"
        echo "$slot $line $rss" >>"$RAW"
        {
            echo "    round $r $slot: fill s, probes, p50 p99 p99.9 max (µs) = $line; RSS $((rss >> 20)) MB"
            echo "      slowest probes (µs @ keys loaded, s into the fill):" \
                "$(awk '$1 == "top" { printf "%s@%s(%ss) ", $2, $3, $4 }' <<<"$out")"
            echo "      LATENCY LATEST: $(cli latency latest | paste -sd' ')"
            echo "      LATENCY HISTORY gc-pause (time ms pairs): $(cli latency history gc-pause | paste -sd' ')"
        } >&2
        if [[ -n "$SRV_GODEBUG" && "$slot" != redis ]]; then
            grep '^gc ' "$(ls -td "$WORK/srv-$slot-"* | head -1)/log" | tail -3 | sed 's/^/      /' >&2
        fi
        stop_slot
    done
done
col() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$RAW" | median; }
echo
echo "_$(date -u +%F), $(nproc --all) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); 0 → $N keys (SET key:N, 16-byte values, $WRITERS writers × pipeline $PIPELINE), probe GET/PING every $EVERY at P1, median of $ROUNDS rounds_"
echo
echo "| server | fill s (ratio) | probe p50 µs | p99 µs | p99.9 µs | max µs | RSS MB |"
echo "|---|--:|--:|--:|--:|--:|--:|"
for slot in redis eventloop threaded; do
    [[ " $SLOTS " == *" $slot "* ]] || continue
    f="$(col "$slot" 2)"
    echo "| $slot | $f ($(ratio "$f" "$(col redis 2)")) | $(col "$slot" 4) | $(col "$slot" 5) | $(col "$slot" 6) | $(col "$slot" 7) | $(awk -v v="$(col "$slot" 8)" 'BEGIN { printf "%.0f", v / 1048576 }') |"
done
