#!/usr/bin/env bash
# persist-bench.sh — persistence benchmarks, redis-clone beside redis-server
# 7.0 with the same settings (not a test: it prints numbers).
#
#   1. BGSAVE of 1M keys under write load: time, client GET latency during
#      it, peak memory (bench/persistprobe).
#   2. Load time of 1M keys from an RDB and from a RESP AOF (the servers'
#      own "DB loaded from ..." log lines).
#   1b. The same for BGREWRITEAOF (appendonly yes, everysec).
#   3. SET throughput with appendfsync always and everysec
#      (redis-benchmark -t set -P 16 -c 50 -r RPS_KEYSPACE, default 100000
#      random keys; 0 is the single key "key:__rand_int__") and the
#      server's CPU time per request; RPS_RUNS=n repeats it, alternating the
#      servers, and prints medians and ranges. The server runs on CPU 0 and
#      redis-benchmark on CPU 1, as bench/compare.sh does (PIN=0: unpinned);
#      RPS_REQUESTS is the requests per run (default 1000000), POLICIES the
#      fsync policies (default "always everysec").
#
# Usage: scripts/persist-bench.sh [keys] (default 1000000); RUNS=n repeats
# the BGSAVE and BGREWRITEAOF probes, LOAD_RUNS=n each load; PARTS="bgsave
# rewrite load rps" (the default; ONLY is a synonym) picks the parts;
# SERVERS="clone redis" (the default) the servers, where "base" is a second
# redis-clone binary BASE_BIN (say, the build before a change); MODE=threaded
# runs redis-clone in threaded mode (default eventloop); PORT_BASE the first
# port; REDIS_CLONE_JOBTRACE=dir makes redis-clone write an execution trace
# of each background job there; PROBE_ARGS adds arguments to
# bench/persistprobe (e.g. -mem-every 20ms).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KEYS=${1:-1000000}
RUNS=${RUNS:-3}
LOAD_RUNS=${LOAD_RUNS:-1}
PARTS=" ${PARTS:-${ONLY:-bgsave rewrite load rps}} "
MODE=${MODE:-eventloop}
SERVERS=${SERVERS:-clone redis}
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
    local pin=()
    [[ -n ${SRV_PIN:-} ]] && pin=(taskset -c "$SRV_PIN")
    if [[ $name == base ]]; then
        "${pin[@]}" "$BASE_BIN" --mode "$MODE" --port "$PORT" --bind 127.0.0.1 --dir "$dir" "$@" >>"$dir/log" 2>&1 &
    elif [[ $name == clone ]]; then
        "${pin[@]}" "$WORK/redis-clone" --mode "$MODE" --port "$PORT" --bind 127.0.0.1 --dir "$dir" "$@" >>"$dir/log" 2>&1 &
    else
        "${pin[@]}" redis-server --port "$PORT" --bind 127.0.0.1 --dir "$dir" "$@" >>"$dir/log" 2>&1 &
    fi
    PID=$!
    for _ in $(seq 200); do
        [[ "$(redis-cli -p "$PORT" ping 2>/dev/null)" == PONG ]] && return 0
        sleep 0.05
    done
    echo "$name did not start"; tail "$dir/log"; return 1
}
rss() { awk '/^VmRSS/ {print $2 / 1024 " MB"}' "/proc/$1/status" 2>/dev/null; }
stop_server() {
    redis-cli -p "$PORT" shutdown "${1:-nosave}" >/dev/null 2>&1
    wait "$PID" 2>/dev/null
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

for name in $SERVERS; do
  label=$name
  [[ $name == clone || $name == base ]] && label="$name ($MODE)"
  if [[ $PARTS == *" bgsave "* ]]; then
    echo "== $label: BGSAVE of $KEYS keys under write load ($RUNS runs, load $(loadavg))"
    for run in $(seq "$RUNS"); do
        run_server "$name" "$WORK/$name-bgsave-$run" --save "" --appendonly no || continue
        "$WORK/probe" -addr "127.0.0.1:$PORT" -pid "$PID" -keys "$KEYS" -fill ${PROBE_ARGS:-} | sed 's/^/   /'
        grep -o "Snapshot of.*\|Fork CoW.*" "$WORK/$name-bgsave-$run/log" | sed 's/^/   /'
        stop_server
    done
  fi

  if [[ $PARTS == *" rewrite "* ]]; then
    echo "== $label: BGREWRITEAOF of $KEYS keys under write load ($RUNS runs, load $(loadavg))"
    for run in $(seq "$RUNS"); do
        run_server "$name" "$WORK/$name-rewrite-$run" --save "" --appendonly yes --appendfsync everysec --auto-aof-rewrite-percentage 0 || continue
        "$WORK/probe" -addr "127.0.0.1:$PORT" -pid "$PID" -keys "$KEYS" -fill -rewrite ${PROBE_ARGS:-} | sed 's/^/   /'
        grep -o "Snapshot of.*\|Fork CoW.*" "$WORK/$name-rewrite-$run/log" | sed 's/^/   /'
        stop_server
    done
  fi

  if [[ $PARTS == *" load "* ]]; then
    echo "== $name: load time of $KEYS keys"
    d="$WORK/$name-rdb"
    run_server "$name" "$d" --save "" --appendonly no && "$WORK/probe" -addr "127.0.0.1:$PORT" -keys "$KEYS" -fill -fill-only >/dev/null
    redis-cli -p "$PORT" save >/dev/null
    stop_server
    for _ in $(seq "$LOAD_RUNS"); do
        run_server "$name" "$d" --save "" --appendonly no
        echo "   RDB ($(du -h "$d/dump.rdb" | cut -f1)): $(grep -o 'DB loaded from disk: .*' "$d/log" | tail -1), RSS $(rss "$PID")"
        stop_server
    done
    d="$WORK/$name-aof"
    run_server "$name" "$d" --save "" --appendonly yes --aof-use-rdb-preamble no && "$WORK/probe" -addr "127.0.0.1:$PORT" -keys "$KEYS" -fill -fill-only >/dev/null
    stop_server
    for _ in $(seq "$LOAD_RUNS"); do
        run_server "$name" "$d" --save "" --appendonly yes --aof-use-rdb-preamble no
        echo "   AOF ($(du -sh "$d/appendonlydir" | cut -f1)): $(grep -o 'DB loaded from append only file: .*' "$d/log" | tail -1), RSS $(rss "$PID")"
        stop_server
    done
  fi
done

# cpu_ticks PID — utime+stime of a process, in clock ticks.
cpu_ticks() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
    stat="${stat##*) }"
    awk '{print $12 + $13}' <<<"$stat"
}
# median — of the numbers on stdin, followed by their range [min-max].
median() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) " [" a[1] "-" a[NR] "]"}'; }

if [[ $PARTS == *" rps "* ]]; then
    # Runs alternate between the servers (the order rotates each run) so
    # that noise from elsewhere on the machine hits them alike.
    RPS_RUNS=${RPS_RUNS:-1}
    RPS_KEYSPACE=${RPS_KEYSPACE:-100000}
    RPS_REQUESTS=${RPS_REQUESTS:-1000000}
    POLICIES=${POLICIES:-always everysec}
    HZ=$(getconf CLK_TCK)
    read -r -a names <<<"$SERVERS"
    cli_pin=()
    if [[ ${PIN:-1} != 0 && $(nproc --all) -ge 2 ]]; then
        SRV_PIN=0
        cli_pin=(taskset -c 1)
    fi
    rand=()
    ((RPS_KEYSPACE > 0)) && rand=(-r "$RPS_KEYSPACE")
    for policy in $POLICIES; do
        for run in $(seq "$RPS_RUNS"); do
            for i in "${!names[@]}"; do
                name=${names[$(((i + run - 1) % ${#names[@]}))]}
                run_server "$name" "$WORK/$name-rps-$policy-$run" --save "" --appendonly yes --appendfsync "$policy" || continue
                t0=$(cpu_ticks "$PID")
                rps=$("${cli_pin[@]}" redis-benchmark -p "$PORT" -t set -P 16 -c 50 -n "$RPS_REQUESTS" "${rand[@]}" -q 2>/dev/null | tr '\r' '\n' | grep 'requests per second' | tail -1)
                t1=$(cpu_ticks "$PID")
                cpu=$(awk -v t=$((t1 - t0)) -v hz="$HZ" -v n="$RPS_REQUESTS" 'BEGIN {printf "%.2f", t / hz * 1e6 / n}')
                echo "== $name: appendfsync $policy: $rps, server CPU ${cpu} us/req"
                echo "$name $policy $(grep -o 'SET: [0-9.]*' <<<"$rps" | cut -d' ' -f2) $cpu" >>"$WORK/rps.txt"
                stop_server
            done
        done
    done
    if ((RPS_RUNS > 1)); then
        for policy in $POLICIES; do
            for name in "${names[@]}"; do
                echo "== median of $RPS_RUNS: $name appendfsync $policy: $(awk -v n="$name" -v p="$policy" '$1 == n && $2 == p {print $3}' "$WORK/rps.txt" | median) req/s, $(awk -v n="$name" -v p="$policy" '$1 == n && $2 == p {print $4}' "$WORK/rps.txt" | median) us/req"
            done
        done
    fi
fi
