#!/usr/bin/env bash
# Benchmark xeroctl against curl on loopback, using the sandbox router.
#
#   scripts/bench.sh            full run: 100,000 agents, rewrites BENCHMARKS.md
#   scripts/bench.sh --smoke    2,000 agents, few runs, debug build, writes
#                               $TMPDIR/xeroctl-bench-smoke.md instead; for CI, only
#                               to keep this script working (about 20 s after a build)
#   scripts/bench.sh --network  only the network figures: --all -o json over 100,000
#                               agents through a sandbox with --latency-ms 50 and
#                               --bandwidth-kbps 20000, compression on and off, against
#                               curl --compressed on one connection; plus --version
#                               start-up over /bin/true. Rewrites that block of
#                               BENCHMARKS.md (a smoke run does a tiny network pass).
#
# Options: --smoke, --network, --release (smoke with the release build), --out FILE.
# It is a benchmark, not a test: it reports targets as PASS/MISS and exits 0
# unless something is broken (a build, the sandbox, a wrong item count).
# Needs curl; installs hyperfine and GNU time from apt when possible, and
# falls back to a timing loop / getrusage when not.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODE=full
PROFILE=
OUT=
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) MODE=smoke ;;
        --network) MODE=network ;;
        --release) PROFILE=release ;;
        --out) OUT="$2"; shift ;;
        -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "bench.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ "$MODE" = full ] || [ "$MODE" = network ]; then
    PROFILE=${PROFILE:-release}
    N_MAIN=100000   # (1), (2): 100,000 agents = 1,000 pages of 100
    N_TABLE=10000   # (4)
    RSS_NS="1000 10000 100000"
    RUNS_ONE=60 RUNS_ALL=20 RUNS_TABLE=10 RUNS_START=300 RSS_RUNS=3
else
    PROFILE=${PROFILE:-dev}
    N_MAIN=2000
    N_TABLE=2000
    RSS_NS="200 2000"
    RUNS_ONE=5 RUNS_ALL=2 RUNS_TABLE=2 RUNS_START=10 RSS_RUNS=1
fi
# Network figures: seeded agents, added latency per request (a round trip),
# and the bandwidth of the sandbox's paced body writer.
if [ "$MODE" = smoke ]; then
    NET_N=300 NET_LATENCY=5 NET_KBPS=20000
else
    NET_N=100000 NET_LATENCY=50 NET_KBPS=20000
fi
PAGE=100

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

command -v curl >/dev/null 2>&1 || apt_install curl || {
    echo "bench.sh: curl is required" >&2
    exit 1
}
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

# --- build -----------------------------------------------------------------

log "building ($PROFILE profile)"
if [ "$PROFILE" = release ]; then
    (cd "$ROOT" && cargo build --release --locked -p xeroctl -p xeroctl-sandbox)
    BIN_DIR="$ROOT/target/release"
else
    (cd "$ROOT" && cargo build --locked -p xeroctl -p xeroctl-sandbox)
    BIN_DIR="$ROOT/target/debug"
fi
XEROCTL="$BIN_DIR/xeroctl"
SANDBOX="$BIN_DIR/xeroctl-sandbox"

# Before HOME moves (rustup finds its toolchains through it).
RUSTC=$(rustc -V 2>/dev/null || echo "rustc ?")

# xeroctl reads only the environment: no config file, no colour, no keychain.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" NO_COLOR=1
mkdir -p "$XDG_CONFIG_HOME"
unset XEROCTL_CONTEXT XEROCTL_OUTPUT

# --- sandboxes -------------------------------------------------------------

# start_sandbox N: starts a sandbox with N generated agents on a free port and
# writes its export lines to $TMP/sandbox-N.env.
start_sandbox() {
    start_sandbox_as "$1" "$1"
}

# start_sandbox_as NAME N [FLAGS…]: the same, named NAME, with extra flags.
start_sandbox_as() {
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

# use_sandbox N: exports XEROCTL_BASE_URL / XEROCTL_API_KEY of that sandbox.
use_sandbox() {
    start_sandbox "$1"
    # shellcheck disable=SC1090
    . "$TMP/sandbox-$1.env"
    export XEROCTL_BASE_URL XEROCTL_API_KEY
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
        printf '%s\n' "${times[@]}" | sort -g |
            awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f\n", m }'
        log "$name: median of $runs runs (timing loop)"
    fi
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

# page_urls FILE: walks the cursors once with curl and writes one curl config
# `url = "…"` line per page, the URLs xeroctl --all fetches.
page_urls() {
    local file="$1" after="" url body tail
    : >"$file"
    while :; do
        url="$XEROCTL_BASE_URL/management/agents?limit=$PAGE${after:+&after=$after}"
        printf 'url = "%s"\n' "$url" >>"$file"
        body=$(curl -sf -H "Authorization: Bearer $XEROCTL_API_KEY" "$url")
        # The envelope's has_more/first_id/last_id follow `data`.
        tail=${body: -400}
        case "$tail" in *'"has_more":true'*) ;; *) break ;; esac
        after=$(printf '%s' "$tail" | sed -n 's/.*"last_id":"\([^"]*\)".*/\1/p')
        [ -n "$after" ] || { echo "bench.sh: no last_id in a page" >&2; exit 1; }
    done
}

# count_agents: items in xeroctl's --all JSON and in curl's pages must agree.
check_counts() {
    local urls="$1" want got
    want=$(curl -s -H "Authorization: Bearer $XEROCTL_API_KEY" -K "$urls" | grep -o '"object":"agent"' | wc -l)
    got=$("$XEROCTL" agents --all -o json | grep -c '^ *"object": "agent",$' || true)
    if [ "$want" != "$got" ]; then
        echo "bench.sh: xeroctl --all printed $got agents, curl fetched $want" >&2
        exit 1
    fi
    echo "$got"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
# A smoke run (small N, debug build, few runs) judges nothing.
verdict() {
    if [ "$MODE" = smoke ] || ! is_num "${1#-}"; then
        echo "n/a"
    elif le "$1" "$2"; then echo PASS; else echo MISS; fi
}
is_num() { [[ "$1" =~ ^[0-9]+([.][0-9]+)?$ ]]; }
mb() { if is_num "$1"; then awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; else echo "n/a"; fi; }

# --- network figures -------------------------------------------------------

# stat_of FIELD: a number from the sandbox's GET …/sandbox/stats.
stat_of() {
    curl -s "$XEROCTL_BASE_URL/sandbox/stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# net_run CMD…: "<wall ms>|<body bytes received>|<requests>" of one run of
# CMD against the current (paced) sandbox; the stats call itself is excluded.
net_run() {
    local b0 r0 t0 t1 b1 r1
    b0=$(stat_of body_bytes_sent) r0=$(stat_of requests)
    t0=$EPOCHREALTIME
    "$@" >/dev/null
    t1=$EPOCHREALTIME
    b1=$(stat_of body_bytes_sent) r1=$(stat_of requests)
    awk -v a="$t0" -v b="$t1" -v x="$b0" -v y="$b1" -v p="$r0" -v q="$r1" \
        'BEGIN { printf "%.0f|%d|%d\n", (b - a) * 1000, y - x, q - p - 2 }'
}

NET_ROWS=()
network_figures() {
    local urls="$TMP/net-urls.txt" mode flags r ms bytes reqs
    # The page URLs, walked once on a sandbox without faults (same seed,
    # same ids), then pointed at each paced sandbox.
    use_sandbox "$NET_N"
    page_urls "$TMP/net-urls-plain.txt"
    local plain_base="$XEROCTL_BASE_URL"
    for mode in on off; do
        flags=(--latency-ms "$NET_LATENCY" --bandwidth-kbps "$NET_KBPS")
        [ "$mode" = off ] && flags+=(--no-compression)
        start_sandbox_as "net-$mode" "$NET_N" "${flags[@]}"
        # shellcheck disable=SC1090
        . "$TMP/sandbox-net-$mode.env"
        export XEROCTL_BASE_URL XEROCTL_API_KEY
        sed "s#$plain_base#$XEROCTL_BASE_URL#" "$TMP/net-urls-plain.txt" >"$urls"
        log "network: compression $mode, xeroctl agents --all -o json"
        r=$(net_run "$XEROCTL" agents --all -o json)
        IFS='|' read -r ms bytes reqs <<<"$r"
        NET_ROWS+=("xeroctl agents --all -o json|$mode|$ms|$bytes|$reqs")
        log "network: compression $mode, curl --compressed -K (one connection)"
        r=$(net_run curl -s --compressed -H "Authorization: Bearer $XEROCTL_API_KEY" -K "$urls")
        IFS='|' read -r ms bytes reqs <<<"$r"
        NET_ROWS+=("curl --compressed, same pages|$mode|$ms|$bytes|$reqs")
    done
    use_sandbox "$NET_N"
}

START_ROWS=()
startup_figures() {
    local t v c h w=20
    [ "$MODE" = smoke ] && w=1
    t=$(bench true "$RUNS_START" "$w" /bin/true)
    v=$(bench version-fast "$RUNS_START" "$w" "$XEROCTL" --version)
    c=$(bench version-clap "$RUNS_START" "$w" "$XEROCTL" --color never --version)
    h=$(bench help-full "$RUNS_START" "$w" "$XEROCTL" --help)
    START_ROWS=(
        "/bin/true|$t|-"
        "xeroctl --version (answered before clap)|$v|$(awk -v a="$v" -v b="$t" 'BEGIN { printf "%.3f", a - b }')"
        "xeroctl --color never --version (clap tree built)|$c|$(awk -v a="$c" -v b="$t" 'BEGIN { printf "%.3f", a - b }')"
        "xeroctl --help (clap tree built, rendered)|$h|$(awk -v a="$h" -v b="$t" 'BEGIN { printf "%.3f", a - b }')"
    )
}

network_markdown() {
    local row
    echo '<!-- network: written by scripts/bench.sh --network -->'
    echo '## Network and start-up'
    echo
    echo "- Date: $(date -u '+%Y-%m-%d %H:%M UTC')$([ "$MODE" = smoke ] && echo ' (smoke: NOT a real run)'); $PROFILE build; one run each, in the same run."
    echo "- Sandbox with $NET_N extra agents, \`--latency-ms $NET_LATENCY\` (added to every request: a round trip),"
    echo "  \`--bandwidth-kbps $NET_KBPS\` (response bodies paced after compression); compression on is the default,"
    echo "  off is \`--no-compression\`. Bytes are response body bytes the sandbox sent (\`GET …/sandbox/stats\`)."
    echo "- curl fetches the same page URLs with \`--compressed -K urls.txt\` in one process (one connection)."
    echo
    echo '| Client | Compression | Wall time | Bytes received | Requests |'
    echo '|---|---|---:|---:|---:|'
    for row in "${NET_ROWS[@]}"; do
        IFS='|' read -r a b c d e <<<"$row"
        echo "| $a | $b | $c ms | $d | $e |"
    done
    echo
    echo "Start-up, median wall time (paired with /bin/true in the same run; overhead = difference):"
    echo
    echo '| Command | Median | Overhead over /bin/true |'
    echo '|---|---:|---:|'
    for row in "${START_ROWS[@]}"; do
        IFS='|' read -r a b c <<<"$row"
        echo "| $a | $b ms | $c ms |"
    done
    echo '<!-- network: end -->'
}

# network_block FILE: the network block of an existing file, if any.
network_block() {
    [ -f "$1" ] || return 0
    awk '/^<!-- network: written/ { on = 1 } on { print } /^<!-- network: end -->/ { on = 0 }' "$1"
}

if [ "$MODE" = network ]; then
    network_figures
    startup_figures
    OUT=${OUT:-$ROOT/BENCHMARKS.md}
    BLOCK=$(network_markdown)
    printf '%s\n' "$BLOCK"
    if [ -f "$OUT" ]; then
        # Replace the old block, else put it before the history (or at the end).
        awk -v blockfile=<(printf '%s\n' "$BLOCK") '
            function emit() { while ((getline l < blockfile) > 0) print l; done = 1 }
            /^<!-- network: written/ { skip = 1; if (!done) emit(); next }
            skip && /^<!-- network: end -->/ { skip = 0; next }
            skip { next }
            /^<!-- history: kept by scripts\/bench.sh -->/ && !done { emit(); print "" }
            { print }
            END { if (!done) { print ""; emit() } }' "$OUT" >"$OUT.tmp"
        mv "$OUT.tmp" "$OUT"
    else
        printf '%s\n' "$BLOCK" >"$OUT"
    fi
    echo "wrote $OUT"
    exit 0
fi

# --- the figures -----------------------------------------------------------

use_sandbox "$N_MAIN"
log "(1) one request, --limit 20 ($N_MAIN agents)"
ONE_URL="$XEROCTL_BASE_URL/management/agents?limit=20"
ONE_X=$(bench one-xeroctl "$RUNS_ONE" 5 "$XEROCTL" agents -o json --limit 20)
ONE_C=$(bench one-curl "$RUNS_ONE" 5 curl -s -H "Authorization: Bearer $XEROCTL_API_KEY" "$ONE_URL")
ONE_R=$(ratio "$ONE_X" "$ONE_C")

log "(2) everything: --all -o json vs curl over one keep-alive connection"
URLS="$TMP/urls-$N_MAIN.txt"
page_urls "$URLS"
PAGES=$(wc -l <"$URLS")
ITEMS=$(check_counts "$URLS")
ALL_X=$(bench all-xeroctl "$RUNS_ALL" 3 "$XEROCTL" agents --all -o json)
ALL_C=$(bench all-curl "$RUNS_ALL" 3 curl -s -H "Authorization: Bearer $XEROCTL_API_KEY" -K "$URLS")
ALL_R=$(ratio "$ALL_X" "$ALL_C")

log "(3) peak RSS of --all -o json"
RSS_ROWS=()
RSS_FIRST= RSS_MID= RSS_LAST=
for n in $RSS_NS; do
    use_sandbox "$n"
    kb=$(peak_rss_kb "$XEROCTL" agents --all -o json)
    RSS_ROWS+=("$n:$kb")
done
# Flat = the two largest sizes (10k and 100k agents in a full run).
set -- $RSS_NS
while [ $# -gt 2 ]; do shift; done
RSS_MID_N=$1 RSS_LAST_N=$2
for row in "${RSS_ROWS[@]}"; do
    [ "${row%%:*}" = "$RSS_MID_N" ] && RSS_MID=${row#*:}
    [ "${row%%:*}" = "$RSS_LAST_N" ] && RSS_LAST=${row#*:}
done
RSS_GROWTH=n/a
if is_num "$RSS_MID" && is_num "$RSS_LAST" && [ "$RSS_MID" -gt 0 ]; then
    RSS_GROWTH=$(awk -v a="$RSS_MID" -v b="$RSS_LAST" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')
fi

log "(4) table rendering, --all ($N_TABLE agents, stdout to /dev/null)"
use_sandbox "$N_TABLE"
TABLE_X=$(bench table-xeroctl "$RUNS_TABLE" 1 "$XEROCTL" agents --all)
TABLE_RSS=$(peak_rss_kb "$XEROCTL" agents --all)

log "(5) start-up"
VERSION_X=$(bench version "$RUNS_START" 20 "$XEROCTL" --version)
HELP_X=$(bench help "$RUNS_START" 20 "$XEROCTL" --help)

if [ "$MODE" = smoke ]; then
    log "(7) network pass (smoke: $NET_N agents)"
    network_figures
    startup_figures
fi

log "(6) binary size"
SIZE=$(stat -c %s "$XEROCTL")
SIZE_MB=$(awk -v b="$SIZE" 'BEGIN { printf "%.2f", b / 1048576 }')
STRIPPED="stripped ($PROFILE profile)"
if command -v file >/dev/null 2>&1 && file "$XEROCTL" | grep -q 'not stripped'; then
    STRIPPED="NOT stripped ($PROFILE profile)"
fi

# --- report ----------------------------------------------------------------

CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
MEM=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
MACHINE="$(nproc) CPUs, ${CPU:-unknown CPU}, ${MEM:-? GiB} RAM, Linux $(uname -r)"
CURL_V=$(curl --version | head -n 1 | cut -d' ' -f1-2)
TIMER=${HAVE_HYPERFINE:+$(hyperfine --version)}
TIMER=${TIMER:-a bash timing loop}
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')

ROWS=(
    "1. one request: xeroctl agents -o json --limit 20|$ONE_X ms|curl $ONE_C ms|$ONE_R x|<= 1.2x|$(verdict "$ONE_R" 1.2)"
    "2. --all -o json ($ITEMS agents, $PAGES pages of $PAGE)|$ALL_X ms|curl floor $ALL_C ms|$ALL_R x|<= 1.5x|$(verdict "$ALL_R" 1.5)"
)
for row in "${RSS_ROWS[@]}"; do
    n=${row%%:*} kb=${row#*:}
    ROWS+=("3. peak RSS, --all -o json, $n agents|$(mb "$kb") MB||-|<= 30 MB|$(verdict "$kb" 30720)")
done
ROWS+=(
    "3. RSS growth $RSS_MID_N -> $RSS_LAST_N agents|$RSS_GROWTH %||-|flat (<= 10 %)|$(verdict "$RSS_GROWTH" 10)"
    "4. table: xeroctl agents --all ($N_TABLE agents)|$TABLE_X ms|peak RSS $(mb "$TABLE_RSS") MB|-|-|-"
    "5. xeroctl --version|$VERSION_X ms||-|<= 2 ms|$(verdict "$VERSION_X" 2)"
    "5. xeroctl --help|$HELP_X ms||-|-|-"
    "6. binary size, $STRIPPED|$SIZE_MB MB|$SIZE bytes|-|<= 8 MB|$(verdict "$SIZE" 8388608)"
)

print_table() {
    local row
    printf '%-52s  %12s  %22s  %7s  %14s  %s\n' figure value compared-with ratio target result
    for row in "${ROWS[@]}"; do
        IFS='|' read -r a b c d e f <<<"$row"
        printf '%-52s  %12s  %22s  %7s  %14s  %s\n' "$a" "$b" "$c" "$d" "$e" "$f"
    done
}

write_markdown() {
    local row
    cat <<EOF
# Benchmarks

xeroctl against curl on loopback, with the sandbox router (\`xeroctl-sandbox\`,
no faults). Generated by \`scripts/bench.sh\`$([ "$MODE" = smoke ] && echo ' --smoke (NOT a real run)'); re-run it to refresh this file.

- Date: $DATE
- Machine: $MACHINE
- Toolchain: $RUSTC, $PROFILE profile; $CURL_V; timed with $TIMER
- Times are medians of wall-clock time (one process each, stdout to /dev/null);
  ratios compare medians of the same run.

| Figure | Value | Compared with | Ratio | Target | Result |
|---|---:|---:|---:|---|---|
EOF
    for row in "${ROWS[@]}"; do
        IFS='|' read -r a b c d e f <<<"$row"
        echo "| $a | $b | $c | $d | $e | $f |"
    done
    cat <<EOF

How each figure is taken:

1. \`xeroctl agents -o json --limit 20\` against
   \`curl -s -H "Authorization: Bearer …" <the same URL>\`, $RUNS_ONE runs each, $N_MAIN agents seeded.
2. \`xeroctl agents --all -o json\` (pages of $PAGE, streamed, pretty-printed) against one
   \`curl -s -H … -K urls.txt\` process fetching the same $PAGES page URLs over one
   keep-alive connection (the URLs are found beforehand by walking the cursors once).
   curl writes the raw bytes; xeroctl also re-indents every item.
3. Peak RSS (\`/usr/bin/time -f %M\`, largest of $RSS_RUNS runs) of (2) at $RSS_NS agents.
   Pages are streamed and each item is written as it is read, so memory stays flat.
4. The table view must hold every row before printing, to align the columns, so
   its memory grows with the list (unlike JSON output); stdout to /dev/null.
5. Start-up: no network, no config file.
6. \`target/$([ "$PROFILE" = release ] && echo release || echo debug)/xeroctl\` as built (the release profile strips symbols).
EOF
}

echo
echo "xeroctl benchmark ($MODE): $MACHINE; $DATE"
[ "$MODE" = smoke ] && echo "smoke run: $PROFILE build, small N, few runs; targets are not judged"
print_table
if [ -z "$OUT" ]; then
    if [ "$MODE" = full ]; then OUT="$ROOT/BENCHMARKS.md"; else OUT="${TMPDIR:-/tmp}/xeroctl-bench-smoke.md"; fi
fi
# Anything below the history marker of an existing file is kept.
MARKER='<!-- history: kept by scripts/bench.sh -->'
HISTORY=
if [ -f "$OUT" ] && grep -qF "$MARKER" "$OUT"; then
    HISTORY=$(awk -v m="$MARKER" 'index($0, m) { on = 1 } on' "$OUT")
fi
NETWORK_BLOCK=$(network_block "$OUT")
[ "$MODE" = smoke ] && NETWORK_BLOCK=$(network_markdown)
{
    write_markdown
    if [ -n "$NETWORK_BLOCK" ]; then printf '\n%s\n' "$NETWORK_BLOCK"; fi
    if [ -n "$HISTORY" ]; then printf '\n%s\n' "$HISTORY"; fi
} >"$OUT"
echo
echo "wrote $OUT"
