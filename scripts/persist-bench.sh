#!/usr/bin/env bash
# persist-bench.sh — persistence benchmarks, redis-clone beside redis-server
# 7.0 with the same settings (not a test: it prints numbers).
#
#   1. BGSAVE of 1M keys under write load: time, client GET latency during
#      it, peak memory (bench/persistprobe).
#   2. Load time of 1M keys from an RDB and from a RESP AOF (the servers'
#      own "DB loaded from ..." log lines).
#   3. SET throughput with appendfsync always and everysec
#      (redis-benchmark -t set -P 16 -c 50).
#
#   1b. The same for BGREWRITEAOF (appendonly yes, everysec).
#
# Usage: scripts/persist-bench.sh [keys] (default 1000000); RUNS=n repeats
# the BGSAVE and BGREWRITEAOF probes; ONLY="bgsave rewrite" runs only
# those parts (of bgsave, rewrite, load, rps); SERVERS="clone redis" picks
# the servers; MODE=threaded runs redis-clone in threaded mode (default
# eventloop); PORT_BASE=n for the ports; REDIS_CLONE_JOBTRACE=dir makes
# redis-clone write an execution trace of each background job there;
# PROBE_ARGS adds arguments to bench/persistprobe (e.g. -mem-every 20ms).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS=${1:-1000000}
RUNS=${RUNS:-3}
ONLY=${ONLY:-bgsave rewrite load rps}
SERVERS=${SERVERS:-clone redis}
MODE=${MODE:-eventloop}
WORK="$(mktemp -d /tmp/persist-bench.XXXXXX)"
trap 'pkill -P $$ 2>/dev/null; rm -rf "$WORK"' EXIT
(cd "$ROOT" && go build -o "$WORK/redis-clone" ./cmd/redis-clone && go build -o "$WORK/probe" ./bench/persistprobe) || exit 1
PORT=${PORT_BASE:-$((30000 + RANDOM % 10000))}

# run_server NAME DIR ARGS... — start redis-clone or redis-server; sets PID.
run_server() {
    local name=$1 dir=$2
    shift 2
    PORT=$((PORT + 1))
    mkdir -p "$dir"
    if [[ $name == clone ]]; then
        "$WORK/redis-clone" --mode "$MODE" --port "$PORT" --bind 127.0.0.1 --dir "$dir" "$@" >>"$dir/log" 2>&1 &
    else
        redis-server --port "$PORT" --bind 127.0.0.1 --dir "$dir" "$@" >>"$dir/log" 2>&1 &
    fi
    PID=$!
    for _ in $(seq 200); do
        [[ "$(redis-cli -p "$PORT" ping 2>/dev/null)" == PONG ]] && return 0
        sleep 0.05
    done
    echo "$name did not start"; tail "$dir/log"; return 1
}
stop_server() {
    redis-cli -p "$PORT" shutdown "${1:-nosave}" >/dev/null 2>&1
    wait "$PID" 2>/dev/null
}

has() { [[ " $ONLY " == *" $1 "* ]]; }

for name in $SERVERS; do
    label=$name
    [[ $name == clone ]] && label="clone ($MODE)"
    has bgsave && echo "== $label: BGSAVE of $KEYS keys under write load ($RUNS runs, load $(cut -d' ' -f1-3 /proc/loadavg))"
    for run in $(seq "$RUNS"); do
        has bgsave || break
        run_server "$name" "$WORK/$name-bgsave-$run" --save "" --appendonly no || continue
        "$WORK/probe" -addr "127.0.0.1:$PORT" -pid "$PID" -keys "$KEYS" -fill ${PROBE_ARGS:-} | sed 's/^/   /'
        grep -o "Snapshot of.*\|Fork CoW.*" "$WORK/$name-bgsave-$run/log" | sed 's/^/   /'
        stop_server
    done
    has rewrite && echo "== $label: BGREWRITEAOF of $KEYS keys under write load ($RUNS runs, load $(cut -d' ' -f1-3 /proc/loadavg))"
    for run in $(seq "$RUNS"); do
        has rewrite || break
        run_server "$name" "$WORK/$name-rewrite-$run" --save "" --appendonly yes --appendfsync everysec --auto-aof-rewrite-percentage 0 || continue
        "$WORK/probe" -addr "127.0.0.1:$PORT" -pid "$PID" -keys "$KEYS" -fill -rewrite ${PROBE_ARGS:-} | sed 's/^/   /'
        grep -o "Snapshot of.*\|Fork CoW.*" "$WORK/$name-rewrite-$run/log" | sed 's/^/   /'
        stop_server
    done

    if has load; then
        echo "== $name: load time of $KEYS keys"
        d="$WORK/$name-rdb"
        run_server "$name" "$d" --save "" --appendonly no && "$WORK/probe" -addr "127.0.0.1:$PORT" -keys "$KEYS" -fill -fill-only >/dev/null
        redis-cli -p "$PORT" save >/dev/null
        stop_server
        run_server "$name" "$d" --save "" --appendonly no
        echo "   RDB ($(du -h "$d/dump.rdb" | cut -f1)): $(grep -o 'DB loaded from disk: .*' "$d/log" | tail -1)"
        stop_server
        d="$WORK/$name-aof"
        run_server "$name" "$d" --save "" --appendonly yes --aof-use-rdb-preamble no && "$WORK/probe" -addr "127.0.0.1:$PORT" -keys "$KEYS" -fill -fill-only >/dev/null
        stop_server
        run_server "$name" "$d" --save "" --appendonly yes --aof-use-rdb-preamble no
        echo "   AOF ($(du -sh "$d/appendonlydir" | cut -f1)): $(grep -o 'DB loaded from append only file: .*' "$d/log" | tail -1)"
        stop_server
    fi

    if has rps; then
        for policy in always everysec; do
            run_server "$name" "$WORK/$name-rps-$policy" --save "" --appendonly yes --appendfsync "$policy" || continue
            echo "== $name: appendfsync $policy: $(redis-benchmark -p "$PORT" -t set -P 16 -c 50 -n 1000000 -q 2>/dev/null | tr '\r' '\n' | grep 'requests per second' | tail -1)"
            stop_server
        done
    fi
done
