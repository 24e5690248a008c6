#!/usr/bin/env bash
# Starts (or stops) a throwaway NATS server on loopback: the other cross-node bus of the tests and
# benchmarks (FRONTDESK_BUS_URL=nats://…). Core pub/sub only, nothing persisted.
#   scripts/nats.sh start   → prints the FRONTDESK_BUS_URL to use
#   scripts/nats.sh status  → exit 0 when running
#   scripts/nats.sh stop
# FRONTDESK_TEST_NATS_PORT chooses another instance. Installs Debian's nats-server first when it is
# missing (needs root).
set -euo pipefail
PORT="${FRONTDESK_TEST_NATS_PORT:-56222}"

launch() {
  nats-server --addr 127.0.0.1 --port "$PORT" --pid "$PIDFILE" --log "$LOG" >/dev/null 2>&1 &
  # Ready once its log says so (a port that answers may be another server's).
  for _ in $(seq 1 100); do
    grep -q "Server is ready" "$LOG" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

source "$(dirname "$0")/lib/loopback-broker.sh"
broker_main nats nats-server "nats://127.0.0.1:$PORT" "$@"
