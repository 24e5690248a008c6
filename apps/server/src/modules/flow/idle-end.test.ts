import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { createLogger } from '../../platform/logger.ts';
import { createIdleEnd, type IdleCandidate } from './idle-end.ts';

/** The sweep reads candidates from the shortest idle time of a channel with idle end on, and none when no channel has it on. */
describe('idle end sweep', () => {
  async function sweepOnce(shortest: number | undefined, candidates: IdleCandidate[]) {
    const clock = new ManualClock();
    const reads: number[] = [];
    const ended: string[] = [];
    // The sweep reads these two fields of a channel.
    const channel = { idleEnd: { enabled: true, minutes: 5, text: 'Ended.' }, bot: { timeoutReply: 'Bye.' } } as Channel;
    const idleEnd = createIdleEnd({
      clock,
      log: createLogger('silent'),
      getChannel: async () => channel,
      shortestIdleEndMinutes: async () => shortest,
      idleConversations: async (beforeMs, after, limit) => {
        reads.push(beforeMs);
        const from = after ? candidates.indexOf(after) + 1 : 0;
        return candidates.filter((c) => c.lastActivityAt < beforeMs).slice(from, from + limit);
      },
      endIfIdle: async (candidate) => void ended.push(candidate.id),
    });
    idleEnd.start();
    clock.advance(30_000);
    // The fake reads settle in microtasks (no page is full here, so no turn is yielded).
    await sleep(20);
    idleEnd.close();
    return { reads: reads.map((beforeMs) => (clock.now() - beforeMs) / 60_000), ended };
  }

  const at = (id: string, minutesAgo: number): IdleCandidate => ({ appId: 'a', id, channelId: 'ch', isWithBot: false, lastActivityAt: Date.UTC(2026, 0, 1) + 30_000 - minutesAgo * 60_000 });

  it('no channel with idle end on: reads nothing, ends nothing', async () => {
    expect(await sweepOnce(undefined, [at('c1', 60)])).toEqual({ reads: [], ended: [] });
  });

  it('reads the conversations silent for the shortest idle time, ends those silent for their channel’s', async () => {
    const result = await sweepOnce(3, [at('c1', 60), at('c2', 6), at('c3', 4), at('c4', 2)]);
    expect(result.reads).toEqual([3]);
    expect(result.ended).toEqual(['c1', 'c2']);
  });
});
