/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): the hottest functions by self time,
 * by inclusive time, and self time by package / source area.
 *   node --import tsx realtime/profile.ts <file.cpuprofile> [top]
 */
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.search(/\/(apps|packages)\//);
  if (src >= 0) return url.slice(src + 1);
  return url.replace(/^file:\/\//, '').replace(/^node:/, 'node:');
}

function keyOf(f: CallFrame): string {
  const name = f.functionName || '(anonymous)';
  if (!f.url) return name;
  return `${name}  ${shortUrl(f.url)}:${f.lineNumber + 1}`;
}

function areaOf(f: CallFrame): string {
  if (!f.url) {
    if (f.functionName === '(garbage collector)') return '(garbage collector)';
    if (f.functionName === '(idle)' || f.functionName === '(program)') return f.functionName;
    return '(native / V8 builtins)';
  }
  const nm = f.url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = f.url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? '?');
  }
  if (f.url.startsWith('node:')) return 'node: internals';
  const m = /\/(apps\/server\/src\/[^/]+(?:\/[^/]+)?|packages\/[^/]+)\//.exec(f.url);
  return m ? m[1]! : shortUrl(f.url);
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  self: { key: string; ms: number }[];
  inclusive: { key: string; ms: number }[];
  areas: { key: string; ms: number }[];
}

/**
 * `window` limits the summary to samples taken between two CLOCK_MONOTONIC times in µs
 * (V8 profile timestamps and process.hrtime() share that clock, across processes).
 */
export function summarizeProfile(file: string, top = 25, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const c of node.children ?? []) parent.set(c, node.id);
  }
  const selfTime = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    t += profile.timeDeltas[i] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) continue;
    // timeDeltas[i] is the time before sample i; attribute the gap after it to it instead.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, us] of selfTime) {
    const node = byId.get(id)!;
    total += us;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)') {
      idle += us;
      continue;
    }
    const key = keyOf(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + us);
    const area = areaOf(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = keyOf(byId.get(cur)!.callFrame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const sorted = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => ({ key, ms: us / 1000 }));
  const skipInclusive = /^\((root|program)\)|^(processTicksAndRejections|runMicrotasks|listOnTimeout|processTimers|emit|emitBeforeScript)\b/;
  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    self: sorted(self, top),
    inclusive: sorted(new Map([...inclusive].filter(([k]) => !skipInclusive.test(k))), top),
    areas: sorted(areas, 20),
  };
}

export function formatProfile(summary: ProfileSummary): string {
  const pct = (ms: number) => `${((ms / summary.busyMs) * 100).toFixed(1).padStart(5)}%`;
  const lines = [`profile: ${(summary.totalMs / 1000).toFixed(1)} s sampled, ${(summary.busyMs / 1000).toFixed(1)} s busy (not idle); % of busy time`];
  lines.push('  self time by area:');
  for (const a of summary.areas) lines.push(`    ${pct(a.ms)} ${(a.ms / 1000).toFixed(2).padStart(7)} s  ${a.key}`);
  lines.push('  hottest functions (self):');
  for (const f of summary.self) lines.push(`    ${pct(f.ms)} ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.key}`);
  lines.push('  hottest functions (inclusive):');
  for (const f of summary.inclusive) lines.push(`    ${pct(f.ms)} ${(f.ms / 1000).toFixed(2).padStart(7)} s  ${f.key}`);
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: profile.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatProfile(summarizeProfile(file, Number(process.argv[3] ?? 25))));
}
