#!/usr/bin/env bash
# Fill packaging/homebrew/xeroctl.rb for one release from its .sha256 files:
#
#   packaging/homebrew/render.sh <version> <dist-dir> [<repo-url>] > xeroctl.rb
#
# <dist-dir> holds xeroctl-v<version>-<target>.tar.gz.sha256 for the four
# macOS and Linux targets (as scripts/package-release.sh writes them).
# <repo-url> defaults to the `repository` of Cargo.toml. Fails if a checksum
# is missing or a placeholder is left.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
version="${1#v}" dist="$2"
repo="${3:-$(sed -n 's/^repository = "\(.*\)"$/\1/p' "$here/../../Cargo.toml" | head -n 1)}"
[ -n "$repo" ] || { echo "render.sh: no repository URL" >&2; exit 1; }

formula=$(<"$here/xeroctl.rb")
formula="${formula//@VERSION@/$version}"
formula="${formula//@REPO_URL@/${repo%/}}"
for target in aarch64-apple-darwin x86_64-apple-darwin aarch64-unknown-linux-musl x86_64-unknown-linux-musl; do
    file="$dist/xeroctl-v$version-$target.tar.gz.sha256"
    [ -f "$file" ] || { echo "render.sh: missing $file" >&2; exit 1; }
    sum=$(cut -d ' ' -f 1 <"$file")
    [[ $sum =~ ^[0-9a-f]{64}$ ]] || { echo "render.sh: no SHA-256 in $file" >&2; exit 1; }
    formula="${formula//@SHA256_$target@/$sum}"
done
if [[ $formula == *@*@* ]] && grep -n '@[A-Za-z0-9_-]*@' <<<"$formula" >&2; then
    echo "render.sh: placeholders left (above)" >&2
    exit 1
fi
printf '%s\n' "$formula"
