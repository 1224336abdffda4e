#!/usr/bin/env bash
# fetch-redis-src.sh — locate (or fetch) the Redis 7.0 source tree that holds
# Redis's own Tcl test suite, and print its path on the last line of stdout.
#
# Lookup order:
#   1. $REDIS_SRC (must contain runtest and tests/test_helper.tcl)
#   2. /opt/redis-src/redis-7.0.15
#   3. $REDIS_SRC_CACHE/redis-7.0.* (default cache: ${XDG_CACHE_HOME:-$HOME/.cache}/redis-clone/redis-src)
#   4. `apt-get source redis` into the cache dir. If no deb-src entry exists,
#      one is added (needs root) by copying /etc/apt/sources.list.d/debian.sources
#      with "Types: deb" turned into "Types: deb-src" (or the deb lines of
#      /etc/apt/sources.list turned into deb-src lines), then `apt-get update`.
#      Needs dpkg-dev (dpkg-source) to unpack.
#
# Idempotent: a second run finds the tree from step 2 or 3 and does nothing.
# All progress messages go to stderr; only the path goes to stdout.
set -euo pipefail

log() { echo "fetch-redis-src: $*" >&2; }

valid_tree() { [[ -f "$1/runtest" && -f "$1/tests/test_helper.tcl" ]]; }

if [[ -n "${REDIS_SRC:-}" ]]; then
    if valid_tree "$REDIS_SRC"; then
        echo "$REDIS_SRC"
        exit 0
    fi
    log "REDIS_SRC=$REDIS_SRC is not a Redis source tree (no runtest/tests); looking elsewhere"
fi

if valid_tree /opt/redis-src/redis-7.0.15; then
    echo /opt/redis-src/redis-7.0.15
    exit 0
fi

cache="${REDIS_SRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redis-clone/redis-src}"
find_cached() {
    local d
    for d in "$cache"/redis-7.0.*; do
        if valid_tree "$d"; then
            echo "$d"
            return 0
        fi
    done
    return 1
}
if found=$(find_cached); then
    echo "$found"
    exit 0
fi

# Need to fetch. Make sure a deb-src entry exists.
have_deb_src() {
    grep -Eqs '^(Types:.*\bdeb-src\b|deb-src[[:space:]])' \
        /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources
}
if ! have_deb_src; then
    if [[ $(id -u) -ne 0 ]]; then
        log "no deb-src entry in apt sources and not root; cannot add one."
        log "run as root, or set REDIS_SRC to an unpacked redis-7.0.x source tree"
        exit 1
    fi
    if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
        log "adding /etc/apt/sources.list.d/debian-src.sources (deb-src copy of debian.sources)"
        sed -E 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
            > /etc/apt/sources.list.d/debian-src.sources
    elif [[ -f /etc/apt/sources.list ]] && grep -Eq '^deb[[:space:]]' /etc/apt/sources.list; then
        log "adding /etc/apt/sources.list.d/debian-src.list (deb-src copy of sources.list)"
        grep -E '^deb[[:space:]]' /etc/apt/sources.list | sed -E 's/^deb[[:space:]]/deb-src /' \
            > /etc/apt/sources.list.d/debian-src.list
    else
        log "cannot find debian.sources or sources.list to derive a deb-src entry from"
        exit 1
    fi
    apt-get update -qq >&2 || { log "apt-get update failed"; exit 1; }
fi

if ! command -v dpkg-source >/dev/null 2>&1; then
    if [[ $(id -u) -eq 0 ]]; then
        log "installing dpkg-dev (needed to unpack the source package)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dpkg-dev >&2
    else
        log "dpkg-source missing (install dpkg-dev)"
        exit 1
    fi
fi

mkdir -p "$cache"
log "apt-get source redis into $cache"
(
    cd "$cache"
    # apt warns when downloading unsandboxed as root; harmless.
    apt-get source -qq redis >&2
) || {
    # The source list may be stale (deb-src added by someone else without an update).
    log "apt-get source failed; retrying after apt-get update"
    apt-get update -qq >&2 || true
    (cd "$cache" && apt-get source -qq redis >&2)
}

if found=$(find_cached); then
    echo "$found"
    exit 0
fi
log "apt-get source redis did not produce $cache/redis-7.0.*"
ls -la "$cache" >&2 || true
exit 1
