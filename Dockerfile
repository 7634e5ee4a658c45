# syntax=docker/dockerfile:1
# xeroctl for CI jobs: static musl builds of xeroctl and of the sandbox router
# in a small Alpine image (with jq for -o json), entrypoint xeroctl.
#
#   docker build -t xeroctl .
#   docker run --rm -e XEROCTL_BASE_URL -e XEROCTL_API_KEY xeroctl agents
#   docker run --rm --entrypoint sh xeroctl -c 'xeroctl-sandbox --write-context & sleep 1; xeroctl --context sandbox agents'
#
# It builds for the platform it runs on (x86_64 or aarch64). scripts/check-dockerfile.sh
# runs the build stage's RUN commands on the host and checks what the final stage copies.

ARG RUST_VERSION=1.88
FROM rust:${RUST_VERSION}-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/*
RUN rustup target add "$(uname -m)-unknown-linux-musl"
WORKDIR /src
COPY . .
RUN target="$(uname -m)-unknown-linux-musl" \
 && cargo build --release --locked --target "$target" -p xeroctl -p xeroctl-sandbox \
 && mkdir -p target/image \
 && cp "target/$target/release/xeroctl" "target/$target/release/xeroctl-sandbox" target/image/

FROM alpine:3.22
RUN apk add --no-cache jq \
 && adduser -D -u 10001 -h /home/xeroctl xeroctl
COPY --from=build /src/target/image/xeroctl /src/target/image/xeroctl-sandbox /usr/local/bin/
USER xeroctl
WORKDIR /home/xeroctl
ENTRYPOINT ["xeroctl"]
CMD ["--help"]
