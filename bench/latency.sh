#!/usr/bin/env bash
# bench/latency.sh — request latency percentiles (p50, p99, p99.9, max) under 50 closed-loop
# clients at pipeline 1: redis-server 7.0 vs redis-clone eventloop and threaded, same run,
# rotating order, median over the rounds. Uses bench/loadgen (each request timed from write
# to complete reply). Also reports the context switches per second of the server's threads
# during the run (/proc/PID/task/*/status).
#
# Usage: bench/latency.sh [--rounds 3] [--duration 5s] [--clients 50] [--cmd set|get|incr|ping]
# Env: BIN (prebuilt redis-clone), PORT_LO/PORT_HI (port range).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=3 DURATION=5s CLIENTS=50 CMD=set
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --clients) CLIENTS="$2"; shift 2 ;;
        --cmd) CMD="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
build_bins
RAW="$WORK/raw"
: >"$RAW"
for ((r = 1; r <= ROUNDS; r++)); do
    for slot in $(rotation "$r"); do
        start_slot "$slot"
        taskset -c "$CLI_CPU" "$LOADGEN" latency -addr "127.0.0.1:$SRV_PORT" -clients "$CLIENTS" -duration 1s -cmd "$CMD" >/dev/null # warm-up
        cs0="$(ctx_switches "$SRV_PID")" t0="$(date +%s%N)"
        line="$(taskset -c "$CLI_CPU" "$LOADGEN" latency -addr "127.0.0.1:$SRV_PORT" -clients "$CLIENTS" -duration "$DURATION" -cmd "$CMD")" || die "loadgen failed on $slot"
        cs1="$(ctx_switches "$SRV_PID")" t1="$(date +%s%N)"
        line="$line $(awk -v c=$((cs1 - cs0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", c / (t / 1e9) }')"
        echo "$slot $line" >>"$RAW"
        echo "    round $r $slot: rps p50 p99 p99.9 max(µs) ctx-switches/s = $line" >&2
        stop_slot
    done
done
col() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$RAW" | median; }
echo
echo "_$(date -u +%F), $(nproc --all) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $CLIENTS clients, pipeline 1, $CMD on 100k random keys, $DURATION per run, median of $ROUNDS rounds_"
echo
echo "| server | req/s | p50 µs | p99 µs | p99.9 µs | max µs | server context switches/s |"
echo "|---|--:|--:|--:|--:|--:|--:|"
for slot in redis eventloop threaded; do
    echo "| $slot | $(col "$slot" 2) | $(col "$slot" 3) | $(col "$slot" 4) | $(col "$slot" 5) | $(col "$slot" 6) | $(col "$slot" 7) |"
done
echo
echo "p99 ratio to redis: eventloop $(ratio "$(col eventloop 4)" "$(col redis 4)"), threaded $(ratio "$(col threaded 4)" "$(col redis 4)"); max ratio: eventloop $(ratio "$(col eventloop 6)" "$(col redis 6)"), threaded $(ratio "$(col threaded 6)" "$(col redis 6)")"
