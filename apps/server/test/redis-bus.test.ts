import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus, BusEvent } from '../src/platform/bus.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createRedisBus } from '../src/platform/redis-bus.ts';

const SCRIPT = path.resolve(import.meta.dirname, '../../../scripts/redis.sh');

/** The cross-node bus on a real Redis (scripts/redis.sh starts it on loopback): two nodes, two buses. */
describe('Redis bus', () => {
  let url: string;
  const buses: Bus[] = [];
  beforeAll(() => {
    url = execFileSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').at(-1)!;
  });
  afterAll(async () => {
    for (const bus of buses) await bus.close();
  });

  async function twoNodes(): Promise<[Bus, Bus]> {
    const log = createLogger('silent');
    const nodes = [await createRedisBus({ url, log }), await createRedisBus({ url, log })] as [Bus, Bus];
    buses.push(...nodes);
    return nodes;
  }

  it('carries each event once, in order, to the other node and at once to its own; large ones whole', async () => {
    const [a, b] = await twoNodes();
    const seenA: BusEvent[] = [];
    const seenB: BusEvent[] = [];
    a.subscribe((event) => seenA.push(event));
    b.subscribe((event) => seenB.push(event));
    const big = randomBytes(6144).toString('base64').slice(0, 8192);
    const sent: BusEvent[] = [
      { type: 'transparent', appId: 'acme', userId: 'vis_1', data: big },
      ...Array.from({ length: 200 }, (_, i): BusEvent => ({ type: 'kick', appId: 'acme', userId: `vis_${i}` })),
    ];
    for (const event of sent) a.publish(event);
    // Its own node hears them at once (before any round trip), the other one through Redis.
    expect(seenA).toEqual(sent);
    await expect.poll(() => seenB.length, { timeout: 5000 }).toBe(sent.length);
    expect(seenB).toEqual(sent);
    // And nothing comes back to the publishing node a second time.
    await new Promise((r) => setTimeout(r, 200));
    expect(seenA).toHaveLength(sent.length);
  });
});
