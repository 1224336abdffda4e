#!/usr/bin/env bash
# repl-bench.sh — replication costs, redis-clone beside redis-server 7.0:
# SET throughput on a master with 0, 1 and 2 replicas (redis-benchmark
# -P 16 -c 50), and the time of a full sync of 1M keys (DEBUG POPULATE)
# until the replica's link is up. Not a test: prints a table. Ports
# BASE..BASE+5 (env REPL_BENCH_PORT, default 17150).
set -u
export LC_ALL=C
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE="${REPL_BENCH_PORT:-17150}"
N="${REPL_BENCH_N:-1000000}"
WORK="$(mktemp -d /tmp/repl-bench.XXXXXX)"
BIN="$WORK/redis-clone"
(cd "$ROOT" && go build -o "$BIN" ./cmd/redis-clone) || exit 1

stop_all() {
    for p in $(seq "$BASE" $((BASE + 5))); do redis-cli -p "$p" shutdown nosave >/dev/null 2>&1; done
    sleep 0.3
}
trap 'stop_all; rm -rf "$WORK"' EXIT

# start KIND PORT [directives…]
start() {
    local kind=$1 port=$2
    shift 2
    mkdir -p "$WORK/$port"
    local args=(--port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK/$port"
        --repl-diskless-sync-delay 0 --enable-debug-command yes "$@")
    if [[ $kind == clone ]]; then
        "$BIN" "${args[@]}" >"$WORK/$port.log" 2>&1 &
    else
        redis-server "${args[@]}" --daemonize yes --logfile "$WORK/$port.log"
    fi
    for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && return; sleep 0.05; done
}

wait_up() {
    until redis-cli -p "$1" info replication | grep -q 'master_link_status:up'; do sleep 0.05; done
}

for kind in clone redis; do
    for reps in 0 1 2; do
        stop_all
        start "$kind" "$BASE"
        for i in $(seq "$reps"); do
            start "$kind" $((BASE + i)) --replicaof 127.0.0.1 "$BASE"
            wait_up $((BASE + i))
        done
        rps=$(redis-benchmark -p "$BASE" -t set -n 1000000 -r 100000 -P 16 -c 50 -q 2>/dev/null | tr '\r' '\n' | grep -o 'SET: [0-9.]* requests' | tail -1)
        echo "$kind replicas=$reps $rps"
    done
    stop_all
    start "$kind" "$BASE"
    redis-cli -p "$BASE" debug populate "$N" >/dev/null
    start "$kind" $((BASE + 1))
    t0=$(date +%s.%N)
    redis-cli -p $((BASE + 1)) replicaof 127.0.0.1 "$BASE" >/dev/null
    wait_up $((BASE + 1))
    t1=$(date +%s.%N)
    echo "$kind full sync of $N keys: $(echo "$t1 - $t0" | bc) s (replica dbsize $(redis-cli -p $((BASE + 1)) dbsize))"
done
