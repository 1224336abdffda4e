#!/usr/bin/env bash
# repl-interop.sh — replication between redis-clone and redis-server 7.0.
#
# Runs the Go interoperability tests (internal/replication, TestInterop)
# with real redis-server processes, in both modes, diskless and disk-based:
#   1. redis-clone as a replica of a redis-server 7.0 master under write
#      load, the link killed from each side (two partial resyncs);
#   2. redis-server 7.0 as a replica of redis-clone under write load, the
#      same kills;
# each ending with master and replica compared key by key (type, value,
# TTL presence) and the master's sync_full / sync_partial_ok counted;
#   3. Sentinel (TestSentinelFailover): three sentinels (redis-server
#      --sentinel, the binary Debian's redis-sentinel links to) watch our
#      master and two replicas; the master is killed, a replica promoted,
#      the other follows it, go-redis's FailoverClient keeps writing, and
#      writes acknowledged with WAIT 1 before the kill are still there.
#
# Needs redis-server (Debian's redis-server package) and Go. Exit status
# non-zero if a check failed. Takes well under two minutes.
set -euo pipefail
export LC_ALL=C

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if ! command -v redis-server >/dev/null 2>&1; then
    echo "repl-interop: redis-server not found (apt-get install -y redis-server)" >&2
    exit 1
fi
echo "repl-interop: $(redis-server --version)"
REPL_INTEROP=1 go test -count=1 -timeout 110s -run '^(TestInterop|TestSentinelFailover)$' -v ./internal/replication 2>&1 |
    grep -E '^(=== RUN|\s*--- |\s+\S+_test\.go|PASS|FAIL|ok|panic)'
exit "${PIPESTATUS[0]}"
