#!/usr/bin/env bash
# Starts (or stops) a throwaway NATS server on loopback: the other cross-node bus of the tests and
# benchmarks (FRONTDESK_BUS_URL=nats://…). Core pub/sub only, nothing persisted.
#   scripts/nats.sh start   → prints the FRONTDESK_BUS_URL to use
#   scripts/nats.sh status  → exit 0 when running
#   scripts/nats.sh stop
# FRONTDESK_TEST_NATS_PORT chooses another instance. Installs Debian's nats-server first when it is
# missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${FRONTDESK_TEST_NATS_PORT:-56222}"
DIR="/tmp/frontdesk-test-nats-$PORT"
PIDFILE="$DIR/nats.pid"

ensure_installed() {
  if ! command -v nats-server >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then echo "nats-server is not installed; run as root or: apt-get install nats-server" >&2; exit 1; fi
    echo "installing nats-server from Debian…" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >&2
  fi
}

is_running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

case "${1:-start}" in
  start)
    ensure_installed
    mkdir -p "$DIR"
    if ! is_running; then
      nats-server --addr 127.0.0.1 --port "$PORT" --pid "$PIDFILE" --log "$DIR/nats.log" >/dev/null 2>&1 &
      # Ready once its log says so (a port that answers may be another server's).
      for _ in $(seq 1 100); do
        grep -q "Server is ready" "$DIR/nats.log" 2>/dev/null && break
        sleep 0.05
      done
      if ! grep -q "Server is ready" "$DIR/nats.log" 2>/dev/null; then
        echo "nats-server did not start on 127.0.0.1:$PORT:" >&2
        tail -5 "$DIR/nats.log" >&2 || true
        exit 1
      fi
    fi
    echo "nats://127.0.0.1:$PORT"
    ;;
  status)
    is_running
    ;;
  stop)
    if is_running; then kill "$(cat "$PIDFILE")"; fi
    ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
