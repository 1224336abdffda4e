#!/usr/bin/env bash
# bench/memory.sh — memory per key / per element: RSS growth of the server process
# (VmRSS from /proc/PID/status, after the load and a 2 s pause) for 1M `SET key:N
# <16-byte value>`, and for one list, hash, set and zset of 1M elements; redis-server 7.0
# vs redis-clone in both modes, same run, rotating order, median over the rounds.
# Also prints INFO's used_memory growth per key (each server's own accounting).
#
# Usage: bench/memory.sh [--rounds 3] [--n 1000000] [--types "string list hash set zset"]
# Env: BIN (prebuilt redis-clone), PORT_LO/PORT_HI (port range).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROUNDS=3 N=1000000 TYPES="string list hash set zset"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) ROUNDS="$2"; shift 2 ;;
        --n) N="$2"; shift 2 ;;
        --types) TYPES="$2"; shift 2 ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done
build_bins
used_memory() { redis-cli -h 127.0.0.1 -p "$SRV_PORT" info memory | awk -F: '/^used_memory:/ { print $2 + 0 }'; }
RAW="$WORK/raw"
: >"$RAW"
for ((r = 1; r <= ROUNDS; r++)); do
    for slot in $(rotation "$r"); do
        for t in $TYPES; do
            start_slot "$slot"
            sleep 0.5
            rss0="$(rss_bytes "$SRV_PID")" um0="$(used_memory)"
            secs="$(taskset -c "$CLI_CPU" "$LOADGEN" fill -addr "127.0.0.1:$SRV_PORT" -type "$t" -n "$N")" || die "fill failed on $slot"
            sleep 2
            rss1="$(rss_bytes "$SRV_PID")" um1="$(used_memory)"
            b="$(awk -v a="$rss0" -v b="$rss1" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')"
            u="$(awk -v a="$um0" -v b="$um1" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')"
            echo "$slot $t $b $u $secs" >>"$RAW"
            echo "    round $r $slot $t: RSS $b B/item, used_memory $u B/item, load ${secs}s" >&2
            stop_slot
        done
    done
done
col() { awk -v s="$1" -v t="$2" -v c="$3" '$1 == s && $2 == t { print $c }' "$RAW" | median; }
echo
echo "_$(date -u +%F), $(nproc --all) CPUs; $N items; RSS growth per item (bytes), median of $ROUNDS rounds; used_memory growth in brackets_"
echo
echo "| data | redis | eventloop (ratio) | threaded (ratio) |"
echo "|---|--:|--:|--:|"
for t in $TYPES; do
    case "$t" in
        string) label="1M SET key:N 16-byte value, per key" ;;
        *) label="one $t of 1M elements, per element" ;;
    esac
    label="${label//1M/$N}"
    rr="$(col redis "$t" 3)" re="$(col eventloop "$t" 3)" rt="$(col threaded "$t" 3)"
    echo "| $label | $rr [$(col redis "$t" 4)] | $re ($(ratio "$re" "$rr")) [$(col eventloop "$t" 4)] | $rt ($(ratio "$rt" "$rr")) [$(col threaded "$t" 4)] |"
done
