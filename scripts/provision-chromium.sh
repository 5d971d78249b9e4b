#!/usr/bin/env bash
# Prints the path of a Chromium that playwright-core can drive; installs Debian's package if missing.
# Never downloads a browser build of its own (those downloads fail on this network).
set -euo pipefail
say() { echo "provision-chromium: $*" >&2; }
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then echo "$candidate"; exit 0; fi
done
if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
  say "Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root, or set CHROMIUM_PATH"
  exit 1
fi
sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
say "installing Debian's chromium package (once)"
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
[[ -x /usr/bin/chromium ]] || { say "apt-get finished but /usr/bin/chromium is missing"; exit 1; }
echo /usr/bin/chromium
