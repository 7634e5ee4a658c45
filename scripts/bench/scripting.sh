# Sourced by scripts/bench.sh: the scripting figures (issue 14). --jq over
# --all against `-o json | jq` in the same run, and the peak RSS of --jq and
# of the streamed formats (-o name, --no-headers, --columns) as N grows.
# shellcheck shell=bash

scripting_sizes() {
    if smoke; then
        SC_SMALL=200 SC_LARGE=2000 SC_RUNS=2 RSS_RUNS=1
    else
        SC_SMALL=10000 SC_LARGE=100000 SC_RUNS=10 RSS_RUNS=3
    fi
}

# The streamed formats whose memory must stay flat, and --jq (which holds
# the merged document, so it may grow).
SC_FLAT_FORMATS=(
    "-o json"
    "-o name"
    "--no-headers"
    "--columns id,name,status"
)

scripting_figures() {
    scripting_sizes
    local jq_expr='.data | length' own piped want seeded
    # The demo data a sandbox holds besides the generated agents.
    use_plain 0
    seeded=$(curl -s -H "Authorization: Bearer $XEROCTL_API_KEY" \
        "$XEROCTL_BASE_URL/management/agents?limit=100" | grep -o '"object":"agent"' | wc -l)
    want=$((SC_LARGE + seeded))

    use_plain "$SC_LARGE"
    log "scripting: --jq '$jq_expr' vs -o json | jq ($SC_LARGE agents)"
    own=$("$XEROCTL" agents --all --jq "$jq_expr")
    piped=$("$XEROCTL" agents --all -o json | jq "$jq_expr")
    [ "$own" = "$piped" ] || die "--jq printed '$own', -o json | jq printed '$piped'"
    [ "$own" = "$want" ] || die "--jq counted $own agents, want $want ($SC_LARGE + $seeded seeded)"
    SC_COUNT=$own SC_SEEDED=$seeded
    local r
    r=$(pair jq "$SC_RUNS" 1 \
        "$(printf '%q ' "$XEROCTL" agents --all --jq "$jq_expr")" \
        "$(printf '%q ' "$XEROCTL" agents --all -o json) | $(printf '%q ' jq "$jq_expr")")
    IFS='|' read -r SC_JQ_OWN SC_JQ_PIPED SC_JQ_RATIO <<<"$r"

    log "scripting: peak RSS at $SC_SMALL and $SC_LARGE agents"
    local n fmt
    declare -gA SC_RSS=()
    for n in "$SC_SMALL" "$SC_LARGE"; do
        use_plain "$n"
        SC_RSS["--jq|$n"]=$(peak_rss_kb "$XEROCTL" agents --all --jq "$jq_expr")
        for fmt in "${SC_FLAT_FORMATS[@]}"; do
            # shellcheck disable=SC2086
            SC_RSS["$fmt|$n"]=$(peak_rss_kb "$XEROCTL" agents --all $fmt)
        done
    done
}

scripting_rows() {
    local fmt small large g per
    small=${SC_RSS["--jq|$SC_SMALL"]} large=${SC_RSS["--jq|$SC_LARGE"]}
    # Growth of --jq per 10,000 items, from the two sizes.
    per=$(awk -v a="$small" -v b="$large" -v m="$SC_SMALL" -v n="$SC_LARGE" \
        'BEGIN { printf "%.2f", (b - a) / 1024 / ((n - m) / 10000) }')
    SC_ROWS=(
        "agents --all --jq '.data {pipe} length' ($SC_COUNT agents)|$SC_JQ_OWN ms|-o json {pipe} jq: $SC_JQ_PIPED ms|$SC_JQ_RATIO x|<= 1.5x|$(verdict "$SC_JQ_RATIO" 1.5)"
        "peak RSS, --all --jq, $SC_SMALL -> $SC_LARGE agents|$(mb "$small") -> $(mb "$large") MB|$per MB per 10k items|-|reported|-"
    )
    for fmt in "${SC_FLAT_FORMATS[@]}"; do
        small=${SC_RSS["$fmt|$SC_SMALL"]} large=${SC_RSS["$fmt|$SC_LARGE"]}
        g=$(growth "$small" "$large")
        SC_ROWS+=("peak RSS, agents --all $fmt, $SC_SMALL -> $SC_LARGE agents|$(mb "$small") -> $(mb "$large") MB|$g %|-|flat (<= 10 %)|$(verdict "$g" 10)")
    done
}

scripting_markdown() {
    cat <<EOF
<!-- scripting: written by scripts/bench.sh --scripting (and the full run) -->
## Scripting

- Date: $(now_utc)$(smoke_note); $PROFILE build; loopback sandbox, no faults, \`--no-compression\`; stdout to /dev/null.
- Both \`--jq\` and \`-o json | jq\` printed $SC_COUNT ($((SC_COUNT - SC_SEEDED)) generated + $SC_SEEDED seeded agents), checked before timing.
- Times: $SC_RUNS interleaved pairs (\`--jq\`, then the pipe, then \`--jq\` …); medians, and the
  median of the pairs' ratios. Peak RSS: \`/usr/bin/time -f %M\` of xeroctl alone, largest of $RSS_RUNS runs.

| Figure | Value | Compared with | Ratio | Target | Result |
|---|---:|---:|---:|---|---|
EOF
    md_rows '| %s | %s | %s | %s | %s | %s |' "${SC_ROWS[@]}"
    cat <<'EOF'

`--jq` runs on the document `-o json` would print, so with `--all` it holds the merged
envelope (every item, parsed) before the filter runs: its memory grows with N, by the
figure above per 10,000 agents. The other formats write each page as it arrives.
<!-- scripting: end -->
EOF
}
