#!/usr/bin/env bash
# Puts Prometheus's promtool (for `promtool check rules` and `promtool test rules` on deploy/prometheus/) into
# .tools/ and prints its path on stdout; everything else goes to stderr.
# Order: $PROMTOOL_PATH, the cached build, then `go install` through the Go module proxy (Prometheus publishes no
# promtool on npm or PyPI; its module tag v0.X.Y is Prometheus 3.X.Y). `go install pkg@version` refuses a module whose
# go.mod has replace directives, as Prometheus's has, so the module is downloaded and built in place.
# No download outside package registries.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${PROMTOOL_TOOLS_DIR:-$root/.tools}"
version="v0.305.0" # Prometheus 3.5.0, a long-term-support release
dir="$tools/promtool-$version"
binary="$dir/promtool"

say() { echo "provision-promtool: $*" >&2; }

if [[ -n "${PROMTOOL_PATH:-}" ]]; then
  if [[ -x "$PROMTOOL_PATH" ]]; then echo "$PROMTOOL_PATH"; exit 0; fi
  say "PROMTOOL_PATH=$PROMTOOL_PATH is not an executable file"
  exit 1
fi
if [[ -x "$binary" ]]; then echo "$binary"; exit 0; fi

go="$(command -v go || true)"
[[ -z "$go" && -x /usr/local/go/bin/go ]] && go=/usr/local/go/bin/go
if [[ -z "$go" ]]; then
  say "no Go toolchain to build promtool with: install Go (https://go.dev/dl) or set PROMTOOL_PATH to a promtool binary"
  exit 1
fi

mkdir -p "$dir"
say "building promtool $version with $("$go" version | cut -d' ' -f3) (once; a few minutes)"
source="$("$go" mod download -json "github.com/prometheus/prometheus@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')"
if [[ -n "$source" ]] && (cd "$source" && GOFLAGS="-buildvcs=false -mod=readonly" nice "$go" build -o "$binary.partial" ./cmd/promtool >&2) \
  && mv "$binary.partial" "$binary" && [[ -x "$binary" ]]; then
  echo "$binary"; exit 0
fi

say "could not build promtool $version (needs the Go module proxy, or GOPROXY pointing at a mirror);"
say "set PROMTOOL_PATH to an existing promtool binary instead."
exit 1
