#!/usr/bin/env bash
# Tests the release packaging without a network or a release build:
#   - scripts/package-release.sh packs fake binaries for every release target;
#   - the cargo-binstall templates in Cargo.toml expand to those asset names
#     and to the binaries' paths inside them;
#   - packaging/homebrew/render.sh fills every placeholder with the right sums;
#   - scripts/install.sh, run with `sh` against a loopback `python3 -m http.server`,
#     installs on a good checksum and refuses (non-zero, nothing installed) on a
#     bad, malformed or missing one, or an incomplete archive.
# Needs bash, sh, python3 (3.11+ for tomllib), tar, zip or 7z, unzip, curl or wget.
# Takes a few seconds; .ci/run runs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/xeroctl-packaging.XXXXXX")"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

passed=0 failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [ $# -lt 2 ] || printf '%s\n' "$2" | sed 's/^/     | /'; }

V=1.2.3
TARGETS="x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-apple-darwin aarch64-apple-darwin x86_64-pc-windows-msvc"
srv="$tmp/srv"          # laid out like https://github.com/<owner>/<repo>/releases
rel="$srv/download/v$V"
mkdir -p "$tmp/bin" "$rel" "$srv/latest/download"

for bin in xeroctl xeroctl-sandbox; do
    printf '#!/bin/sh\necho "%s %s (fake)"\n' "$bin" "$V" >"$tmp/bin/$bin"
    chmod 755 "$tmp/bin/$bin"
    cp "$tmp/bin/$bin" "$tmp/bin/$bin.exe"
done

# --- package-release.sh ------------------------------------------------------
for t in $TARGETS; do
    if out=$(scripts/package-release.sh "v$V" "$t" "$tmp/bin" "$rel" 2>&1); then
        ext=tar.gz
        case "$t" in *windows*) ext=zip ;; esac
        asset="xeroctl-v$V-$t.$ext"
        if [ "$out" = "$rel/$asset" ] && [ -f "$rel/$asset" ] &&
            (cd "$rel" && sha256sum -c "$asset.sha256" >/dev/null 2>&1 || shasum -a 256 -c "$asset.sha256" >/dev/null 2>&1); then
            ok "package-release.sh $t -> $asset (+ .sha256 that verifies)"
        else
            fail "package-release.sh $t" "$out"
        fi
    else
        fail "package-release.sh $t" "$out"
    fi
done
echo "$V" >"$srv/latest/download/xeroctl-version.txt"

list_archive() {
    case "$1" in
        *.zip) unzip -Z1 "$1" ;;
        *) tar -tzf "$1" ;;
    esac
}
contents=$(list_archive "$rel/xeroctl-v$V-x86_64-unknown-linux-musl.tar.gz" | sed 's:/$::' | sort | tr '\n' ' ')
want="xeroctl-v$V-x86_64-unknown-linux-musl xeroctl-v$V-x86_64-unknown-linux-musl/CHANGELOG.md xeroctl-v$V-x86_64-unknown-linux-musl/LICENSE xeroctl-v$V-x86_64-unknown-linux-musl/README.md xeroctl-v$V-x86_64-unknown-linux-musl/xeroctl xeroctl-v$V-x86_64-unknown-linux-musl/xeroctl-sandbox "
if [ "$contents" = "$want" ]; then
    ok "archive layout: one directory with both binaries and the docs"
else
    fail "archive layout" "got:  $contents"$'\n'"want: $want"
fi

# --- cargo-binstall metadata ---------------------------------------------------
for t in $TARGETS; do
    exp=$(python3 - "$t" "$V" <<'EOF'
import sys, tomllib
target, version = sys.argv[1], sys.argv[2]
pkg = tomllib.load(open("Cargo.toml", "rb"))["package"]
meta = dict(pkg["metadata"]["binstall"])
meta.update(meta.pop("overrides", {}).get(target, {}))
windows = "windows" in target
def expand(tpl, **extra):
    values = {"repo": pkg["repository"], "name": pkg["name"], "version": version, "target": target,
              "binary-ext": ".exe" if windows else "", **extra}
    for k, v in values.items():
        tpl = tpl.replace("{ %s }" % k, v)
    assert "{" not in tpl, tpl
    return tpl
url = expand(meta["pkg-url"])
prefix = pkg["repository"] + "/releases/"
assert url.startswith(prefix), url
print(meta["pkg-fmt"], url[len(prefix):], expand(meta["bin-dir"], bin="xeroctl"))
EOF
    ) || { fail "binstall metadata for $t" "$exp"; continue; }
    read -r fmt path bin_path <<<"$exp"
    file="$srv/$path"
    case "$fmt:$file" in
        tgz:*.tar.gz | zip:*.zip) fmt_ok=1 ;;
        *) fmt_ok=0 ;;
    esac
    # (listings are captured first: `tar … | grep -q` fails under pipefail when grep exits early)
    listing=$(list_archive "$file" 2>&1 || true)
    if [ "$fmt_ok" = 1 ] && [ -f "$file" ] && grep -qxF "$bin_path" <<<"$listing"; then
        ok "binstall $t: releases/$path holds $bin_path ($fmt)"
    else
        fail "binstall $t" "pkg-fmt $fmt, releases/$path, bin $bin_path; archive: $(tr '\n' ' ' <<<"$listing")"
    fi
done

# --- Homebrew formula -----------------------------------------------------------
if formula=$(packaging/homebrew/render.sh "$V" "$rel" 2>&1); then
    sums_ok=1
    for t in aarch64-apple-darwin x86_64-apple-darwin aarch64-unknown-linux-musl x86_64-unknown-linux-musl; do
        sum=$(cut -d ' ' -f 1 <"$rel/xeroctl-v$V-$t.tar.gz.sha256")
        url="https://github.com/xerotier/xeroctl/releases/download/v$V/xeroctl-v$V-$t.tar.gz"
        # the url line, then its sha256 line
        pair=$(grep -A1 -F "url \"$url\"" <<<"$formula" || true)
        grep -qF "sha256 \"$sum\"" <<<"$pair" || sums_ok=0
    done
    if [ "$sums_ok" = 1 ] && ! grep -q '@[A-Za-z0-9_-]*@' <<<"$formula" && grep -q "version \"$V\"" <<<"$formula"; then
        ok "homebrew/render.sh fills version, URLs and the four checksums"
    else
        fail "homebrew/render.sh output" "$formula"
    fi
    if command -v ruby >/dev/null 2>&1; then
        printf '%s\n' "$formula" >"$tmp/xeroctl.rb"
        if out=$(ruby -c "$tmp/xeroctl.rb" 2>&1); then
            ok "rendered formula is valid Ruby"
        else
            fail "ruby -c xeroctl.rb" "$out"
        fi
    fi
else
    fail "homebrew/render.sh" "$formula"
fi
mkdir "$tmp/partial" && cp "$rel"/*apple-darwin.tar.gz.sha256 "$tmp/partial/"
if out=$(packaging/homebrew/render.sh "$V" "$tmp/partial" 2>&1); then
    fail "homebrew/render.sh refuses a missing checksum" "$out"
else
    ok "homebrew/render.sh refuses a missing checksum"
fi

# --- install.sh against a loopback server -------------------------------------------
# Detect the target the way install.sh does, to build the broken releases for it.
native=$(XEROCTL_INSTALL_BASE_URL=http://127.0.0.1:9/none sh scripts/install.sh --version 0 --dir "$tmp/probe" 2>&1 |
    sed -n 's/.*xeroctl-v0-\(.*\)\.tar\.gz.*/\1/p' | head -n 1) || true
if [ -z "$native" ]; then
    echo "test-packaging: install.sh has no release target for $(uname -sm); skipping the install tests"
else
    name="xeroctl-v$V-$native"
    bad() { mkdir -p "$srv/download/v$1"; cp "$rel/$name.tar.gz" "$srv/download/v$1/xeroctl-v$1-$native.tar.gz"; }
    # 6.6.6: the archive was changed after its checksum was taken
    bad 6.6.6
    cp "$rel/$name.tar.gz.sha256" "$srv/download/v6.6.6/xeroctl-v6.6.6-$native.tar.gz.sha256"
    printf 'x' >>"$srv/download/v6.6.6/xeroctl-v6.6.6-$native.tar.gz"
    # 7.7.7: a .sha256 that holds no checksum
    bad 7.7.7
    echo "<html>Not Found</html>" >"$srv/download/v7.7.7/xeroctl-v7.7.7-$native.tar.gz.sha256"
    # 8.8.8: no .sha256 at all
    bad 8.8.8
    # 9.9.9: a good checksum of an archive without the sandbox
    mkdir -p "$tmp/x/xeroctl-v9.9.9-$native" "$srv/download/v9.9.9"
    cp "$tmp/bin/xeroctl" "$tmp/x/xeroctl-v9.9.9-$native/"
    tar -C "$tmp/x" -czf "$srv/download/v9.9.9/xeroctl-v9.9.9-$native.tar.gz" "xeroctl-v9.9.9-$native"
    (cd "$srv/download/v9.9.9" && python3 -c 'import hashlib,sys; n=sys.argv[1]; print(hashlib.sha256(open(n,"rb").read()).hexdigest() + "  " + n)' \
        "xeroctl-v9.9.9-$native.tar.gz" >"xeroctl-v9.9.9-$native.tar.gz.sha256")

    python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$srv" >"$tmp/server.log" 2>&1 &
    server_pid=$!
    port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^Serving HTTP on .* port \([0-9]*\).*/\1/p' "$tmp/server.log")
        [ -n "$port" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$tmp/server.log" >&2; echo "test-packaging: the file server did not start" >&2; exit 1; }
    export XEROCTL_INSTALL_BASE_URL="http://127.0.0.1:$port"
    unset XEROCTL_VERSION XEROCTL_INSTALL_DIR XEROCTL_INSTALL_TARGET

    install() { sh scripts/install.sh "$@" >"$tmp/out" 2>&1; }
    count() { find "$1" -mindepth 1 -maxdepth 1 | wc -l | tr -d ' '; }

    # good: the latest version, found through xeroctl-version.txt, by environment
    if XEROCTL_INSTALL_DIR="$tmp/good" install && [ -x "$tmp/good/xeroctl" ] && [ -x "$tmp/good/xeroctl-sandbox" ] &&
        [ "$("$tmp/good/xeroctl")" = "xeroctl $V (fake)" ] && [ "$("$tmp/good/xeroctl-sandbox")" = "xeroctl-sandbox $V (fake)" ] &&
        grep -q "SHA-256 verified" "$tmp/out" && [ "$(count "$tmp/good")" -eq 2 ]; then
        ok "install.sh: good checksum installs the latest ($V, $native) into XEROCTL_INSTALL_DIR"
    else
        fail "install.sh: good checksum" "$(cat "$tmp/out"; ls -la "$tmp/good" 2>&1)"
    fi
    # good again: flags, a v-prefixed version, over an existing install
    if install --version "v$V" --dir "$tmp/good" && [ "$("$tmp/good/xeroctl")" = "xeroctl $V (fake)" ] &&
        [ "$(count "$tmp/good")" -eq 2 ]; then
        ok "install.sh: --version v$V --dir over an existing install"
    else
        fail "install.sh: --version/--dir reinstall" "$(cat "$tmp/out")"
    fi

    refuses() { # <label> <version> <expected message>
        mkdir -p "$tmp/keep"
        printf 'old\n' >"$tmp/keep/xeroctl"
        if install --version "$2" --dir "$tmp/keep"; then
            fail "install.sh refuses $1: it exited 0" "$(cat "$tmp/out")"
        elif ! grep -q "$3" "$tmp/out"; then
            fail "install.sh refuses $1: no '$3' in its message" "$(cat "$tmp/out")"
        elif [ "$(cat "$tmp/keep/xeroctl")" != old ] || [ "$(ls -A "$tmp/keep")" != xeroctl ]; then
            fail "install.sh refuses $1: but it changed the install dir" "$(ls -la "$tmp/keep")"
        else
            ok "install.sh refuses $1 (exit non-zero, '$3', install dir untouched)"
        fi
        if install --version "$2" --dir "$tmp/fresh-$2" || [ -e "$tmp/fresh-$2" ]; then
            fail "install.sh refuses $1: created or filled a fresh install dir" "$(cat "$tmp/out")"
        fi
    }
    refuses "a bad checksum" 6.6.6 "checksum mismatch for xeroctl-v6.6.6-$native.tar.gz: expected [0-9a-f]\{64\}, got [0-9a-f]\{64\}; nothing was installed"
    refuses "a .sha256 with no checksum" 7.7.7 "holds no SHA-256 checksum; refusing to install"
    refuses "a missing .sha256" 8.8.8 "refusing to install without a checksum"
    refuses "an archive without xeroctl-sandbox" 9.9.9 "has no xeroctl-v9.9.9-$native/xeroctl-sandbox; nothing was installed"
    refuses "an unknown version" 0.0.0 "download failed"
fi

printf '\npackaging: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
