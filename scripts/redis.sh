#!/usr/bin/env bash
# Starts (or stops) a throwaway Redis on loopback: the cross-node bus of the tests and benchmarks
# (FRONTDESK_BUS_URL). Nothing is persisted (a bus, not a store).
#   scripts/redis.sh start   → prints the FRONTDESK_BUS_URL to use
#   scripts/redis.sh status  → exit 0 when running
#   scripts/redis.sh stop
# FRONTDESK_TEST_REDIS_PORT chooses another instance. Installs Debian's redis-server first when it is
# missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${FRONTDESK_TEST_REDIS_PORT:-56379}"
DIR="/tmp/frontdesk-test-redis-$PORT"
PIDFILE="$DIR/redis.pid"

ensure_installed() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" != 0 ]; then echo "redis-server is not installed; run as root or: apt-get install redis-server" >&2; exit 1; fi
    echo "installing redis-server from Debian…" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
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
      redis-server --port "$PORT" --bind 127.0.0.1 --protected-mode yes --daemonize yes --dir "$DIR" \
        --pidfile "$PIDFILE" --logfile "$DIR/redis.log" --save '' --appendonly no >/dev/null
      for _ in $(seq 1 100); do
        redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
        sleep 0.05
      done
    fi
    echo "redis://127.0.0.1:$PORT"
    ;;
  status)
    is_running
    ;;
  stop)
    if is_running; then kill "$(cat "$PIDFILE")"; fi
    ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
