#!/usr/bin/env bash
# persist-interop.sh — redis-clone's files against Redis 7.0's own tools.
#
# Checks, each reported PASS/FAIL, then "N passed, M failed":
#   1. redis-check-rdb accepts our dump.rdb and the RDB base of our AOF;
#      redis-check-aof accepts our multi-part AOF (RDB preamble and RESP
#      base alike).
#   2. redis-server 7.0 started on our data directory (AOF, or dump.rdb)
#      serves the same data as we did.
#   3. redis-clone started on a directory written by redis-server 7.0 (AOF,
#      or dump.rdb) serves the same data as it did; and both load the
#      encodings sample RDB made by redis-server 7.0 the same way.
# Data: every type, small and large encodings, TTLs, binary-safe values,
# two databases, commands after a rewrite (the incr part).
#
# Needs redis-server, redis-cli, redis-check-aof, redis-check-rdb (Debian's
# redis-server and redis-tools) and Go. Exit status 1 if a check failed.
set -u
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d /tmp/persist-interop.XXXXXX)"
BIN="$WORK/redis-clone"
PASS=0
FAIL=0
PIDS=()

cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill "$p" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
[[ -n "${KEEP_WORK:-}" ]] && trap - EXIT

for tool in redis-server redis-cli redis-check-aof redis-check-rdb go; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "missing $tool"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

ok() { PASS=$((PASS + 1)); echo "PASS  $*"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL  $*"; }

# check NAME CMD... — run a command, PASS when it exits 0.
check() {
    local name=$1 out
    shift
    if out="$("$@" 2>&1)"; then
        ok "$name"
    else
        ko "$name"
        echo "$out" | tail -n 20 | sed 's/^/      /'
    fi
}

(cd "$ROOT" && go build -o "$BIN" ./cmd/redis-clone) || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

# next_port sets P to a port nothing listens on (not in a subshell: the
# counter must advance). PORT_BASE pins the range (default: random).
NEXT_PORT=${PORT_BASE:-$((21000 + RANDOM % 20000))}
next_port() {
    while :; do
        NEXT_PORT=$((NEXT_PORT + 1))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$NEXT_PORT") 2>/dev/null; then
            P=$NEXT_PORT
            return
        fi
    done
}

wait_ping() {
    local p=$1 i
    for i in $(seq 100); do
        [[ "$(redis-cli -p "$p" ping 2>/dev/null)" == PONG ]] && return 0
        sleep 0.1
    done
    return 1
}

# wait_idle PORT — no BGSAVE or AOF rewrite in progress or scheduled.
wait_idle() {
    local p=$1 i info
    for i in $(seq 300); do
        info="$(redis-cli -p "$p" info persistence | tr -d '\r')"
        if grep -q '^rdb_bgsave_in_progress:0' <<<"$info" && grep -q '^aof_rewrite_in_progress:0' <<<"$info" &&
            grep -q '^aof_rewrite_scheduled:0' <<<"$info"; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# start_ours DIR ARGS... / start_redis DIR ARGS... — start a server on a
# fresh port, set P to it (a few tries, in case another process takes the
# port first).
start_ours() {
    local dir=$1 try
    shift
    for try in 1 2 3; do
        next_port
        "$BIN" --port "$P" --bind 127.0.0.1 --dir "$dir" "$@" >>"$dir/clone.log" 2>&1 &
        PIDS+=($!)
        wait_ping "$P" && return 0
        grep -q "Failed listening" "$dir/clone.log" || return 1
    done
    return 1
}
start_redis() {
    local dir=$1 try
    shift
    for try in 1 2 3; do
        next_port
        redis-server --port "$P" --bind 127.0.0.1 --dir "$dir" --daemonize no "$@" >>"$dir/redis.log" 2>&1 &
        PIDS+=($!)
        wait_ping "$P" && return 0
        grep -q "Address already in use\|Failed listening" "$dir/redis.log" || return 1
    done
    return 1
}
stop_server() { # PORT [save|nosave]
    redis-cli -p "$1" shutdown "${2:-nosave}" >/dev/null 2>&1
    local i
    for i in $(seq 100); do
        redis-cli -p "$1" ping >/dev/null 2>&1 || return 0
        sleep 0.05
    done
}

# resp ARGS... — one command in RESP (binary-safe, for redis-cli --pipe).
resp() {
    local a
    printf '*%d\r\n' $#
    for a in "$@"; do
        printf '$%d\r\n%s\r\n' "${#a}" "$a"
    done
}

# populate PORT — every type and encoding, TTLs, two databases.
populate() {
    local p=$1 far
    far=$(( $(date +%s) * 1000 + 3600000 ))
    {
        for db in 0 2; do
            resp SELECT "$db"
            resp SET str "hello world"
            resp SET int 12345
            resp SET neg -42
            resp SET bin $'\xff\xfe\r\n"quoted" \\ tail'
            resp SET utf8 "héllo wörld"
            resp SET big "$(printf 'compressible %.0s' $(seq 1 2000))"
            resp SET ttl value PXAT "$far"
            resp RPUSH list a b c 1 2 -3
            resp RPUSH biglist $(seq -f 'element-%g' 1 1500)
            resp RPUSH longelem "$(printf 'x%.0s' $(seq 1 9000))" small
            resp SADD intset 1 2 3 -7 1000000000000
            resp SADD strset a b c $'\xff'
            resp SADD bigset $(seq 1 700)
            resp SADD bigstrset $(seq -f 'member-%g' 1 200)
            resp HSET hash f1 v1 f2 2
            resp HSET bighash $(for i in $(seq 1 200); do echo "field$i value$i"; done)
            resp HSET longhash f "$(printf 'v%.0s' $(seq 1 100))"
            resp ZADD zset 1 a 2.5 b -3.25 c 1e300 d
            resp ZADD zinf -inf lo +inf hi 0 zero
            resp ZADD bigzset $(for i in $(seq 1 200); do echo "$i.5 m$i"; done)
            resp PEXPIREAT list "$far"
            resp PEXPIREAT bigset "$((far + 1))"
            resp PEXPIREAT bighash "$((far + 2))"
            resp PEXPIREAT bigzset "$((far + 3))"
            # Streams: several nodes, same-fields and other-fields
            # entries, integers, deletions, a trim, groups with pending
            # entries and consumers, an empty stream with a group.
            resp XADD stream 1-1 f v
            resp XADD stream 1-2 f 12345
            resp XADD stream 2-0 a 1 b -2
            resp XADD stream 3-0 f $'\xff\r\n'
            resp XDEL stream 1-2
            for i in $(seq 1 250); do resp XADD bigstream "$i-0" field "$i" other "value-$i"; done
            resp XADD bigstream 300-0 different 1
            resp XDEL bigstream 10-0 150-0
            resp XTRIM bigstream MAXLEN 220
            resp XGROUP CREATE stream g1 0
            resp XGROUP CREATE stream g2 '$'
            resp XREADGROUP GROUP g1 alice COUNT 2 STREAMS stream '>'
            resp XREADGROUP GROUP g1 bob COUNT 1 STREAMS stream '>'
            resp XGROUP CREATECONSUMER stream g1 carol
            resp XGROUP CREATE bigstream grp 0
            resp XREADGROUP GROUP grp c1 COUNT 100 STREAMS bigstream '>'
            resp XACK bigstream grp 20-0 21-0
            resp XADD emptystream MAXLEN 0 7-7 f v
            resp XGROUP CREATE emptystream g '$'
            resp PEXPIREAT bigstream "$((far + 4))"
        done
    } | redis-cli -p "$p" --pipe >/dev/null
}

# more_writes PORT — writes after a rewrite, to land in the incr file.
more_writes() {
    {
        resp SELECT 0
        resp INCR counter
        resp INCRBY counter 41
        resp LPUSH list newhead
        resp SADD strset added
        resp HSET hash f3 v3
        resp ZINCRBY zset 10 a
        resp DEL int
        resp SET later value EX 7200
        resp SELECT 2
        resp RENAME str renamed
        resp APPEND bin appended
        resp XADD bigstream 301-0 field later
        resp XREADGROUP GROUP grp c2 COUNT 3 STREAMS bigstream '>'
        resp XACK bigstream grp 30-0
    } | redis-cli -p "$1" --pipe >/dev/null
}

# dataset PORT [aof] — every key of every database, canonical text. With
# aof, a stream consumer's seen-time is masked: replaying an AOF sets it to
# the time of the replay, in Redis as here (an RDB keeps it).
dataset() {
    local p=$1 mask=${2:-} db k t v e enc
    for db in $(seq 0 15); do
        redis-cli -p "$p" -n "$db" --scan | sort | while IFS= read -r k; do
            t=$(redis-cli -p "$p" -n "$db" type "$k")
            case $t in
                string) v=$(redis-cli -p "$p" -n "$db" --no-raw get "$k") ;;
                list) v=$(redis-cli -p "$p" -n "$db" --no-raw lrange "$k" 0 -1) ;;
                set) v=$(redis-cli -p "$p" -n "$db" --no-raw smembers "$k" | sed -E 's/^ *[0-9]+\) //' | sort) ;;
                hash) v=$(redis-cli -p "$p" -n "$db" --no-raw hgetall "$k" | sed -E 's/^ *[0-9]+\) //' | paste - - | sort) ;;
                zset) v=$(redis-cli -p "$p" -n "$db" --no-raw zrange "$k" 0 -1 withscores) ;;
                stream)
                    v=$(redis-cli -p "$p" -n "$db" --no-raw xinfo stream "$k" full count 0)
                    [[ -n $mask ]] && v=$(sed -E '/"seen-time"/{n;s/[0-9]+$/T/}' <<<"$v")
                    ;;
                *) v="?" ;;
            esac
            e=$(redis-cli -p "$p" -n "$db" pexpiretime "$k")
            # A string's encoding (int/embstr/raw) is not a property of
            # the saved data; a collection's follows from it.
            enc=-
            [[ $t == string ]] || enc=$(redis-cli -p "$p" -n "$db" object encoding "$k")
            printf '== db=%s key=%s type=%s enc=%s pexpiretime=%s\n%s\n' "$db" "$k" "$t" "$enc" "$e" "$v"
        done
    done
}

# dataset_masked FILE HOW — FILE with seen-times masked when HOW is aof.
dataset_masked() {
    if [[ $2 == aof ]]; then
        sed -E '/"seen-time"/{n;s/[0-9]+$/T/}' "$1"
    else
        cat "$1"
    fi
}

# same NAME FILE_A FILE_B — PASS when the two datasets are identical.
same() {
    local name=$1 a=$2 b=$3
    if [[ ! -s "$a" ]]; then
        ko "$name (empty reference dataset)"
    elif diff -q "$a" "$b" >/dev/null; then
        ok "$name ($(grep -c '^== ' "$a") keys)"
    else
        ko "$name"
        diff "$a" "$b" | head -n 20 | sed 's/^/      /'
    fi
}

# ---------------------------------------------------------------------------
echo "== our files, read by Redis's tools and by redis-server 7.0"
for preamble in yes no; do
    D="$WORK/ours-$preamble"
    mkdir -p "$D"
    start_ours "$D" --appendonly yes --aof-use-rdb-preamble "$preamble" --save "" ||
        { ko "start redis-clone (preamble $preamble)"; continue; }
    populate "$P"
    redis-cli -p "$P" bgrewriteaof >/dev/null
    wait_idle "$P"
    more_writes "$P"
    redis-cli -p "$P" save >/dev/null
    dataset "$P" >"$D.want"
    stop_server "$P" nosave

    check "redis-check-rdb accepts our dump.rdb (preamble $preamble)" redis-check-rdb "$D/dump.rdb"
    if [[ $preamble == yes ]]; then
        check "redis-check-rdb accepts our AOF's RDB base" redis-check-rdb "$(ls "$D"/appendonlydir/*.base.rdb)"
    fi
    check "redis-check-aof accepts our AOF (preamble $preamble)" redis-check-aof "$D/appendonlydir/appendonly.aof.manifest"

    for how in aof rdb; do
        R="$WORK/redis-on-ours-$preamble-$how"
        mkdir -p "$R"
        cp -r "$D/dump.rdb" "$D/appendonlydir" "$R/"
        if [[ $how == aof ]]; then
            start_redis "$R" --appendonly yes --save ""
        else
            start_redis "$R" --appendonly no --save ""
        fi || { ko "redis-server starts on our $how (preamble $preamble)"; tail -5 "$R/redis.log"; continue; }
        dataset "$P" "${how/rdb/}" >"$R.got"
        stop_server "$P" nosave
        dataset_masked "$D.want" "$how" >"$R.want"
        same "redis-server 7.0 serves our data from our $how (preamble $preamble)" "$R.want" "$R.got"
    done
done

echo "== redis-server 7.0's files, read by redis-clone"
for preamble in yes no; do
    D="$WORK/redis-$preamble"
    mkdir -p "$D"
    start_redis "$D" --appendonly yes --aof-use-rdb-preamble "$preamble" --save "" ||
        { ko "start redis-server (preamble $preamble)"; continue; }
    populate "$P"
    redis-cli -p "$P" bgrewriteaof >/dev/null
    wait_idle "$P"
    more_writes "$P"
    redis-cli -p "$P" save >/dev/null
    dataset "$P" >"$D.want"
    stop_server "$P" nosave
    for how in aof rdb; do
        for mode in eventloop threaded; do
            C="$WORK/ours-on-redis-$preamble-$how-$mode"
            mkdir -p "$C"
            cp -r "$D/dump.rdb" "$D/appendonlydir" "$C/"
            if [[ $how == aof ]]; then
                start_ours "$C" --mode "$mode" --appendonly yes --save ""
            else
                start_ours "$C" --mode "$mode" --appendonly no --save ""
            fi || { ko "redis-clone starts on redis-server's $how (preamble $preamble, $mode)"; tail -5 "$C/clone.log"; continue; }
            dataset "$P" "${how/rdb/}" >"$C.got"
            stop_server "$P" nosave
            dataset_masked "$D.want" "$how" >"$C.want"
            same "redis-clone ($mode) serves redis-server's data from its $how (preamble $preamble)" "$C.want" "$C.got"
        done
    done
done

echo "== redis-server 7.0's encodings sample, loaded by both"
SAMPLE="$ROOT/internal/persist/rdb/testdata/redis-7.0.15-encodings.rdb"
if [[ -f "$SAMPLE" ]]; then
    A="$WORK/sample-redis"
    B="$WORK/sample-ours"
    mkdir -p "$A" "$B"
    cp "$SAMPLE" "$A/dump.rdb"
    cp "$SAMPLE" "$B/dump.rdb"
    if start_redis "$A" --appendonly no --save ""; then
        dataset "$P" >"$A.want"
        stop_server "$P" nosave
        if start_ours "$B" --appendonly no --save ""; then
            dataset "$P" >"$B.got"
            redis-cli -p "$P" save >/dev/null
            stop_server "$P" nosave
            same "redis-clone loads redis-server's encodings sample like redis-server" "$A.want" "$B.got"
            check "redis-check-rdb accepts the sample as re-saved by redis-clone" redis-check-rdb "$B/dump.rdb"
        else
            ko "redis-clone starts on the encodings sample"
        fi
    else
        ko "redis-server starts on the encodings sample"
    fi
fi

echo
echo "$PASS passed, $FAIL failed"
[[ $FAIL -eq 0 ]]
