# Sourced by scripts/bench.sh: the stream soak (issue 18). `exec stream`
# receives numbered events from a sandbox run with --soak-events, which drops
# the connection in the middle of an event every K events and answers 503
# once every M; every event must arrive exactly once, in order, and the
# client's memory must stay flat.
# shellcheck shell=bash

soak_sizes() {
    if smoke; then
        SOAK_N=300 SOAK_DROP=100 SOAK_503=200 SOAK_LIMIT_S=60
    else
        SOAK_N=100000 SOAK_DROP=1000 SOAK_503=5000 SOAK_LIMIT_S=1800
    fi
}

# rss_of PID: "<VmRSS kB> <VmHWM kB>" of a running process, or nothing
# (without /proc, as on macOS: the RSS from ps, and no peak).
rss_of() {
    if [ -r "/proc/$1/status" ]; then
        awk '/^VmRSS:/ { r = $2 } /^VmHWM:/ { h = $2 } END { if (r != "") print r, h }' \
            "/proc/$1/status" 2>/dev/null || true
    else
        ps -o rss= -p "$1" 2>/dev/null | awk 'NF { print $1, "n/a" }' || true
    fi
}

soak_figures() {
    soak_sizes
    use_sandbox soak 0 --soak-events "$SOAK_N" --soak-drop-every "$SOAK_DROP" \
        --soak-503-every "$SOAK_503"
    local out="$TMP/soak.out" samples="$TMP/soak.samples" pid t0 lines rss
    log "soak: exec stream, $SOAK_N events, a drop every $SOAK_DROP, a 503 every $SOAK_503"
    # Both exist before the client starts: its own redirection happens in
    # the background, maybe after the first sample reads them.
    : >"$samples"
    : >"$out"
    t0=$EPOCHREALTIME
    "$XEROCTL" exec stream -o json --max-events "$SOAK_N" >"$out" 2>"$TMP/soak.err" &
    pid=$!
    # Sample the running client: events printed so far, VmRSS, VmHWM.
    while kill -0 "$pid" 2>/dev/null; do
        rss=$(rss_of "$pid")
        lines=$(($(wc -l <"$out")))
        [ -n "$rss" ] && echo "$lines $rss" >>"$samples"
        if awk -v a="$t0" -v b="$EPOCHREALTIME" -v l="$SOAK_LIMIT_S" 'BEGIN { exit !(b - a > l) }'; then
            log "soak: still running after $SOAK_LIMIT_S s; stopping it"
            kill "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    SOAK_EXIT=0
    wait "$pid" || SOAK_EXIT=$?
    SOAK_WALL_S=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
    SOAK_RECONNECTS=$(grep -c 'reconnecting in' "$TMP/soak.err" || true)
    SOAK_CONNS=$(stat_of soak_connections) SOAK_DROPS=$(stat_of soak_drops)
    SOAK_503S=$(stat_of soak_503s)

    # Event numbers as printed (the last 12 digits of each execution id).
    read -r SOAK_GOT SOAK_LOST SOAK_DUPS SOAK_DISORDER < <(
        sed -n 's/^{"id":"00000000-0000-4000-8000-\([0-9]\{12\}\)".*/\1/p' "$out" |
            awk -v n="$SOAK_N" '
                { v = $1 + 0; got++
                  if (v in seen) { dups++; next }
                  seen[v] = 1; uniq++
                  if (v < last) disorder++
                  last = v }
                END { printf "%d %d %d %d\n", got, n - uniq, dups, disorder }')
    [ "$(($(wc -l <"$out")))" = "$SOAK_GOT" ] || die "soak: exec stream printed lines that are not soak events"

    # Near the start: the first sample past 1 % of the events; the end: the last.
    SOAK_START_AT= SOAK_START_RSS= SOAK_END_AT= SOAK_END_RSS= SOAK_END_HWM=
    read -r SOAK_START_AT SOAK_START_RSS _ < <(awk -v n="$SOAK_N" '$1 >= n / 100 { print; exit }' "$samples") || true
    read -r SOAK_END_AT SOAK_END_RSS SOAK_END_HWM < <(tail -n 1 "$samples") || true
    SOAK_SAMPLES=$(($(wc -l <"$samples")))
    SOAK_GROWTH=$(growth "${SOAK_START_RSS:-}" "${SOAK_END_RSS:-}")
}

# zero VALUE: PASS for 0 (a smoke run judges nothing).
zero() { if smoke; then echo n/a; elif [ "$1" = 0 ]; then echo PASS; else echo MISS; fi; }

soak_rows() {
    SOAK_ROWS=(
        "events received (printed by xeroctl)|$SOAK_GOT|of $SOAK_N sent|-"
        "events lost|$SOAK_LOST|0|$(zero "$SOAK_LOST")"
        "events duplicated|$SOAK_DUPS|0|$(zero "$SOAK_DUPS")"
        "events out of order|$SOAK_DISORDER|0|$(zero "$SOAK_DISORDER")"
        "xeroctl exit code|$SOAK_EXIT|0 (stops at --max-events)|$(zero "$SOAK_EXIT")"
        "connections / drops mid-event / 503s (sandbox)|$SOAK_CONNS / $SOAK_DROPS / $SOAK_503S|-|-"
        "reconnects reported by xeroctl (a 503 is retried inside the reconnect)|$SOAK_RECONNECTS|-|-"
        "VmRSS near the start (after ${SOAK_START_AT:-?} events)|$(mb "${SOAK_START_RSS:-}") MB|-|-"
        "VmRSS at the end (after ${SOAK_END_AT:-?} events)|$(mb "${SOAK_END_RSS:-}") MB|flat (<= 10 % above the start)|$(verdict "$SOAK_GROWTH" 10)"
        "VmHWM (peak RSS) at the end|$(mb "${SOAK_END_HWM:-}") MB|-|-"
        "wall time|$SOAK_WALL_S s|-|-"
    )
}

soak_markdown() {
    cat <<EOF
<!-- soak: written by scripts/bench.sh --soak -->
## Stream soak

- Date: $(now_utc)$(smoke_note); $PROFILE build; not part of CI's tests (the smoke run does a tiny one).
- \`xeroctl-sandbox --soak-events $SOAK_N --soak-drop-every $SOAK_DROP --soak-503-every $SOAK_503\`:
  \`GET /exec/executions/stream\` sends events numbered 1..$SOAK_N (\`id: n\`, an execution whose id
  ends in n, \`retry: 500\`), cuts the connection in the middle of the next event after every
  $SOAK_DROP (its \`id:\` line already sent), answers 503 to the first reconnect after every
  $SOAK_503, and resumes after the \`Last-Event-ID\` the client sends.
- Client: \`xeroctl exec stream -o json --max-events $SOAK_N\`, stdout to a file; its
  \`/proc/<pid>/status\` sampled every 0.2 s ($SOAK_SAMPLES samples). Lost = numbers never
  printed, duplicated = printed twice, out of order = printed below one printed before.

| Figure | Value | Target | Result |
|---|---:|---|---|
EOF
    md_rows '| %s | %s | %s | %s |' "${SOAK_ROWS[@]}"
    echo '<!-- soak: end -->'
}
