#!/usr/bin/env bash
# Pack one release asset the way every install path expects it (release.yml,
# scripts/install.sh, the cargo-binstall metadata in Cargo.toml, the Homebrew
# formula):
#
#   scripts/package-release.sh <version> <target> <bin-dir> <out-dir>
#
#   <out-dir>/xeroctl-v<version>-<target>.tar.gz       (.zip for Windows targets)
#   <out-dir>/xeroctl-v<version>-<target>.tar.gz.sha256 ("<sha256>  <asset>")
#
# The archive holds one directory, xeroctl-v<version>-<target>/, with xeroctl,
# xeroctl-sandbox (.exe on Windows), README.md, LICENSE and CHANGELOG.md.
set -euo pipefail

if [ $# -ne 4 ]; then
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
fi
version="${1#v}" target="$2" bin_dir="$3" out="$4"
root="$(cd "$(dirname "$0")/.." && pwd)"

case "$target" in
    *windows*) exe=.exe ext=zip ;;
    *) exe='' ext=tar.gz ;;
esac
name="xeroctl-v$version-$target"
asset="$name.$ext"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
stage="$out/$name"
rm -rf "${stage:?}" "${out:?}/$asset" "$out/$asset.sha256"
mkdir "$stage"
for bin in xeroctl xeroctl-sandbox; do
    [ -f "$bin_dir/$bin$exe" ] || { echo "package-release: no $bin_dir/$bin$exe" >&2; exit 1; }
    cp "$bin_dir/$bin$exe" "$stage/"
    chmod 755 "$stage/$bin$exe"
done
cp "$root/README.md" "$root/LICENSE" "$root/CHANGELOG.md" "$stage/"

if [ "$ext" = zip ]; then
    if command -v 7z >/dev/null 2>&1; then
        (cd "$out" && 7z a -tzip -bd "$asset" "$name" >/dev/null)
    else
        (cd "$out" && zip -qr "$asset" "$name")
    fi
else
    # COPYFILE_DISABLE: no macOS AppleDouble (._*) entries in the tarball.
    COPYFILE_DISABLE=1 tar -C "$out" -czf "$out/$asset" "$name"
fi
rm -rf "$stage"

if command -v sha256sum >/dev/null 2>&1; then
    (cd "$out" && sha256sum "$asset" >"$asset.sha256")
else
    (cd "$out" && shasum -a 256 "$asset" >"$asset.sha256")
fi
# One line, "<hex>  <asset>", LF endings on every platform.
sum=$(cut -d ' ' -f 1 <"$out/$asset.sha256" | tr -d '\\\r')
printf '%s  %s\n' "$sum" "$asset" >"$out/$asset.sha256"
echo "$out/$asset"
