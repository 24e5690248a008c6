import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { pooledRandomToken } from '../crypto/index.ts';

/**
 * This host and the processes it can see, shortened (a lease owner is at most 64 characters).
 * NOTE: with its pid namespace (Linux): containers sharing a host name (host networking) see none of
 * each other's processes, and would take each other's live processes for ended.
 */
const HOST = createHash('sha256').update(`${os.hostname()}\u0000${pidNamespace()}`).digest('hex').slice(0, 8);
/**
 * When this process started (ms, base 36): tells it from an earlier process that had the same pid.
 * NOTE: the process's time origin, a constant; `Date.now() - uptime` differs by a millisecond from one
 * reading to the next, so a second copy of this module (a test runner's) could take this very process
 * for an earlier one.
 */
const STARTED = Math.round(performance.timeOrigin).toString(36);
const OWNER = /^node_([0-9a-f]{8})_(\d+)_([0-9a-z]+)_/;

/** A job worker's lease owner: its host, process and start time, then random (one per worker). */
export function newLeaseOwner(): string {
  return `node_${HOST}_${process.pid}_${STARTED}_${pooledRandomToken(8)}`;
}

/**
 * Whether a lease owner is a process of this host that has ended: its leases will never be given
 * back, only lapse. NOTE: an owner of another host, of a live process (another node on this host,
 * another worker of this process) or in an older form is not known to have ended; a pid taken
 * since by an unrelated process reads as live. Its leases lapse, as before.
 */
export function isEndedOwner(owner: string): boolean {
  const match = OWNER.exec(owner);
  if (!match || match[1] !== HOST) return false;
  const pid = Number(match[2]);
  if (pid === process.pid) return match[3] !== STARTED;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    // EPERM: a live process of another user.
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function pidNamespace(): string {
  try {
    return fs.readlinkSync('/proc/self/ns/pid');
  } catch {
    return '';
  }
}
