#!/usr/bin/env bash
# Makes sure the media tools for calls are installed (Debian packages), prints what it found.
#   scripts/media.sh          → janus, janus-tools (janus-pp-rec) and ffmpeg; prints "janus <path> <version>" …
#   scripts/media.sh turn     → coturn (TURN relay; prints "turnserver <path> <version>")
# Installs with apt-get when missing (needs root; otherwise prints the one command to run and exits 1).
# Idempotent: when everything is there it only prints the paths (stdout), nothing on stderr.
set -euo pipefail

install_missing() { # $@ = "binary:package" pairs
  local missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  # NOTE: de-duplicate (janus and janus-pp-rec come from two packages, but a missing janus-tools alone is one).
  local pkgs
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${pkgs}; run as root or: apt-get install -y ${pkgs}" >&2
    exit 1
  fi
  echo "installing ${pkgs}from Debian…" >&2
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $pkgs >&2
}

version_of() { # $1 = Debian package
  dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown
}

case "${1:-janus}" in
  janus)
    install_missing janus:janus janus-pp-rec:janus-tools ffmpeg:ffmpeg
    echo "janus $(command -v janus) $(version_of janus)"
    echo "janus-pp-rec $(command -v janus-pp-rec) $(version_of janus-tools)"
    echo "ffmpeg $(command -v ffmpeg) $(version_of ffmpeg)"
    ;;
  turn)
    install_missing turnserver:coturn
    echo "turnserver $(command -v turnserver) $(version_of coturn)"
    ;;
  *) echo "usage: $0 [janus|turn]" >&2; exit 2 ;;
esac
