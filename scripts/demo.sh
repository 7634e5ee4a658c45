#!/usr/bin/env bash
# The main job, end to end, with no Xerotier account: build xeroctl and the
# sandbox router, start the sandbox on a free loopback port, and walk through
# what an operator does with the real binary. Stops the sandbox on exit.
#
#   ./scripts/demo.sh            # debug build (fastest to build)
#   ./scripts/demo.sh --release  # optimised build
set -euo pipefail
cd "$(dirname "$0")/.."

profile=debug
cargo_flags=()
if [ "${1:-}" = "--release" ]; then
  profile=release
  cargo_flags=(--release)
fi

say() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
[ -t 2 ] || say() { printf '\n==> %s\n' "$*" >&2; }
# Echo a command as you would type it (single-quoting words that need it), then run it.
quote() { case $1 in *[!A-Za-z0-9_./:@=,+-]*) printf " '%s'" "${1//\'/\'\\\'\'}" ;; *) printf ' %s' "$1" ;; esac; }
run() { { printf '$'; for word in "$@"; do quote "$word"; done; printf '\n'; } >&2; "$@"; }
# Read a top-level string field from xeroctl's pretty JSON on stdin (no jq needed).
field() { sed -n "s/^  \"$1\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p" | head -n 1; }

say "Building xeroctl and the sandbox router ($profile)"
cargo build --locked "${cargo_flags[@]}" -p xeroctl -p xeroctl-sandbox
bin="$PWD/target/$profile"
export PATH="$bin:$PATH"

work=$(mktemp -d)
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

say "Starting the sandbox router on a free loopback port"
xeroctl-sandbox --port 0 --tick-ms 300 >"$work/env" 2>"$work/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 1 100); do
  [ "$(wc -l <"$work/env")" -ge 2 ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 0.1
done
# shellcheck disable=SC1091
source "$work/env"
unset XEROCTL_CONTEXT XEROCTL_OUTPUT
# Keep the demo away from the user's own config file.
export XDG_CONFIG_HOME="$work/config"
printf 'XEROCTL_BASE_URL=%s\n' "$XEROCTL_BASE_URL" >&2

say "1. Check the connection and the key's scopes"
run xeroctl status

say "2. Mint a single-use join key for a new worker (the token is shown once)"
run xeroctl agents join-keys --create --name demo-key --region us-east --max-enrollments 1 --expires-in 2

say "3. List the project's agents"
run xeroctl agents

say "4. Pre-create an agent, update it, show it"
agent_id=$(run xeroctl agents --create --name demo-worker --region eu-west --max-concurrent 4 -o json | field id)
run xeroctl agents "$agent_id" --update --description "Created by the demo" --max-concurrent 8
run xeroctl agents "$agent_id"

say "5. List the tools XEM exposes, and look at a destructive one"
run xeroctl exec tools
run xeroctl exec tool-show kubectl_drain

say "6. Invoke a read tool and watch it complete"
run xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_get \
  --args '{"resource": "pods", "namespace": "default"}' --wait --interval 0.3

say "7. Invoke a destructive tool: it stops in pending_approval"
invocation=$(run xeroctl exec invoke --workspace ws_a1b2c3d4 --tool kubectl_drain \
  --args '{"node": "node-7", "grace_period_seconds": 30}' -o json)
invocation_id=$(field id <<<"$invocation")
approval_id=$(field approval_id <<<"$invocation")
printf 'invocation %s waits for approval %s\n' "$invocation_id" "$approval_id" >&2
run xeroctl approvals list --status pending

say "8. Approve it (--force: a script has no terminal to answer a prompt), then watch it complete"
run xeroctl approvals approve "$approval_id" --note "demo: drain node-7" --force
execution_id=$(run xeroctl exec watch "$invocation_id" --interval 0.3 -o json | field execution_id)

say "9. Read the execution record and its raw output"
run xeroctl exec show "$execution_id"
run xeroctl exec raw "$execution_id"

say "10. Drain a workspace: pause governed exec there, list what is in flight, resume"
run xeroctl agents pause-exec agt_7Hq2 --workspace ws_a1b2c3d4 --reason "demo: maintenance"
run xeroctl exec invocations --workspace ws_a1b2c3d4 --status running
run xeroctl agents resume-exec agt_7Hq2 --workspace ws_a1b2c3d4

say "11. Tell the agents something, and list what they know about the workspace"
run xeroctl learnings add --content "Cordon node-7 before draining it" --workspace ws_a1b2c3d4
run xeroctl learnings list --workspace ws_a1b2c3d4
run xeroctl exec context --workspace ws_a1b2c3d4

say "Done: every step above ran against the sandbox with the real xeroctl binary."
