import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** Linux /proc readers: resident memory and CPU time of processes, busy time of the machine. */

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** VmRSS of a process in kB (0 when it is gone). */
export function rssKb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function statFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after the last ')'.
    const close = stat.lastIndexOf(')');
    return [stat.slice(0, close + 1), ...stat.slice(close + 2).split(' ')];
  } catch {
    return undefined;
  }
}

/** User + system CPU seconds a process has used so far (its threads included). */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  // After the "pid (comm)" head: [1] state, [2] ppid, … [12] utime, [13] stime.
  if (!f) return 0;
  return (Number(f[12]) + Number(f[13])) / CLK_TCK;
}

/** CPU seconds of the process's children that it waited for (cutime + cstime): the tools a server runs. */
export function childrenCpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) return 0;
  return (Number(f[14]) + Number(f[15])) / CLK_TCK;
}

/** Children of `ppid` (direct only), e.g. the backends of a PostgreSQL postmaster. */
export function childPids(ppid: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (f && Number(f[2]) === ppid) out.push(Number(name));
  }
  return out;
}

/**
 * Sets the scheduling priority (nice, -20…19) of every thread of a process. Threads it starts later
 * take their creator's. A negative value needs root (CAP_SYS_NICE): refused, this throws.
 */
export function setNice(pid: number, nice: number): void {
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) os.setPriority(Number(tid), nice);
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

export function loadAverage(): string {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return '?';
  }
}

/** Soft/hard open-file limits of this process. */
export function openFileLimit(): { soft: number; hard: number } {
  const report = process.report.getReport() as unknown as { userLimits?: { open_files?: { soft: number | string; hard: number | string } } };
  const lim = report.userLimits?.open_files;
  const num = (x: number | string | undefined) => (x === 'unlimited' ? Number.POSITIVE_INFINITY : Number(x ?? 0));
  return { soft: num(lim?.soft), hard: num(lim?.hard) };
}

/**
 * Raises this process's RLIMIT_NOFILE (children inherit it) with prlimit(1). Root may raise
 * the hard limit; others get at most their hard limit. Returns the soft limit in effect.
 */
export function raiseOpenFileLimit(wanted: number): number {
  const before = openFileLimit();
  if (before.soft >= wanted) return before.soft;
  for (const value of [`${wanted}:${wanted}`, `${before.hard}:${before.hard}`]) {
    try {
      execFileSync('prlimit', ['--pid', String(process.pid), `--nofile=${value}`], { stdio: 'ignore' });
      break;
    } catch {
      // not permitted: try the next, smaller value
    }
  }
  return openFileLimit().soft;
}
