#!/bin/sh
# Install xeroctl and the xeroctl-sandbox router from a GitHub release,
# after checking the archive's SHA-256 against the .sha256 file published
# beside it. Refuses (exit 1, nothing installed) on a mismatch.
#
#   curl -fsSL https://github.com/xerotier/xeroctl/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --version 0.2.0 --dir /usr/local/bin
#
# Options (or environment variables):
#   --version V   XEROCTL_VERSION           release to install, e.g. 0.2.0 (default: the latest)
#   --dir DIR     XEROCTL_INSTALL_DIR       where to put the binaries (default: ~/.local/bin)
#   --target T    XEROCTL_INSTALL_TARGET    release target triple (default: detected)
#                 XEROCTL_INSTALL_BASE_URL  releases URL (default: https://github.com/xerotier/xeroctl/releases);
#                                           assets are fetched from BASE/download/vV/ASSET and the
#                                           latest version from BASE/latest/download/xeroctl-version.txt
#
# Needs: curl or wget, tar, and sha256sum or shasum. POSIX sh.
set -eu

XEROCTL_REPO_URL="https://github.com/xerotier/xeroctl"

err() {
    printf 'xeroctl install: error: %s\n' "$*" >&2
    exit 1
}
say() { printf 'xeroctl install: %s\n' "$*" >&2; }

version="${XEROCTL_VERSION:-}"
dir="${XEROCTL_INSTALL_DIR:-}"
target="${XEROCTL_INSTALL_TARGET:-}"
base="${XEROCTL_INSTALL_BASE_URL:-$XEROCTL_REPO_URL/releases}"
base="${base%/}"

while [ $# -gt 0 ]; do
    case "$1" in
        --version) [ $# -ge 2 ] || err "--version needs a value"; version="$2"; shift ;;
        --version=*) version="${1#*=}" ;;
        --dir | --to) [ $# -ge 2 ] || err "$1 needs a value"; dir="$2"; shift ;;
        --dir=* | --to=*) dir="${1#*=}" ;;
        --target) [ $# -ge 2 ] || err "--target needs a value"; target="$2"; shift ;;
        --target=*) target="${1#*=}" ;;
        -h | --help)
            sed -n '2,/^set -eu/p' "$0" 2>/dev/null | sed -e '$d' -e 's/^# \{0,1\}//' ||
                printf 'see %s\n' "$XEROCTL_REPO_URL/blob/main/scripts/install.sh"
            exit 0
            ;;
        *) err "unknown option '$1' (try --help)" ;;
    esac
    shift
done

if [ -z "$dir" ]; then
    [ -n "${HOME:-}" ] || err "HOME is not set: pass --dir or set XEROCTL_INSTALL_DIR"
    dir="$HOME/.local/bin"
fi

# --- what to download -------------------------------------------------------

detect_target() {
    os=$(uname -s)
    arch=$(uname -m)
    case "$os" in
        Linux) os_part=unknown-linux-musl ;;
        Darwin)
            os_part=apple-darwin
            # An x86_64 shell under Rosetta on Apple silicon: install the native build.
            if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then
                arch=arm64
            fi
            ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT)
            err "on Windows, download xeroctl-v<version>-x86_64-pc-windows-msvc.zip and its .sha256 from $XEROCTL_REPO_URL/releases (or use cargo binstall xeroctl)"
            ;;
        *) err "no release build for $os; install from source: cargo install --locked --git $XEROCTL_REPO_URL xeroctl" ;;
    esac
    case "$arch" in
        x86_64 | amd64) arch_part=x86_64 ;;
        aarch64 | arm64) arch_part=aarch64 ;;
        *) err "no release build for $os on $arch; install from source: cargo install --locked --git $XEROCTL_REPO_URL xeroctl" ;;
    esac
    printf '%s-%s\n' "$arch_part" "$os_part"
}

if command -v curl >/dev/null 2>&1; then
    fetch() { curl --proto '=https,http' -fsSL --retry 3 -o "$2" "$1"; }
elif command -v wget >/dev/null 2>&1; then
    fetch() { wget -q -O "$2" "$1"; }
else
    err "need curl or wget to download"
fi

if command -v sha256sum >/dev/null 2>&1; then
    sha256() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
    sha256() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
    err "need sha256sum or shasum to verify the download; refusing to install unverified binaries"
fi
command -v tar >/dev/null 2>&1 || err "need tar to unpack the archive"

[ -n "$target" ] || target=$(detect_target)

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t xeroctl-install)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "$version" ]; then
    fetch "$base/latest/download/xeroctl-version.txt" "$tmp/version" ||
        err "cannot find the latest version at $base/latest/download/xeroctl-version.txt (pass --version)"
    version=$(tr -d ' \t\r\n' <"$tmp/version")
fi
version="${version#v}"
case "$version" in
    '' | *[!0-9A-Za-z.+-]*) err "not a version: '$version'" ;;
esac

name="xeroctl-v$version-$target"
asset="$name.tar.gz"
url="$base/download/v$version/$asset"

# --- download and verify ----------------------------------------------------

say "downloading $url"
fetch "$url" "$tmp/$asset" || err "download failed: $url"
fetch "$url.sha256" "$tmp/$asset.sha256" || err "download failed: $url.sha256 (refusing to install without a checksum)"

expected=$(awk 'NR == 1 { print $1 }' "$tmp/$asset.sha256" | tr 'A-F' 'a-f')
case "$expected" in
    *[!0-9a-f]*) expected= ;;
esac
[ ${#expected} -eq 64 ] || err "$asset.sha256 holds no SHA-256 checksum; refusing to install"
actual=$(sha256 "$tmp/$asset" | tr 'A-F' 'a-f')
if [ "$actual" != "$expected" ]; then
    err "checksum mismatch for $asset: expected $expected, got $actual; nothing was installed"
fi
say "SHA-256 verified: $actual"

mkdir "$tmp/x"
tar -xzf "$tmp/$asset" -C "$tmp/x" || err "cannot unpack $asset"
for bin in xeroctl xeroctl-sandbox; do
    [ -f "$tmp/x/$name/$bin" ] || err "$asset has no $name/$bin; nothing was installed"
done

# --- install ----------------------------------------------------------------

mkdir -p "$dir" || err "cannot create $dir"
# Stage both beside their destination, then rename: no half-written binary,
# and no xeroctl without its sandbox if the directory is not writable.
staged=
for bin in xeroctl xeroctl-sandbox; do
    if ! cp "$tmp/x/$name/$bin" "$dir/.$bin.tmp.$$" || ! chmod 755 "$dir/.$bin.tmp.$$"; then
        rm -f "$dir/.xeroctl.tmp.$$" "$dir/.xeroctl-sandbox.tmp.$$"
        err "cannot write to $dir; nothing was installed"
    fi
    staged="$staged $bin"
done
for bin in $staged; do
    mv -f "$dir/.$bin.tmp.$$" "$dir/$bin" || err "cannot write $dir/$bin"
done
say "installed xeroctl and xeroctl-sandbox $version ($target) into $dir"

case ":${PATH:-}:" in
    *":$dir:"*) ;;
    *) say "note: $dir is not on your PATH; add it, e.g. export PATH=\"$dir:\$PATH\"" ;;
esac
say "try it with no account:  xeroctl-sandbox --write-context &  then  xeroctl --context sandbox agents"
