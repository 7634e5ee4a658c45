#!/bin/sh
# The README's quick start for installed users, run against installed (or
# unpacked, or containerised) binaries instead of a cargo build:
#
#   scripts/smoke-installed.sh [<bin-dir>]    # default: xeroctl and xeroctl-sandbox from PATH
#
# Starts xeroctl-sandbox --write-context (on a free port, with a throw-away
# config dir), then runs a few commands with --context sandbox. Used by the
# release workflow on each unpacked archive, by the container job of ci.yml
# and by scripts/check-dockerfile.sh. POSIX sh: it runs inside the Alpine image too.
set -eu

if [ $# -gt 0 ]; then
    PATH="$(cd "$1" && pwd):$PATH"
    export PATH
fi
for bin in xeroctl xeroctl-sandbox; do
    command -v "$bin" >/dev/null 2>&1 || { echo "smoke: no $bin on PATH" >&2; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/xeroctl-smoke.XXXXXX")"
sandbox_pid=""
cleanup() {
    if [ -n "$sandbox_pid" ]; then
        kill "$sandbox_pid" 2>/dev/null || true
        wait "$sandbox_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$work/config"
unset XEROCTL_BASE_URL XEROCTL_API_KEY XEROCTL_CONTEXT XEROCTL_OUTPUT

run() {
    printf '$ %s\n' "$*" >&2
    "$@"
}

run xeroctl --version
run xeroctl-sandbox --version

# The README's two lines, on a free port instead of 8787.
printf '$ xeroctl-sandbox --port 0 --write-context &\n' >&2
xeroctl-sandbox --port 0 --write-context >"$work/env" 2>"$work/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 1 100); do
    xeroctl --context sandbox status >/dev/null 2>&1 && break
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
    sleep 0.1
done
run xeroctl --context sandbox agents
printf '$ xeroctl --context sandbox agents join-keys --create --name smoke --max-enrollments 1 --expires-in 1 -o json\n' >&2
xeroctl --context sandbox agents join-keys --create --name smoke --max-enrollments 1 --expires-in 1 -o json >"$work/key.json"
grep -q '"token"' "$work/key.json" || { echo "smoke: no token in the new join key" >&2; cat "$work/key.json" >&2; exit 1; }
run xeroctl --context sandbox exec tools --limit 3
echo "smoke: ok" >&2
