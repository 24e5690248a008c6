import fc from 'fast-check';
import type { Message } from '@frontdesk/protocol';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { Connection } from './connection.ts';

function message(seq: number): Message {
  return { id: `m${seq}`, conversationId: 'c1', seq, clientId: null, senderType: 'visitor', senderId: 'v1', kind: 'text', text: `#${seq}`, file: null, location: null, createdAt: 0 };
}

function fakeSocket() {
  const sent: number[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    send(data: string) {
      sent.push(JSON.parse(data).message.seq);
    },
  };
  return { socket: socket as unknown as WebSocket, sent };
}

describe('Connection delivery order', () => {
  it('sends every message exactly once and in seq order, whatever order events and storage reads interleave in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 10 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        async (s, total, resumeFrom, order) => {
          const start = Math.min(resumeFrom, total);
          // Storage: messages become visible in seq order (each commit waits for the previous one's lock).
          let committed = start;
          const { socket, sent } = fakeSocket();
          const fetchAfter = s.scheduleFunction(async (_c: string, after: number, limit: number) =>
            Array.from({ length: Math.max(0, Math.min(committed - after, limit)) }, (_, i) => message(after + 1 + i)),
          );
          const conn = new Connection(socket, 'app', 0, fetchAfter, (err) => { throw err; }, { perSecond: 1, burst: 1 });
          conn.follow('c1', start > 0 ? start - Math.min(start, 3) : 0);
          // Events for seq start+1..total are published after their commit, in a scrambled order.
          const pendingEvents: number[] = [];
          for (let seq = start + 1; seq <= total; seq++) {
            committed = seq;
            pendingEvents.splice(order[seq]! % (pendingEvents.length + 1), 0, seq);
            if (order[seq]! % 3 === 0) {
              const next = pendingEvents.shift()!;
              s.schedule(Promise.resolve()).then(() => conn.deliver(message(next), JSON.stringify({ type: 'message', message: message(next) })));
            }
          }
          for (const seq of pendingEvents) s.schedule(Promise.resolve()).then(() => conn.deliver(message(seq), JSON.stringify({ type: 'message', message: message(seq) })));
          await s.waitAll();
          const expected = Array.from({ length: total }, (_, i) => i + 1).slice(Math.max(0, start - Math.min(start, 3)));
          expect(sent).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a catch-up read that failed is tried again, without waiting for another event', async () => {
    const { socket, sent } = fakeSocket();
    const errors: unknown[] = [];
    let calls = 0;
    const fetchAfter = async (_c: string, after: number) => {
      calls += 1;
      if (calls === 1) throw new Error('storage is unavailable');
      return [message(after + 1), message(after + 2)].filter((m) => m.seq <= 2);
    };
    const conn = new Connection(socket, 'app', 0, fetchAfter, (err) => errors.push(err), { perSecond: 1, burst: 1 });
    conn.follow('c1', 0);
    await expect.poll(() => sent, { timeout: 2000 }).toEqual([1, 2]);
    expect(errors).toHaveLength(1);
  });

  it('a rate-limited socket gets tokens back over time', () => {
    const { socket } = fakeSocket();
    const conn = new Connection(socket, 'app', 0, async () => [], () => {}, { perSecond: 10, burst: 2 });
    expect([conn.takeToken(0), conn.takeToken(0), conn.takeToken(0)]).toEqual([true, true, false]);
    expect(conn.takeToken(100)).toBe(true);
  });
});
