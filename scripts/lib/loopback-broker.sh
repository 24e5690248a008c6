# The shared body of scripts/redis.sh and scripts/nats.sh (sourced, not run): a throwaway broker on
# 127.0.0.1, one per port, its files under /tmp/frontdesk-test-<kind>-<port>/ (<kind>.pid, <kind>.log).
#   broker_main KIND BINARY URL [start|status|stop]
# The caller sets PORT and defines `launch`: starts BINARY in the background with $PIDFILE and $LOG,
# and returns non-zero when it did not become ready. BINARY is also its Debian package's name,
# installed first when it is missing (needs root).

broker_running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

broker_main() {
  local kind="$1" binary="$2" url="$3" command="${4:-start}"
  DIR="/tmp/frontdesk-test-$kind-$PORT"
  PIDFILE="$DIR/$kind.pid"
  LOG="$DIR/$kind.log"
  case "$command" in
    start)
      if ! command -v "$binary" >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then echo "$binary is not installed; run as root or: apt-get install $binary" >&2; exit 1; fi
        echo "installing $binary from Debian…" >&2
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$binary" >&2
      fi
      mkdir -p "$DIR"
      if ! broker_running; then
        # A fresh log: readiness may be read from it, and an old run's lines must not count.
        rm -f "$LOG"
        if ! launch; then
          echo "$binary did not start on 127.0.0.1:$PORT:" >&2
          tail -5 "$LOG" >&2 || true
          exit 1
        fi
      fi
      echo "$url"
      ;;
    status)
      broker_running
      ;;
    stop)
      if broker_running; then kill "$(cat "$PIDFILE")"; fi
      ;;
    *) echo "usage: $0 start|status|stop" >&2; exit 2 ;;
  esac
}
