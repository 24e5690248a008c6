#!/usr/bin/env bash
# Runs the media tests (vitest.media.config.ts: real Janus, one Chromium per party) inside a private
# network namespace (e2e/media/netns-run.sh), because browsers skip loopback interfaces for ICE.
# Installs what they need when missing (Janus and ffmpeg via scripts/media.sh, Chromium, iproute2).
# A network namespace needs root or CAP_SYS_ADMIN: without it the run is skipped with a notice,
# except under CI=true, where it fails. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! unshare -n true 2>/dev/null; then
  if [ "${CI:-}" = true ]; then echo "media tests need root or CAP_SYS_ADMIN (unshare -n failed)" >&2; exit 1; fi
  echo "media tests skipped: a private network namespace needs root or CAP_SYS_ADMIN (run: sudo npm run test:media)" >&2
  exit 0
fi
if ! command -v ip >/dev/null 2>&1; then
  echo "installing iproute2 from Debian…" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 >&2
fi
bash scripts/media.sh >/dev/null
bash scripts/chromium.sh >/dev/null
exec bash e2e/media/netns-run.sh npx vitest run -c vitest.media.config.ts "$@"
