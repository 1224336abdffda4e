# bench/lib.sh — helpers shared by bench/compare.sh, latency.sh, idle.sh and memory.sh
# (sourced, not run). Starts redis-server or redis-clone (eventloop / threaded) fresh on
# a free port, pinned to CPU 0, with the client on CPU 1, as bench/compare.sh does.
# Env: PORT_LO, PORT_HI (port range, default 22000..28999); BIN (prebuilt redis-clone).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT_LO="${PORT_LO:-22000}"
PORT_HI="${PORT_HI:-28999}"
die() { echo "$(basename "$0"): $*" >&2; exit 2; }

for tool in redis-server redis-cli taskset timeout awk; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install redis-server redis-tools util-linux)"
done
if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then PATH="/usr/local/go/bin:$PATH"; fi
if [[ $(nproc --all) -ge 2 ]]; then SRV_CPU=0 CLI_CPU=1; else SRV_CPU=0 CLI_CPU=0; fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-$(basename "$0" .sh).XXXXXX")"
SRV_PID=""
lib_cleanup() {
    [[ -n "$SRV_PID" ]] && { kill -TERM "$SRV_PID" 2>/dev/null; wait "$SRV_PID" 2>/dev/null; }
    rm -rf "$WORK"
}
trap lib_cleanup EXIT
trap 'exit 130' INT TERM HUP

# build_bins: redis-clone (unless BIN is set) and bench/loadgen into $WORK.
build_bins() {
    if [[ -z "${BIN:-}" ]]; then
        BIN="$WORK/redis-clone"
        (cd "$ROOT" && go build -o "$BIN" ./cmd/redis-clone) || die "build failed"
    fi
    LOADGEN="$WORK/loadgen"
    (cd "$ROOT" && go build -o "$LOADGEN" ./bench/loadgen) || die "loadgen build failed"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# local_port_taken: a socket in any state (a client's connection, one in
# TIME_WAIT) has port $1 as its local port. A range inside the kernel's
# ephemeral range (32768-60999) is full of the benchmark clients' own ports,
# which do not answer a connect but make the server's bind fail.
local_port_taken() { command -v ss >/dev/null 2>&1 && [[ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]]; }
free_port() {
    local p i
    for ((i = 0; i < 200; i++)); do
        # Odd ports: Linux gives connect() even ephemeral ports first.
        p=$(((PORT_LO + RANDOM % (PORT_HI - PORT_LO + 1)) | 1))
        ((p > PORT_HI)) && continue
        port_in_use "$p" || local_port_taken "$p" || { echo "$p"; return 0; }
    done
    return 1
}

# start_slot SLOT [extra server args...] → SRV_PID, SRV_PORT. SLOT: redis, eventloop, threaded.
start_slot() {
    local slot=$1 dir i
    shift
    dir="$WORK/srv-$slot-$RANDOM"
    mkdir -p "$dir"
    SRV_PORT="$(free_port)" || die "no free port"
    if [[ "$slot" == redis ]]; then
        taskset -c "$SRV_CPU" redis-server --port "$SRV_PORT" --dir "$dir" --save "" --appendonly no "$@" \
            >"$dir/log" 2>&1 </dev/null &
    else
        taskset -c "$SRV_CPU" "$BIN" --port "$SRV_PORT" --mode="$slot" --dir "$dir" --save "" --appendonly no "$@" \
            >"$dir/log" 2>&1 </dev/null &
    fi
    SRV_PID=$!
    for ((i = 0; i < 100; i++)); do
        kill -0 "$SRV_PID" 2>/dev/null || { tail -5 "$dir/log" >&2; die "$slot server exited at startup"; }
        [[ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$SRV_PORT" ping 2>/dev/null)" == PONG ]] && return 0
        sleep 0.1
    done
    die "$slot server did not answer PING"
}

stop_slot() {
    [[ -n "$SRV_PID" ]] || return 0
    kill -TERM "$SRV_PID" 2>/dev/null
    local i
    for ((i = 0; i < 100; i++)); do kill -0 "$SRV_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null
    SRV_PID=""
}

# ctx_switches PID → voluntary + involuntary context switches of all its threads so far.
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'; }

rss_bytes() { awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status" 2>/dev/null; }

# rotation ROUND → the three slots in the order of that round (no slot always first).
rotation() {
    local slots=(redis eventloop threaded) k
    for ((k = 0; k < 3; k++)); do printf '%s ' "${slots[$(((k + $1 - 1) % 3))]}"; done
}

median() { # numbers on stdin → median (NaN ignored)
    grep -v NaN | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "NaN"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NaN" || b == "NaN" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
