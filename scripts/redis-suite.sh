#!/usr/bin/env bash
# redis-suite.sh — run Redis 7.0.15's own Tcl test suite (external-server mode)
# against redis-clone, one unit at a time, each on a fresh server, in each mode.
#
# Usage:
#   scripts/redis-suite.sh [--mode eventloop|threaded|both] [--units "unit/type/string unit/keyspace ..."]
#                          [--update] [--outdir DIR] [--unit-timeout SECS] [--multidb] [--keep]
#
#   --mode          server mode(s) to test (default: both)
#   --units         units to run (default: testdata/redis-suite/units.txt)
#   --update        rewrite testdata/redis-suite/passing-<mode>.txt from this run
#                   (only the entries of the units that were run are replaced)
#   --outdir        where logs and <mode>/passed.txt go (default: ${TMPDIR:-/tmp}/redis-suite-out)
#   --unit-timeout  wall-clock limit per unit in seconds (default 300)
#   --multidb       do not pass --singledb to runtest (runs the SELECT/MOVE/COPY-db tests too;
#                   counts then differ from baseline.txt, which was made with --singledb)
#   Tests named in testdata/redis-suite/skip-<mode>.txt (one runtest test name per line)
#   are not run in that mode (runtest --skipfile), those in skip-all.txt in no mode (not
#   even with --server-cmd; '#' lines are comments); flaky.md says why each is there.
#   --keep          keep the temporary work dir (binary, suite copy, server dirs)
#   --tags T        runtest's tag filter instead of the default "$DEFAULT_TAGS" (see below),
#                   e.g. "-needs:debug -needs:repl -needs:pfdebug -needs:config-maxmemory
#                   -needs:config-resetstat" for the old, smaller set. Counts are then not compared
#                   with baseline.txt, and --update is refused.
#   Default tags: only the tests tagged needs:repl are left out; the DEBUG, PFDEBUG, maxmemory
#   and CONFIG RESETSTAT tests run (needs:debug, needs:pfdebug, needs:config-maxmemory,
#   needs:config-resetstat), so every server (ours and --server-cmd) gets --enable-debug-command yes.
#   --bin PATH      use this prebuilt server binary instead of `go build ./cmd/redis-clone`
#   --server-cmd C  (validation) start `C --port P --dir D --save "" --appendonly no --enable-debug-command yes` instead of
#                   our binary, run once (mode label "ref"), and check the ok counts against
#                   testdata/redis-suite/baseline.txt and that every test in the pass lists passes.
#
# Exit status: 0 when every test in the committed pass list(s) passed, 1 otherwise
# (or, with --server-cmd, when a count differs from the baseline).
# The last line printed is always "N passed, M failed".
#
# The Redis source tree comes from scripts/fetch-redis-src.sh ($REDIS_SRC, /opt/redis-src/redis-7.0.15,
# a cache dir, or `apt-get source redis`). runtest is run from a private copy of its tests/ dir.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/testdata/redis-suite"
BASELINE="$DATA/baseline.txt"
UNITS_FILE="$DATA/units.txt"
DEFAULT_TAGS='-needs:repl'
TAGS="$DEFAULT_TAGS"

MODE=both
UNITS=""
UPDATE=0
OUTDIR="${REDIS_SUITE_OUT:-${TMPDIR:-/tmp}/redis-suite-out}"
UNIT_TIMEOUT=300
SINGLEDB=1
KEEP=0
SERVER_CMD=""
PREBUILT=""
CUSTOM_TAGS=0
# DEBUG is refused by default (enable-debug-command no); the needs:debug tests use it.
EXTRA_SERVER_ARGS=(--enable-debug-command yes)

die() { echo "redis-suite: $*" >&2; echo "0 passed, 0 failed"; exit 2; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --mode) MODE="${2:-}"; shift 2 ;;
        --mode=*) MODE="${1#*=}"; shift ;;
        --units) UNITS="${2:-}"; shift 2 ;;
        --units=*) UNITS="${1#*=}"; shift ;;
        --update) UPDATE=1; shift ;;
        --outdir) OUTDIR="${2:-}"; shift 2 ;;
        --outdir=*) OUTDIR="${1#*=}"; shift ;;
        --unit-timeout) UNIT_TIMEOUT="${2:-}"; shift 2 ;;
        --unit-timeout=*) UNIT_TIMEOUT="${1#*=}"; shift ;;
        --multidb) SINGLEDB=0; shift ;;
        --keep) KEEP=1; shift ;;
        --tags) TAGS="${2:-}"; CUSTOM_TAGS=1; shift 2 ;;
        --tags=*) TAGS="${1#*=}"; CUSTOM_TAGS=1; shift ;;
        --bin) PREBUILT="${2:-}"; shift 2 ;;
        --bin=*) PREBUILT="${1#*=}"; shift ;;
        --server-cmd) SERVER_CMD="${2:-}"; shift 2 ;;
        --server-cmd=*) SERVER_CMD="${1#*=}"; shift ;;
        -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' | sed "s/\$DEFAULT_TAGS/$DEFAULT_TAGS/"; exit 0 ;;
        *) die "unknown argument: $1 (try --help)" ;;
    esac
done

if [[ $CUSTOM_TAGS -eq 1 ]]; then
    [[ $UPDATE -eq 0 ]] || die "--update cannot be combined with --tags (the pass lists use the default tags)"
fi

if [[ -n "$SERVER_CMD" ]]; then
    MODES=(ref)
    if [[ $UPDATE -eq 1 ]]; then
        echo "redis-suite: --update is ignored with --server-cmd" >&2
        UPDATE=0
    fi
else
    case "$MODE" in
        both) MODES=(eventloop threaded) ;;
        eventloop|threaded) MODES=("$MODE") ;;
        *) die "--mode must be eventloop, threaded or both (got '$MODE')" ;;
    esac
fi

if [[ -z "$UNITS" ]]; then
    [[ -f "$UNITS_FILE" ]] || die "no --units given and $UNITS_FILE missing"
    UNITS="$(sed 's/#.*//' "$UNITS_FILE" | tr -s ' \t\n' ' ')"
fi
read -r -a UNIT_LIST <<<"$UNITS"
[[ ${#UNIT_LIST[@]} -gt 0 ]] || die "no units to run"
[[ "$UNIT_TIMEOUT" =~ ^[0-9]+$ ]] || die "--unit-timeout must be a number of seconds"

for tool in tclsh timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found (apt-get install tcl coreutils)"
done

# ---------------------------------------------------------------------------
# Work dir, cleanup, signals.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/redis-suite.XXXXXX")"
SRV_PID=""
RT_PID=""

stop_server() {
    local pid="$SRV_PID"
    SRV_PID=""
    [[ -n "$pid" ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null
        local i
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            echo "redis-suite: server pid $pid ignored SIGTERM for 5s; sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null
        fi
    fi
    wait "$pid" 2>/dev/null
    return 0
}

stop_runtest() {
    local pid="$RT_PID"
    RT_PID=""
    [[ -n "$pid" ]] || return 0
    # $pid is `timeout`, which forwards the signal to runtest's whole process group.
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

cleanup() {
    stop_runtest
    stop_server
    if [[ $KEEP -eq 1 ]]; then
        echo "redis-suite: work dir kept at $WORK" >&2
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'echo "redis-suite: interrupted" >&2; exit 130' INT TERM HUP

# ---------------------------------------------------------------------------
# Redis source tree and a private copy of the suite.
SRC="$("$ROOT/scripts/fetch-redis-src.sh" | tail -n 1)" || die "could not locate/fetch the Redis source tree"
[[ -f "$SRC/tests/test_helper.tcl" ]] || die "bad Redis source tree: $SRC"
SUITE="$WORK/suite"
mkdir -p "$SUITE/src"
cp -r "$SRC/runtest" "$SRC/tests" "$SUITE/" || die "cannot copy the suite from $SRC"
rm -rf "$SUITE/tests/tmp" && mkdir -p "$SUITE/tests/tmp"
# runtest in external mode does not need Redis binaries; a few units shell out to
# src/redis-cli or src/redis-benchmark, so point those at the installed tools.
# src/redis-server is deliberately absent (tests that spawn servers are external:skip).
for b in redis-cli redis-benchmark; do
    if command -v "$b" >/dev/null 2>&1; then ln -sf "$(command -v "$b")" "$SUITE/src/$b"; fi
done
for unit in "${UNIT_LIST[@]}"; do
    [[ -f "$SUITE/tests/$unit.tcl" ]] || die "unknown unit '$unit' (no tests/$unit.tcl in $SRC)"
done

# ---------------------------------------------------------------------------
# Server binary.
BUILD_FAILED=0
if [[ -z "$SERVER_CMD" ]]; then
    if ! command -v go >/dev/null 2>&1 && [[ -x /usr/local/go/bin/go ]]; then
        PATH="/usr/local/go/bin:$PATH"
    fi
    if [[ -n "$PREBUILT" ]]; then
        BIN="$(cd "$(dirname "$PREBUILT")" && pwd)/$(basename "$PREBUILT")"
        [[ -x "$BIN" ]] || die "--bin $PREBUILT is not an executable file"
        echo "==> using prebuilt server binary $BIN"
    else
        BIN="$WORK/redis-clone"
        echo "==> go build -o $BIN ./cmd/redis-clone"
        if ! (cd "$ROOT" && go build -o "$BIN" ./cmd/redis-clone) 2>&1; then
            echo "redis-suite: BUILD FAILED — every listed test counts as failed"
            BUILD_FAILED=1
        fi
    fi
else
    read -r -a SERVER_ARGV <<<"$SERVER_CMD"
    command -v "${SERVER_ARGV[0]}" >/dev/null 2>&1 || die "--server-cmd: ${SERVER_ARGV[0]} not found"
fi

# ---------------------------------------------------------------------------
# Helpers.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
    local p i
    for ((i = 0; i < 200; i++)); do
        # 22000-28999: below the kernel's ephemeral range and away from the
        # 21079-21110 ports runtest's own test server listens on.
        p=$((22000 + RANDOM % 7000))
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    return 1
}

ping_server() {
    local port=$1 reply
    if command -v redis-cli >/dev/null 2>&1; then
        reply="$(timeout 3 redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)"
    else
        reply="$(timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/'"$port"'; printf "PING\r\n" >&3; head -n1 <&3' 2>/dev/null)"
    fi
    [[ "$reply" == *PONG* ]]
}

# start_server MODE DIR → sets SRV_PID and SRV_PORT; returns 1 if it never answered PING.
start_server() {
    local mode=$1 dir=$2 attempt i
    mkdir -p "$dir"
    for ((attempt = 1; attempt <= 3; attempt++)); do
        SRV_PORT="$(free_port)" || { echo "redis-suite: no free port" >&2; return 1; }
        if [[ -n "$SERVER_CMD" ]]; then
            "${SERVER_ARGV[@]}" --port "$SRV_PORT" --dir "$dir" --save "" --appendonly no "${EXTRA_SERVER_ARGS[@]}" \
                >>"$dir/server.log" 2>&1 </dev/null &
        else
            "$BIN" --port "$SRV_PORT" --mode="$mode" --dir "$dir" --save "" --appendonly no "${EXTRA_SERVER_ARGS[@]}" \
                >>"$dir/server.log" 2>&1 </dev/null &
        fi
        SRV_PID=$!
        for ((i = 0; i < 150; i++)); do # up to ~30s
            if ! kill -0 "$SRV_PID" 2>/dev/null; then
                wait "$SRV_PID" 2>/dev/null
                echo "redis-suite: server exited during startup (attempt $attempt, port $SRV_PORT); log tail:" >&2
                tail -n 5 "$dir/server.log" | sed 's/^/    /' >&2
                SRV_PID=""
                break
            fi
            if ping_server "$SRV_PORT"; then
                return 0
            fi
            sleep 0.2
        done
        if [[ -n "$SRV_PID" ]]; then
            echo "redis-suite: server did not answer PING within 30s (port $SRV_PORT)" >&2
            stop_server
            return 1
        fi
    done
    return 1
}

baseline_ok() { # unit → ok count from baseline.txt, or "-" (also with custom --tags: not comparable)
    local v
    [[ $CUSTOM_TAGS -eq 0 ]] || { echo -; return; }
    v="$(awk -v u="$1" '$1 == u { for (i = 2; i <= NF; i++) if ($i ~ /^ok=/) { sub(/^ok=/, "", $i); print $i } }' "$BASELINE" 2>/dev/null)"
    echo "${v:--}"
}

# passlist_for MODE → path of the committed pass list (for "ref": union of all lists, read-only)
passlist_for() {
    if [[ "$1" == ref ]]; then
        local u="$WORK/passing-union.txt"
        cat "$DATA"/passing-*.txt 2>/dev/null | LC_ALL=C sort -u >"$u"
        echo "$u"
    else
        echo "$DATA/passing-$1.txt"
    fi
}

# Listed tests for the units being run (lines "unit: name").
listed_for_units() { # passlist
    local f=$1 unit
    [[ -f "$f" ]] || return 0
    for unit in "${UNIT_LIST[@]}"; do
        grep -F -- "$unit: " "$f" | awk -v p="$unit: " 'index($0, p) == 1'
    done | LC_ALL=C sort -u
}

# ---------------------------------------------------------------------------
# Run.
mkdir -p "$OUTDIR"
TOTAL_OK=0
TOTAL_LISTED_FAILED=0
BASELINE_MISMATCH=0
SUMMARY="$WORK/summary.txt"
: >"$SUMMARY"
START_ALL=$SECONDS

runtest_args=(--host 127.0.0.1 --tags "$TAGS" --ignore-encoding --ignore-digest --timeout 120)
[[ $SINGLEDB -eq 1 ]] && runtest_args+=(--singledb)

for mode in "${MODES[@]}"; do
    mdir="$OUTDIR/$mode"
    rm -rf "$mdir"
    mkdir -p "$mdir"
    : >"$mdir/passed.txt"
    : >"$mdir/failed.txt"
    echo
    echo "==> mode: $mode"
    for unit in "${UNIT_LIST[@]}"; do
        slug="${unit//\//_}"
        log="$mdir/$slug.log"
        sdir="$WORK/servers/$mode/$slug"
        ok=0 err=0 exc=0 status=""
        t0=$SECONDS
        if [[ $BUILD_FAILED -eq 1 ]]; then
            status="build-failed"
            exc=1
            : >"$log"
        elif ! start_server "$mode" "$sdir"; then
            status="server-start-failed"
            exc=1
            : >"$log"
            cp "$sdir/server.log" "$mdir/$slug.server.log" 2>/dev/null
        else
            for ((attempt = 1; attempt <= 3; attempt++)); do
                # runtest's own test server listens on a port in [baseport-32, baseport)
                # (default 21079..21110). Concurrent runtest instances on one machine
                # collide there, so pick a random range per attempt (29100..32600, below
                # the ephemeral range and above the ports used for our servers).
                baseport=$((29132 + RANDOM % 3500))
                (
                    cd "$SUITE" || exit 2
                    # TERM=dumb: runtest colours its output when TERM matches *xterm*.
                    skip=()
                    [[ -s "$DATA/skip-$mode.txt" ]] && skip=(--skipfile "$DATA/skip-$mode.txt")
                    # skip-all.txt: skipped in every mode, the reference server included
                    # (--skiptest adds to the --skipfile list; it must come after it).
                    if [[ -s "$DATA/skip-all.txt" ]]; then
                        while IFS= read -r t; do
                            [[ -n "$t" && "$t" != \#* ]] && skip+=(--skiptest "$t")
                        done <"$DATA/skip-all.txt"
                    fi
                    TERM=dumb exec timeout -k 10 "$UNIT_TIMEOUT" ./runtest "${runtest_args[@]}" "${skip[@]}" \
                        --baseport "$baseport" --port "$SRV_PORT" --single "$unit"
                ) >"$log" 2>&1 </dev/null &
                RT_PID=$!
                wait "$RT_PID"
                rc=$?
                RT_PID=""
                if grep -q "couldn't open socket" "$log" && ! grep -q '^Testing ' "$log"; then
                    echo "redis-suite: runtest could not open its control socket (port $((baseport - 32))+); retrying" >&2
                    continue
                fi
                break
            done
            server_alive=1
            kill -0 "$SRV_PID" 2>/dev/null || server_alive=0
            if [[ $rc -eq 124 || $rc -eq 137 ]]; then
                status="timeout(${UNIT_TIMEOUT}s)"
            elif grep -q '^\[TIMEOUT\]' "$log"; then
                status="stalled(120s)"
            elif grep -q '^\[exception\]' "$log"; then
                status="exception"
            elif grep -Eq "^\[[0-9]+/[0-9]+ done\]: $unit " "$log"; then
                status="done"
            else
                status="aborted(rc=$rc)"
            fi
            [[ $server_alive -eq 0 ]] && status="$status,server-died"
            [[ "$status" == done ]] || exc=1
            cp "$sdir/server.log" "$mdir/$slug.server.log" 2>/dev/null
            stop_server
        fi
        ok=$(grep -c '^\[ok\]: ' "$log")
        err=$(grep -c '^\[err\]: ' "$log")
        grep '^\[ok\]: ' "$log" | sed -E 's/^\[ok\]: //; s/ \([0-9]+ ms\)$//' | LC_ALL=C sort -u >"$WORK/ok.names"
        grep '^\[err\]: ' "$log" | sed -E 's/^\[err\]: //; s/ in tests\/[^ ]*\.tcl$//' | LC_ALL=C sort -u >"$WORK/err.names"
        # passed = had an [ok] and no [err] under the same name
        LC_ALL=C comm -23 "$WORK/ok.names" "$WORK/err.names" | sed "s|^|$unit: |" >>"$mdir/passed.txt"
        sed "s|^|$unit: |" "$WORK/err.names" >>"$mdir/failed.txt"
        TOTAL_OK=$((TOTAL_OK + ok))
        base="$(baseline_ok "$unit")"
        if [[ -n "$SERVER_CMD" && "$base" != "-" && "$ok" != "$base" ]]; then
            BASELINE_MISMATCH=$((BASELINE_MISMATCH + 1))
            status="$status,ok!=baseline"
        fi
        printf '%-10s %-28s ok=%-4s err=%-4s exc=%-2s baseline=%-4s %4ss  %s\n' \
            "$mode" "$unit" "$ok" "$err" "$exc" "$base" "$((SECONDS - t0))" "$status"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$mode" "$unit" "$ok" "$err" "$exc" "$base" "$status" >>"$SUMMARY"
    done
    LC_ALL=C sort -u -o "$mdir/passed.txt" "$mdir/passed.txt"
    LC_ALL=C sort -u -o "$mdir/failed.txt" "$mdir/failed.txt"
done

# ---------------------------------------------------------------------------
# Summary table.
echo
echo "==> summary ($((SECONDS - START_ALL))s; logs in $OUTDIR)"
printf '| %-10s | %-28s | %5s | %5s | %5s | %8s | %-24s |\n' mode unit ok err exc baseline status
printf '|%s|%s|%s|%s|%s|%s|%s|\n' ------------ ------------------------------ ------- ------- ------- ---------- --------------------------
while IFS=$'\t' read -r m u o e x b s; do
    printf '| %-10s | %-28s | %5s | %5s | %5s | %8s | %-24s |\n' "$m" "$u" "$o" "$e" "$x" "$b" "$s"
done <"$SUMMARY"

# Why units ended early (first lines of the exception / timeout report).
if awk -F'\t' '$7 !~ /^done/ && $7 != "build-failed" { found = 1 } END { exit !found }' "$SUMMARY"; then
    echo
    echo "==> units that ended early:"
    while IFS=$'\t' read -r m u o e x b s; do
        [[ "$s" == done* || "$s" == build-failed ]] && continue
        echo "  $m $u: $s"
        awk '/^\[(exception|TIMEOUT)\]/ { on = 1 } on && n < 3 { print "      | " $0; n++ }' \
            "$OUTDIR/$m/${u//\//_}.log" 2>/dev/null
    done <"$SUMMARY"
fi

# ---------------------------------------------------------------------------
# Compare with the committed pass lists.
print_failure_detail() { # mode unit name
    local log="$OUTDIR/$1/${2//\//_}.log" name=$3
    awk -v want="[err]: $name in " '
        index($0, want) == 1 { on = 1; n = 0; print "      " $0; next }
        on && (/^\[(ok|err|skip|ignore|exception|TIMEOUT)\]/ || /^\[[0-9]+\/[0-9]+ done\]/ || /^Testing /) { on = 0 }
        on && n < 12 { print "      " $0; n++ }
    ' "$log" 2>/dev/null
}

print_abort_detail() { # mode unit: why the unit ended early
    local mdir="$OUTDIR/$1" slug="${2//\//_}"
    awk '
        /^\[(exception|TIMEOUT)\]/ { on = 1; n = 0 }
        on && n < 25 { print "      | " $0; n++ }
    ' "$mdir/$slug.log" 2>/dev/null
    if [[ -f "$mdir/$slug.server.log" ]]; then
        echo "      server log tail ($mdir/$slug.server.log):"
        tail -n 8 "$mdir/$slug.server.log" | sed 's/^/      | /'
    fi
}

echo
for mode in "${MODES[@]}"; do
    mdir="$OUTDIR/$mode"
    plist="$(passlist_for "$mode")"
    listed_for_units "$plist" >"$WORK/listed.txt"
    LC_ALL=C comm -23 "$WORK/listed.txt" "$mdir/passed.txt" >"$WORK/regressed.txt"
    LC_ALL=C comm -13 "$WORK/listed.txt" "$mdir/passed.txt" >"$WORK/new.txt"
    nlisted=$(wc -l <"$WORK/listed.txt")
    nreg=$(wc -l <"$WORK/regressed.txt")
    nnew=$(wc -l <"$WORK/new.txt")
    npass=$(wc -l <"$mdir/passed.txt")
    TOTAL_LISTED_FAILED=$((TOTAL_LISTED_FAILED + nreg))
    cp "$WORK/regressed.txt" "$mdir/regressed.txt"
    echo "==> $mode: $npass passing; pass list ${plist#"$ROOT"/} has $nlisted for these units; $nreg of them FAILED; $nnew newly passing"
    if [[ $nreg -gt 0 ]]; then
        echo "  Listed tests that did not pass ($mode):"
        for unit in "${UNIT_LIST[@]}"; do
            grep -F -- "$unit: " "$WORK/regressed.txt" | awk -v p="$unit: " 'index($0, p) == 1' >"$WORK/reg-unit.txt"
            [[ -s "$WORK/reg-unit.txt" ]] || continue
            slug="${unit//\//_}"
            st="$(awk -F'\t' -v m="$mode" -v u="$unit" '$1 == m && $2 == u { print $7 }' "$SUMMARY")"
            echo "  -- $unit: $(wc -l <"$WORK/reg-unit.txt") listed test(s) failed; unit status: $st; log: $mdir/$slug.log"
            if [[ "$st" != done* ]]; then
                print_abort_detail "$mode" "$unit"
            fi
            if [[ "$st" == build-failed || "$st" == server-start-failed ]]; then
                continue
            fi
            nerr=0 nnotrun=0
            while IFS= read -r line; do
                name="${line#*: }"
                if grep -qxF -- "$line" "$mdir/failed.txt"; then
                    nerr=$((nerr + 1))
                    echo "    FAIL $line"
                    [[ $nerr -le 30 ]] && print_failure_detail "$mode" "$unit" "$name"
                else
                    nnotrun=$((nnotrun + 1))
                    [[ $nnotrun -le 10 ]] && echo "    FAIL $line   (not run: unit ended before it)"
                fi
            done <"$WORK/reg-unit.txt"
            if [[ $nnotrun -gt 10 ]]; then
                echo "    ... and $((nnotrun - 10)) more listed tests not run (full list: $mdir/regressed.txt)"
            fi
        done
    fi
    if [[ $nnew -gt 0 ]]; then
        if [[ $UPDATE -eq 1 ]]; then
            echo "  Newly passing ($mode), added by --update:"
        elif [[ "$mode" == ref ]]; then
            echo "  Passing against the reference server but not in any pass list: $nnew (not listed individually)"
            nnew=0
        else
            echo "  Newly passing ($mode) — run with --update to record them:"
        fi
        [[ $nnew -gt 0 ]] && sed 's/^/    NEW  /' "$WORK/new.txt" | head -n 200
        [[ $nnew -gt 200 ]] && echo "    ... ($((nnew - 200)) more; full list in $mdir/passed.txt)"
    fi
    if [[ $UPDATE -eq 1 ]]; then
        # Keep entries of units not run, replace those of the units that were.
        {
            if [[ -f "$plist" ]]; then
                LC_ALL=C comm -23 <(LC_ALL=C sort -u "$plist") "$WORK/listed.txt"
            fi
            cat "$mdir/passed.txt"
        } | LC_ALL=C sort -u >"$WORK/newlist.txt"
        mv "$WORK/newlist.txt" "$plist"
        echo "  --update: wrote ${plist#"$ROOT"/} ($(wc -l <"$plist") tests)"
    fi
done

STATUS=0
if [[ $BUILD_FAILED -eq 1 ]]; then
    STATUS=1
fi
if [[ $UPDATE -eq 0 && $TOTAL_LISTED_FAILED -gt 0 ]]; then
    STATUS=1
fi
if [[ -n "$SERVER_CMD" ]]; then
    if [[ $BASELINE_MISMATCH -gt 0 ]]; then
        echo "==> reference server: $BASELINE_MISMATCH unit(s) differ from ${BASELINE#"$ROOT"/}"
        STATUS=1
    else
        echo "==> reference server: every unit matches ${BASELINE#"$ROOT"/}"
    fi
fi
echo "$TOTAL_OK passed, $TOTAL_LISTED_FAILED failed"
exit $STATUS
