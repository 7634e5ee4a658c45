# Sourced by scripts/bench.sh: the loopback figures (one request, --all
# against the keep-alive floor, flat memory, tables, start-up, binary size).
# shellcheck shell=bash

loopback_sizes() {
    if smoke; then
        LB_N=2000 LB_TABLE_N=2000 LB_RSS_NS="200 2000"
        LB_RUNS_ONE=5 LB_RUNS_ALL=2 LB_RUNS_TABLE=2 LB_RUNS_START=10 RSS_RUNS=1
    else
        LB_N=100000 LB_TABLE_N=10000 LB_RSS_NS="1000 10000 100000"
        LB_RUNS_ONE=60 LB_RUNS_ALL=20 LB_RUNS_TABLE=10 LB_RUNS_START=300 RSS_RUNS=3
    fi
    PAGE=100
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
        [ -n "$after" ] || die "no last_id in a page"
    done
}

# curl_items URLS: the agents in the pages of that curl config.
curl_items() {
    curl -s -H "Authorization: Bearer $XEROCTL_API_KEY" -K "$1" | grep -o '"object":"agent"' | wc -l
}

# check_counts URLS: items in xeroctl's --all JSON and in curl's pages must agree.
check_counts() {
    local want got
    want=$(curl_items "$1")
    got=$("$XEROCTL" agents --all -o json | grep -c '^ *"object": "agent",$' || true)
    [ "$want" = "$got" ] || die "xeroctl --all printed $got agents, curl fetched $want"
    echo "$got"
}

loopback_figures() {
    loopback_sizes
    use_plain "$LB_N"
    log "(1) one request, --limit 20 ($LB_N agents)"
    local one_url="$XEROCTL_BASE_URL/management/agents?limit=20"
    LB_ONE_X=$(bench one-xeroctl "$LB_RUNS_ONE" 5 "$XEROCTL" agents -o json --limit 20)
    LB_ONE_C=$(bench one-curl "$LB_RUNS_ONE" 5 curl -s -H "Authorization: Bearer $XEROCTL_API_KEY" "$one_url")
    LB_ONE_R=$(ratio "$LB_ONE_X" "$LB_ONE_C")

    log "(2) everything: --all -o json vs curl over one keep-alive connection (interleaved)"
    local urls="$TMP/urls-$LB_N.txt"
    page_urls "$urls"
    LB_PAGES=$(wc -l <"$urls")
    LB_ITEMS=$(check_counts "$urls")
    local r
    r=$(pair all "$LB_RUNS_ALL" 2 \
        "$(printf '%q ' "$XEROCTL" agents --all -o json)" \
        "$(printf '%q ' curl -s -H "Authorization: Bearer $XEROCTL_API_KEY" -K "$urls")")
    IFS='|' read -r LB_ALL_X LB_ALL_C LB_ALL_R <<<"$r"

    log "(3) peak RSS of --all -o json"
    local n
    LB_RSS_ROWS=()
    for n in $LB_RSS_NS; do
        use_plain "$n"
        LB_RSS_ROWS+=("$n:$(peak_rss_kb "$XEROCTL" agents --all -o json)")
    done
    # Flat = the two largest sizes (10k and 100k agents in a full run).
    local row sizes
    read -r -a sizes <<<"$LB_RSS_NS"
    LB_RSS_MID_N=${sizes[-2]} LB_RSS_LAST_N=${sizes[-1]}
    for row in "${LB_RSS_ROWS[@]}"; do
        [ "${row%%:*}" = "$LB_RSS_MID_N" ] && LB_RSS_MID=${row#*:}
        [ "${row%%:*}" = "$LB_RSS_LAST_N" ] && LB_RSS_LAST=${row#*:}
    done
    LB_RSS_GROWTH=$(growth "$LB_RSS_MID" "$LB_RSS_LAST")

    log "(4) table rendering, --all ($LB_TABLE_N agents, stdout to /dev/null)"
    use_plain "$LB_TABLE_N"
    LB_TABLE_X=$(bench table-xeroctl "$LB_RUNS_TABLE" 1 "$XEROCTL" agents --all)
    LB_TABLE_RSS=$(peak_rss_kb "$XEROCTL" agents --all)

    log "(5) start-up"
    local w=20
    smoke && w=1
    LB_VERSION_X=$(bench version "$LB_RUNS_START" "$w" "$XEROCTL" --version)
    LB_HELP_X=$(bench help "$LB_RUNS_START" "$w" "$XEROCTL" --help)

    log "(6) binary size"
    LB_SIZE=$(stat -c %s "$XEROCTL")
    LB_SIZE_MB=$(awk -v b="$LB_SIZE" 'BEGIN { printf "%.2f", b / 1048576 }')
    LB_STRIPPED="stripped ($PROFILE profile)"
    if command -v file >/dev/null 2>&1 && file "$XEROCTL" | grep -q 'not stripped'; then
        LB_STRIPPED="NOT stripped ($PROFILE profile)"
    fi
}

# loopback_rows: LB_ROWS, the table (after loopback_figures).
loopback_rows() {
    local row n kb
    LB_ROWS=(
        "1. one request: xeroctl agents -o json --limit 20|$LB_ONE_X ms|curl $LB_ONE_C ms|$LB_ONE_R x|<= 1.2x|$(verdict "$LB_ONE_R" 1.2)"
        "2. --all -o json ($LB_ITEMS agents, $LB_PAGES pages of $PAGE)|$LB_ALL_X ms|curl floor $LB_ALL_C ms|$LB_ALL_R x|<= 1.2x|$(verdict "$LB_ALL_R" 1.2)"
    )
    for row in "${LB_RSS_ROWS[@]}"; do
        n=${row%%:*} kb=${row#*:}
        LB_ROWS+=("3. peak RSS, --all -o json, $n agents|$(mb "$kb") MB||-|<= 30 MB|$(verdict "$kb" 30720)")
    done
    LB_ROWS+=(
        "3. RSS growth $LB_RSS_MID_N -> $LB_RSS_LAST_N agents|$LB_RSS_GROWTH %||-|flat (<= 10 %)|$(verdict "$LB_RSS_GROWTH" 10)"
        "4. table: xeroctl agents --all ($LB_TABLE_N agents)|$LB_TABLE_X ms|peak RSS $(mb "$LB_TABLE_RSS") MB|-|-|-"
        "5. xeroctl --version|$LB_VERSION_X ms||-|<= 2 ms|$(verdict "$LB_VERSION_X" 2)"
        "5. xeroctl --help|$LB_HELP_X ms||-|-|-"
        "6. binary size, $LB_STRIPPED|$LB_SIZE_MB MB|$LB_SIZE bytes|-|<= 8 MB|$(verdict "$LB_SIZE" 8388608)"
    )
}

loopback_markdown() {
    local machine curl_v timer
    machine="$(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null) RAM, Linux $(uname -r)"
    curl_v=$(curl --version | head -n 1 | cut -d' ' -f1-2)
    timer=${HAVE_HYPERFINE:+$(hyperfine --version)}
    cat <<EOF
<!-- loopback: written by scripts/bench.sh (full run) -->
## Loopback

xeroctl against curl on loopback, no faults, \`--no-compression\` (both clients get the same raw
bytes; compressing on loopback only costs the shared CPUs).

- Date: $(now_utc)$(smoke_note)
- Machine: $machine
- Toolchain: $RUSTC, $PROFILE profile; $curl_v; timed with ${timer:-a bash timing loop} (1, 4, 5)
  and interleaved pairs (2)

| Figure | Value | Compared with | Ratio | Target | Result |
|---|---:|---:|---:|---|---|
EOF
    md_rows '| %s | %s | %s | %s | %s | %s |' "${LB_ROWS[@]}"
    cat <<EOF

How each figure is taken (times are medians of wall-clock time, one process each,
stdout to /dev/null):

1. \`xeroctl agents -o json --limit 20\` against
   \`curl -s -H "Authorization: Bearer …" <the same URL>\`, $LB_RUNS_ONE runs each, $LB_N agents seeded.
2. \`xeroctl agents --all -o json\` (pages of $PAGE, streamed, pretty-printed) against one
   \`curl -s -H … -K urls.txt\` process fetching the same $LB_PAGES page URLs over one
   keep-alive connection (the URLs are found beforehand by walking the cursors once).
   curl writes the raw bytes; xeroctl also re-indents every item. $LB_RUNS_ALL pairs run
   in turn (xeroctl, curl, xeroctl, …); the ratio is the median of the pairs' ratios.
3. Peak RSS (\`/usr/bin/time -f %M\`, largest of $RSS_RUNS runs) of (2) at $LB_RSS_NS agents.
   Pages are streamed and each item is written as it is read, so memory stays flat.
4. The table is printed page by page (column widths seen so far as lower bounds).
5. Start-up: no network, no config file (see the network block for the overhead over /bin/true).
6. \`target/$([ "$PROFILE" = release ] && echo release || echo debug)/xeroctl\` as built (the release profile strips symbols).
<!-- loopback: end -->
EOF
}
