#!/bin/bash
# Run a command inside a fresh, private network namespace that has only loopback
# plus a veth pair carrying 127.0.0.2/32 (Chromium ignores IFF_LOOPBACK interfaces
# for ICE, so it needs a non-loopback-flagged interface; 127.0.0.2 keeps every
# packet in the loopback range and the namespace has no route to anything else).
# Usage: e2e/media/netns-run.sh <cmd> [args...]     (needs root / CAP_SYS_ADMIN)
exec unshare -n bash -c '
  ip link set lo up &&
  ip link add v0 type veth peer name v1 &&
  ip addr add 127.0.0.2/32 dev v0 &&
  ip link set v1 up && ip link set v0 up &&
  exec "$@"' netns-run "$@"
