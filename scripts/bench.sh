#!/usr/bin/env bash
# Benchmark xeroctl with the sandbox router. Each mode rewrites only its own
# block of BENCHMARKS.md (or of --out FILE); the rest of the file is kept.
#
#   scripts/bench.sh              full run: the loopback figures (one request and
#                                 --all over 100,000 agents against curl, flat
#                                 memory, tables, start-up, binary size) and the
#                                 scripting figures
#   scripts/bench.sh --loopback   only the loopback figures (the first half of the
#                                 full run)
#   scripts/bench.sh --scripting  only the scripting figures: --all --jq against
#                                 -o json | jq over 100,000 agents (interleaved
#                                 pairs), peak RSS of --jq, -o name, --no-headers
#                                 and --columns at 10,000 and 100,000 agents
#   scripts/bench.sh --network    only the network figures: --all -o json over
#                                 100,000 agents with --latency-ms 50 and
#                                 --bandwidth-kbps 20000, compression on and off,
#                                 against curl --compressed; start-up over /bin/true
#   scripts/bench.sh --soak       only the stream soak: exec stream receives 100,000
#                                 events with a dropped connection every 1,000 and a
#                                 503 every 5,000; events lost, duplicated, out of
#                                 order, and RSS near the start and at the end
#   scripts/bench.sh --smoke      a tiny pass of every mode (debug build, small N,
#                                 few runs, no target judged), written to
#                                 $TMPDIR/xeroctl-bench-smoke.md; for CI, only to keep
#                                 this script working
#
# Options: one mode, --release (smoke with the release build), --out FILE,
# --no-build (measure the binaries already in target/, e.g. to repeat a mode).
# It is a benchmark, not a test: it reports targets as PASS/MISS and exits 0
# unless something is broken (a build, the sandbox, a wrong item count).
# Needs curl and jq; installs hyperfine and GNU time from apt when possible,
# and falls back to a timing loop / getrusage when not.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODE=full
PROFILE=
OUT=
NO_BUILD=
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) MODE=smoke ;;
        --loopback) MODE=loopback ;;
        --network) MODE=network ;;
        --scripting) MODE=scripting ;;
        --soak) MODE=soak ;;
        --release) PROFILE=release ;;
        --no-build) NO_BUILD=1 ;;
        --out)
            [ $# -ge 2 ] || { echo "bench.sh: --out needs a file" >&2; exit 2; }
            OUT="$2"
            shift
            ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ "$MODE" = smoke ]; then
    PROFILE=${PROFILE:-dev}
    OUT=${OUT:-${TMPDIR:-/tmp}/xeroctl-bench-smoke.md}
else
    PROFILE=${PROFILE:-release}
    OUT=${OUT:-$ROOT/BENCHMARKS.md}
fi

# shellcheck source=scripts/bench/lib.sh
. "$ROOT/scripts/bench/lib.sh"
# shellcheck source=scripts/bench/blocks.sh
. "$ROOT/scripts/bench/blocks.sh"
# shellcheck source=scripts/bench/loopback.sh
. "$ROOT/scripts/bench/loopback.sh"
# shellcheck source=scripts/bench/network.sh
. "$ROOT/scripts/bench/network.sh"
# shellcheck source=scripts/bench/scripting.sh
. "$ROOT/scripts/bench/scripting.sh"
# shellcheck source=scripts/bench/soak.sh
. "$ROOT/scripts/bench/soak.sh"

need_tools
build
# A smoke run starts from an empty file, so every block is written fresh.
[ "$MODE" = smoke ] && rm -f "$OUT"

# run_mode NAME: measures NAME, prints its block and writes it into $OUT.
run_mode() {
    "$1_figures"
    if declare -F "$1_rows" >/dev/null; then "$1_rows"; fi
    "$1_markdown" >"$TMP/$1.md"
    echo
    cat "$TMP/$1.md"
    write_block "$1" "$OUT" <"$TMP/$1.md"
}

case "$MODE" in
    full) run_mode loopback; run_mode scripting ;;
    smoke) for mode in $BLOCK_ORDER; do run_mode "$mode"; done ;;
    *) run_mode "$MODE" ;;
esac
echo
echo "wrote $OUT"
