# Sourced by scripts/bench.sh: tools, the build, sandboxes and measuring.
# Expects MODE (full|smoke|network|scripting|soak), PROFILE and ROOT.
# shellcheck shell=bash

TMP="$(mktemp -d "${TMPDIR:-/tmp}/xeroctl-bench.XXXXXX")"
SANDBOX_PIDS=()
cleanup() {
    local pid
    for pid in "${SANDBOX_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SANDBOX_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '==> %s\n' "$*" >&2; }
die() { echo "bench.sh: $*" >&2; exit 1; }
smoke() { [ "$MODE" = smoke ]; }

# --- tools -----------------------------------------------------------------

can_apt() {
    command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]
}
APT_UPDATED=
apt_install() {
    can_apt || return 1
    if [ -z "$APT_UPDATED" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null 2>&1 || return 1
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1
}

# need_tools: curl and jq are required; hyperfine and GNU time are installed
# when possible, with a timing loop / getrusage as fallbacks.
need_tools() {
    command -v curl >/dev/null 2>&1 || apt_install curl || die "curl is required"
    command -v jq >/dev/null 2>&1 || apt_install jq || die "jq is required (the scripting figures compare with it)"
    if ! command -v hyperfine >/dev/null 2>&1; then
        log "installing hyperfine"
        apt_install hyperfine || log "hyperfine unavailable: using a timing loop"
    fi
    HAVE_HYPERFINE=
    command -v hyperfine >/dev/null 2>&1 && HAVE_HYPERFINE=1
    # BENCH_NO_HYPERFINE=1 / BENCH_NO_GNU_TIME=1 force the fallbacks (to test them).
    [ -n "${BENCH_NO_HYPERFINE:-}" ] && HAVE_HYPERFINE=
    GNU_TIME=/usr/bin/time
    [ -n "${BENCH_NO_GNU_TIME:-}" ] && GNU_TIME=/nonexistent/time
    if ! "$GNU_TIME" -f %M true >/dev/null 2>&1 && [ -z "${BENCH_NO_GNU_TIME:-}" ]; then
        log "installing GNU time"
        apt_install time || true
    fi
    return 0
}

# --- build -----------------------------------------------------------------

# build: builds both binaries of PROFILE (unless NO_BUILD: then they must exist).
build() {
    local flags=(--locked -p xeroctl -p xeroctl-sandbox)
    BIN_DIR="$ROOT/target/debug"
    if [ "$PROFILE" = release ]; then
        flags+=(--release)
        BIN_DIR="$ROOT/target/release"
    fi
    if [ -n "$NO_BUILD" ]; then
        log "not building: using $BIN_DIR as it is"
    else
        log "building ($PROFILE profile)"
        (cd "$ROOT" && cargo build "${flags[@]}")
    fi
    XEROCTL="$BIN_DIR/xeroctl"
    SANDBOX="$BIN_DIR/xeroctl-sandbox"
    [ -x "$XEROCTL" ] && [ -x "$SANDBOX" ] || die "no $XEROCTL or $SANDBOX (build them first)"
    # Before HOME moves (rustup finds its toolchains through it).
    RUSTC=$(rustc -V 2>/dev/null || echo "rustc ?")
    # xeroctl reads only the environment: no config file, no colour, no keychain.
    export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" NO_COLOR=1
    mkdir -p "$XDG_CONFIG_HOME"
    unset XEROCTL_CONTEXT XEROCTL_OUTPUT
}

# --- sandboxes -------------------------------------------------------------

# start_sandbox NAME N [FLAGS…]: a sandbox with N generated agents (and
# FLAGS) on a free port, once per NAME; its export lines go to
# $TMP/sandbox-NAME.env.
start_sandbox() {
    local name="$1" n="$2" env="$TMP/sandbox-$1.env"
    shift 2
    [ -s "$env" ] && return 0
    log "starting a sandbox with $n agents${*:+ ($*)}"
    "$SANDBOX" --port 0 --agents "$n" --tick-ms 1000 "$@" >"$env.tmp" 2>"$TMP/sandbox-$name.log" &
    SANDBOX_PIDS+=("$!")
    local waited=0
    until grep -q '^export XEROCTL_API_KEY=' "$env.tmp" 2>/dev/null; do
        if ! kill -0 "$!" 2>/dev/null || [ "$waited" -ge 1200 ]; then
            echo "bench.sh: the sandbox did not start:" >&2
            cat "$TMP/sandbox-$name.log" >&2
            exit 1
        fi
        sleep 0.05
        waited=$((waited + 1))
    done
    mv "$env.tmp" "$env"
}

# use_sandbox NAME [N [FLAGS…]]: starts it if needed (N defaults to NAME) and
# exports its XEROCTL_BASE_URL / XEROCTL_API_KEY.
use_sandbox() {
    local name="$1"
    shift
    start_sandbox "$name" "${@:-$name}"
    # shellcheck disable=SC1090
    . "$TMP/sandbox-$name.env"
    export XEROCTL_BASE_URL XEROCTL_API_KEY
}

# use_plain N: a sandbox with N agents that never compresses. On loopback,
# compressing ~50 MB costs the sandbox more CPU than anything the client
# does, and curl (without --compressed) would get other bytes than xeroctl:
# the loopback and scripting figures compare clients on the same raw bytes.
use_plain() {
    use_sandbox "plain-$1" "$1" --no-compression
}

# stat_of FIELD: a number from the current sandbox's GET …/sandbox/stats.
stat_of() {
    curl -s "$XEROCTL_BASE_URL/sandbox/stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# --- measuring -------------------------------------------------------------

# bench NAME RUNS WARMUP CMD...: median wall time in ms of CMD (stdout to
# /dev/null), echoed on stdout.
bench() {
    local name="$1" runs="$2" warmup="$3"
    shift 3
    if [ -n "$HAVE_HYPERFINE" ]; then
        local quoted="" arg
        for arg in "$@"; do quoted+="$(printf '%q ' "$arg")"; done
        hyperfine -N --style basic --runs "$runs" --warmup "$warmup" \
            --command-name "$name" --export-csv "$TMP/$name.csv" "$quoted" >&2
        awk -F, 'NR == 2 { printf "%.3f\n", $4 * 1000 }' "$TMP/$name.csv"
    else
        local i t0 t1 times=()
        for ((i = 0; i < warmup; i++)); do "$@" >/dev/null; done
        for ((i = 0; i < runs; i++)); do
            t0=$EPOCHREALTIME
            "$@" >/dev/null
            t1=$EPOCHREALTIME
            times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
        done
        printf '%s\n' "${times[@]}" | median
        log "$name: median of $runs runs (timing loop)"
    fi
}

median() {
    sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f\n", m }'
}

# pair NAME RUNS WARMUP CMD_A CMD_B: runs the two shell command lines in
# turn (A B A B …, stdout to /dev/null), so both see the same moment of a
# shared machine; echoes "<median A ms>|<median B ms>|<median of A/B per pair>".
pair() {
    local name="$1" runs="$2" warmup="$3" a="$4" b="$5" i t0 t1 t2 rows=()
    for ((i = 0; i < warmup; i++)); do
        eval "$a" >/dev/null
        eval "$b" >/dev/null
    done
    for ((i = 0; i < runs; i++)); do
        t0=$EPOCHREALTIME
        eval "$a" >/dev/null
        t1=$EPOCHREALTIME
        eval "$b" >/dev/null
        t2=$EPOCHREALTIME
        rows+=("$(awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.3f %.3f %.4f", (b - a) * 1000, (c - b) * 1000, (b - a) / (c - b) }')")
    done
    printf '%s\n' "${rows[@]}" >"$TMP/pair-$name.txt"
    log "$name: $runs interleaved pairs"
    printf '%s|%s|%s\n' \
        "$(cut -d' ' -f1 "$TMP/pair-$name.txt" | median)" \
        "$(cut -d' ' -f2 "$TMP/pair-$name.txt" | median)" \
        "$(cut -d' ' -f3 "$TMP/pair-$name.txt" | median | awk '{ printf "%.2f", $1 }')"
}

# peak_rss_kb CMD...: the largest peak RSS (KiB) of RSS_RUNS runs of CMD.
peak_rss_kb() {
    local i kb max=0
    for ((i = 0; i < RSS_RUNS; i++)); do
        if "$GNU_TIME" -f %M true >/dev/null 2>&1; then
            "$GNU_TIME" -f %M -o "$TMP/rss" "$@" >/dev/null
            kb=$(tail -n 1 "$TMP/rss")
        elif command -v python3 >/dev/null 2>&1; then
            kb=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
        else
            echo "n/a"
            return 0
        fi
        [ "$kb" -gt "$max" ] && max=$kb
    done
    echo "$max"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
is_num() { [[ "$1" =~ ^-?[0-9]+([.][0-9]+)?$ ]]; }
# verdict VALUE LIMIT: PASS if VALUE <= LIMIT; a smoke run judges nothing.
verdict() {
    if smoke || ! is_num "$1"; then
        echo "n/a"
    elif le "$1" "$2"; then echo PASS; else echo MISS; fi
}
mb() { if is_num "$1"; then awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; else echo "n/a"; fi; }
# growth A B: how much B is above A, in % of A.
growth() {
    if is_num "$1" && is_num "$2" && [ "${1%.*}" -gt 0 ]; then
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) * 100 / a }'
    else echo n/a; fi
}
now_utc() { date -u '+%Y-%m-%d %H:%M UTC'; }
smoke_note() { smoke && echo ' (smoke: NOT a real run)'; return 0; }
