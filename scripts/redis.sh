#!/usr/bin/env bash
# Starts (or stops) a throwaway Redis on loopback: the cross-node bus of the tests and benchmarks
# (FRONTDESK_BUS_URL). Nothing is persisted (a bus, not a store).
#   scripts/redis.sh start   → prints the FRONTDESK_BUS_URL to use
#   scripts/redis.sh status  → exit 0 when running
#   scripts/redis.sh stop
# FRONTDESK_TEST_REDIS_PORT chooses another instance. Installs Debian's redis-server first when it is
# missing (needs root).
set -euo pipefail
PORT="${FRONTDESK_TEST_REDIS_PORT:-56379}"

launch() {
  redis-server --port "$PORT" --bind 127.0.0.1 --protected-mode yes --daemonize yes --dir "$DIR" \
    --pidfile "$PIDFILE" --logfile "$LOG" --save '' --appendonly no >/dev/null
  for _ in $(seq 1 100); do
    redis-cli -p "$PORT" ping >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  return 1
}

source "$(dirname "$0")/lib/loopback-broker.sh"
broker_main redis redis-server "redis://127.0.0.1:$PORT" "$@"
