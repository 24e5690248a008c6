#!/usr/bin/env bash
# Makes sure Debian's Chromium (and fonts for CJK and Arabic text) is installed for the browser
# tests and benchmarks; prints the executable path. Installs with apt-get when missing (needs root).
set -euo pipefail
BIN=/usr/bin/chromium
if [ ! -x "$BIN" ]; then
  if [ "$(id -u)" != 0 ]; then echo "Chromium is not installed; run as root or: apt-get install chromium" >&2; exit 1; fi
  echo "installing Chromium from Debian…" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji >&2
fi
echo "$BIN"
