#!/usr/bin/env bash
# bench/idle.sh — 10,000 idle connections + 50 busy ones: the busy clients' SET throughput
# alone and with the idle connections open (target: within 10 %), and the server's RSS
# growth per idle connection; redis-server 7.0 vs redis-clone in both modes, same run,
# rotating order, median over the rounds. Raises `ulimit -n` (needs a hard limit of at
# least idle + clients + 100) and starts every server with maxclients above that.
#
# Usage: bench/idle.sh [--rounds 3] [--idle 10000] [--clients 50] [--duration 5s]
# Env: BIN (prebuilt redis-clone), PORT_LO/PORT_HI (port range).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=3 IDLE=10000 CLIENTS=50 DURATION=5s
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --idle) IDLE="$2"; shift 2 ;;
        --clients) CLIENTS="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
need=$((IDLE + CLIENTS + 200))
ulimit -n "$need" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
[[ $(ulimit -n) -ge $need ]] || die "ulimit -n is $(ulimit -n), need $need (raise the hard limit)"
build_bins
RAW="$WORK/raw"
: >"$RAW"
for ((r = 1; r <= ROUNDS; r++)); do
    for slot in $(rotation "$r"); do
        start_slot "$slot" --maxclients "$((IDLE + CLIENTS + 100))"
        line="$(taskset -c "$CLI_CPU" "$LOADGEN" idle -addr "127.0.0.1:$SRV_PORT" -idle "$IDLE" -clients "$CLIENTS" \
            -duration "$DURATION" -pid "$SRV_PID")" || die "loadgen failed on $slot"
        echo "$slot $line" >>"$RAW"
        echo "    round $r $slot: rps alone, rps with idle, RSS B/idle conn = $line" >&2
        stop_slot
    done
done
col() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$RAW" | median; }
echo
echo "_$(date -u +%F), $(nproc --all) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $CLIENTS busy clients (SET, P1) for $DURATION, $IDLE idle connections, median of $ROUNDS rounds_"
echo
echo "| server | req/s, $CLIENTS alone | req/s with $IDLE idle (ratio) | RSS per idle connection |"
echo "|---|--:|--:|--:|"
for slot in redis eventloop threaded; do
    a="$(col "$slot" 2)" w="$(col "$slot" 3)"
    echo "| $slot | $a | $w ($(ratio "$w" "$a")) | $(awk -v v="$(col "$slot" 4)" 'BEGIN { printf "%.0f B", v }') |"
done
