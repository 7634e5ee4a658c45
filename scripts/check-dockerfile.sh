#!/usr/bin/env bash
# Exercise the Dockerfile without a Docker engine: run its build stage's RUN
# commands on this (Debian) host, in the source tree that `COPY . .` would
# copy, with the Rust version of its `FROM rust:` line when rustup has it;
# then check that what the final stage copies exists, is statically linked,
# and passes scripts/smoke-installed.sh (the installed-user quick start).
#
#   scripts/check-dockerfile.sh           # a release build: minutes
#
# apt-get lines are not run verbatim (they would delete the host's apt lists):
# their packages are installed with apt-get when missing (as root), else the
# line is reported as already satisfied. If the musl target cannot be added
# (no network to the Rust dist server), the same cargo build runs for the host
# target instead and the script says so and exits 3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

say() { printf '\n==> %s\n' "$*" >&2; }

# --- parse the Dockerfile ------------------------------------------------------------
parsed="$(python3 - Dockerfile <<'EOF'
import re, sys, shlex
lines, cur = [], ""
for raw in open(sys.argv[1]):
    s = raw.rstrip("\n")
    if not cur and (not s.strip() or s.lstrip().startswith("#")):
        continue
    if s.endswith("\\"):
        cur += s[:-1] + " "
        continue
    lines.append((cur + s).strip())
    cur = ""
args, stage, workdir = {}, None, "/"
for line in lines:
    word, _, rest = line.partition(" ")
    word = word.upper()
    if word == "ARG" and stage is None:
        k, _, v = rest.partition("=")
        args[k.strip()] = v.strip()
    elif word == "FROM":
        m = re.match(r"(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?", rest, re.I)
        image = re.sub(r"\$\{(\w+)\}", lambda g: args.get(g.group(1), ""), m.group(1))
        stage = (m.group(2) or "final").lower()
        print(f"FROM\t{stage}\t{image}")
    elif word == "WORKDIR":
        workdir = rest.strip()
        print(f"WORKDIR\t{stage}\t{workdir}")
    elif word == "RUN" and stage == "build":
        print(f"RUN\tbuild\t{' '.join(rest.split())}")
    elif word == "COPY" and "--from=build" in rest:
        parts = [p for p in shlex.split(rest) if not p.startswith("--")]
        for src in parts[:-1]:
            print(f"COPYFROM\tfinal\t{src}")
    elif word == "ENTRYPOINT":
        print(f"ENTRYPOINT\t{stage}\t{rest}")
EOF
)"
printf '%s\n' "$parsed" | sed 's/^/    /' >&2

build_image=$(awk -F'\t' '$1 == "FROM" && $2 == "build" { print $3 }' <<<"$parsed")
build_workdir=$(awk -F'\t' '$1 == "WORKDIR" && $2 == "build" { print $3 }' <<<"$parsed" | tail -n 1)
[ -n "$build_image" ] || { echo "check-dockerfile: no 'FROM … AS build' stage" >&2; exit 1; }
grep -q $'^ENTRYPOINT\tfinal\t\\["xeroctl"\\]$' <<<"$parsed" ||
    { echo "check-dockerfile: the final stage's ENTRYPOINT is not [\"xeroctl\"]" >&2; exit 1; }

# rust:1.88-bookworm -> toolchain 1.88
rust_version=$(sed -n 's/^rust:\([0-9][0-9.]*\).*/\1/p' <<<"$build_image")
if [ -n "$rust_version" ] && rustup run "$rust_version" rustc --version >/dev/null 2>&1; then
    export RUSTUP_TOOLCHAIN="$rust_version"
    say "Build stage $build_image: using rustup toolchain $rust_version ($(rustc --version))"
else
    say "Build stage $build_image: rustup has no toolchain '$rust_version'; using $(rustc --version) instead"
fi

# --- run the build stage --------------------------------------------------------------
fallback=0
while IFS=$'\t' read -r kind stage cmd; do
    [ "$kind" = RUN ] && [ "$stage" = build ] || continue
    say "RUN $cmd"
    case "$cmd" in
        apt-get*)
            pkgs=$(sed -n 's/.*apt-get install \([^&]*\).*/\1/p' <<<"$cmd" | tr ' ' '\n' | grep -v '^-' | tr '\n' ' ')
            missing=""
            for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
            if [ -z "$missing" ]; then
                echo "(already installed on this host: $pkgs)" >&2
            elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
                # shellcheck disable=SC2086 # a list of package names
                apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null
            else
                echo "check-dockerfile: install$missing first (apt-get, as root)" >&2
                exit 1
            fi
            ;;
        *"rustup target add"*)
            if ! sh -c "$cmd"; then
                echo "check-dockerfile: cannot add the musl target here; building for the host target instead" >&2
                fallback=1
            fi
            ;;
        *)
            if [ "$fallback" = 1 ]; then
                cmd="cargo build --release --locked -p xeroctl -p xeroctl-sandbox && mkdir -p target/image && cp target/release/xeroctl target/release/xeroctl-sandbox target/image/"
                echo "(instead: $cmd)" >&2
            fi
            time sh -c "$cmd"
            ;;
    esac
done <<<"$parsed"

# --- what the final stage copies -------------------------------------------------------
say "Final stage: COPY --from=build sources (WORKDIR $build_workdir = this checkout)"
status=0
while IFS=$'\t' read -r kind stage src; do
    [ "$kind" = COPYFROM ] || continue
    path="${src#"$build_workdir"/}"
    if [ ! -f "$path" ]; then
        echo "missing: $src ($path)" >&2
        status=1
        continue
    fi
    desc=$(file -b "$path" 2>/dev/null || true)
    # Static (or static-pie) ELF: no program interpreter.
    headers=$(readelf -l "$path" 2>/dev/null || echo "not an ELF file")
    if grep -qE 'program interpreter|not an ELF file' <<<"$headers"; then
        echo "NOT static: $path: $desc" >&2
        [ "$fallback" = 1 ] || status=1
    else
        echo "ok: $path ($(du -h "$path" | cut -f 1)) ${desc:+$desc}" >&2
    fi
done <<<"$parsed"
[ "$status" = 0 ] || exit "$status"

say "The installed-user quick start with those binaries"
scripts/smoke-installed.sh target/image

if [ "$fallback" = 1 ]; then
    say "Done, but with a host-target build: the musl target could not be added here"
    exit 3
fi
say "Done: the build stage's commands ran and the image's binaries work"
