# Sourced by scripts/bench.sh: --all -o json through a sandbox with added
# latency and a bandwidth limit, compression on and off, against curl
# --compressed on one connection; and start-up over /bin/true.
# shellcheck shell=bash

network_sizes() {
    PAGE=100
    if smoke; then
        NET_N=300 NET_LATENCY=5 NET_KBPS=20000 NET_RUNS_START=10
    else
        NET_N=100000 NET_LATENCY=50 NET_KBPS=20000 NET_RUNS_START=300
    fi
}

# net_run CMD…: "<wall ms>|<body bytes received>|<requests>" of one run of
# CMD against the current (paced) sandbox; the stats calls are excluded.
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

network_figures() {
    network_sizes
    local urls="$TMP/net-urls.txt" mode flags r ms bytes reqs
    # The page URLs, walked once on a sandbox without faults (same seed,
    # same ids), then pointed at each paced sandbox.
    use_sandbox "$NET_N"
    page_urls "$TMP/net-urls-plain.txt"
    local plain_base="$XEROCTL_BASE_URL"
    NET_ROWS=()
    for mode in on off; do
        flags=(--latency-ms "$NET_LATENCY" --bandwidth-kbps "$NET_KBPS")
        [ "$mode" = off ] && flags+=(--no-compression)
        use_sandbox "net-$mode" "$NET_N" "${flags[@]}"
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
    startup_figures
}

startup_figures() {
    local t v c h w=20
    smoke && w=1
    log "start-up, paired with /bin/true"
    t=$(bench true "$NET_RUNS_START" "$w" /bin/true)
    v=$(bench version-fast "$NET_RUNS_START" "$w" "$XEROCTL" --version)
    c=$(bench version-clap "$NET_RUNS_START" "$w" "$XEROCTL" --color never --version)
    h=$(bench help-full "$NET_RUNS_START" "$w" "$XEROCTL" --help)
    over() { awk -v a="$1" -v b="$t" 'BEGIN { printf "%.3f", a - b }'; }
    START_ROWS=(
        "/bin/true|$t|-"
        "xeroctl --version (answered before clap)|$v|$(over "$v")"
        "xeroctl --color never --version (clap tree built)|$c|$(over "$c")"
        "xeroctl --help (clap tree built, rendered)|$h|$(over "$h")"
    )
}

network_markdown() {
    cat <<EOF
<!-- network: written by scripts/bench.sh --network -->
## Network and start-up

- Date: $(now_utc)$(smoke_note); $PROFILE build; one run each, in the same run.
- Sandbox with $NET_N extra agents, \`--latency-ms $NET_LATENCY\` (added to every request: a round trip),
  \`--bandwidth-kbps $NET_KBPS\` (response bodies paced after compression); compression on is the default,
  off is \`--no-compression\`. Bytes are response body bytes the sandbox sent (\`GET …/sandbox/stats\`).
- curl fetches the same page URLs with \`--compressed -K urls.txt\` in one process (one connection).

| Client | Compression | Wall time | Bytes received | Requests |
|---|---|---:|---:|---:|
EOF
    md_rows '| %s | %s | %s ms | %s | %s |' "${NET_ROWS[@]}"
    cat <<EOF

Start-up, median wall time (paired with /bin/true in the same run; overhead = difference):

| Command | Median | Overhead over /bin/true |
|---|---:|---:|
EOF
    md_rows '| %s | %s ms | %s ms |' "${START_ROWS[@]}"
    echo '<!-- network: end -->'
}
