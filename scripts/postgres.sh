#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL on loopback for the test suite and benchmarks.
#   scripts/postgres.sh start   → prints the DATABASE_URL to use
#   scripts/postgres.sh status  → exit 0 when running
#   scripts/postgres.sh stop
# FRONTDESK_TEST_PG_PORT and FRONTDESK_TEST_PG_DIR choose another instance (the outage test uses its own).
# Installs Debian's postgresql first when its binaries are missing (needs root).
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT="${FRONTDESK_TEST_PG_PORT:-54329}"
# Outside the checkout, so the postgres user can reach it whatever the checkout's permissions.
PGDATA="${FRONTDESK_TEST_PG_DIR:-/tmp/frontdesk-test-pg-$PGPORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_installed() {
  if [ -z "$BIN" ] || [ ! -x "$BIN/pg_ctl" ]; then
    if [ "$(id -u)" != 0 ]; then echo "PostgreSQL is not installed; run as root or: apt-get install postgresql" >&2; exit 1; fi
    echo "installing PostgreSQL from Debian…" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
  fi
}

case "${1:-start}" in
  start)
    ensure_installed
    mkdir -p "$(dirname "$PGDATA")"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
      mkdir -p "$PGDATA"
      [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
      as_pg "$BIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
      [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
      as_pg "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start \
        -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  status)
    [ -n "$BIN" ] && [ -f "$PGDATA/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
    ;;
  stop)
    [ -n "$BIN" ] && [ -f "$PGDATA/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
esac
