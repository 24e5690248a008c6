import { describe, expect, it } from 'vitest';
import { buildConversationFacts, type FactMessage, type HistoryStep } from './conversation-facts.ts';

const T = 1_000_000;
const s = (n: number) => T + n * 1000;
const conv = (closedAtS: number, channelId: string | null = 'web') => ({ id: 'c1', appId: 'app', channelId, visitorId: 'v1', createdAt: s(0), closedAt: s(closedAtS), closeBy: 'seat' });
const step = (type: string, atS: number, data: Record<string, unknown> = {}): HistoryStep => ({ type, at: s(atS), data });
const msg = (senderType: FactMessage['senderType'], atS: number, senderId: string | null = null, kind = 'text'): FactMessage => ({ senderType, senderId, kind, createdAt: s(atS) });

describe('conversation facts', () => {
  it('queued, offered, declined, rung out, answered, transferred to an agent, ended: every figure', () => {
    const history = [
      step('session.queued', 2, { queueId: 'q1' }),
      step('offer', 2, { agentId: 'ann' }),
      step('offer.withdrawn', 5, { agentId: 'ann', reason: 'declined' }),
      step('offer', 5, { agentId: 'bob' }),
      step('offer.withdrawn', 35, { agentId: 'bob', reason: 'timed_out' }),
      step('offer', 35, { agentId: 'cat' }),
      step('assign', 40, { agentId: 'cat', queueId: 'q1' }),
      step('transfer', 100, { to: { agentId: 'dan' }, note: 'billing' }),
      step('unassign', 100, { agentId: 'cat' }),
      step('assign', 100, { agentId: 'dan', queueId: 'q1' }),
      step('session.ended', 300, { closeBy: 'seat' }),
    ];
    const messages = [
      msg('visitor', 1, 'v1'),
      msg('system', 40, null, 'system'),
      msg('agent', 50, 'cat'),
      msg('visitor', 60, 'v1'),
      msg('visitor', 62, 'v1'),
      msg('agent', 70, 'cat'),
      msg('agent', 160, 'dan'),
      msg('visitor', 200, 'v1'),
      msg('agent', 230, 'dan'),
    ];
    const f = buildConversationFacts(conv(300), history, messages);
    expect(f.conversation).toMatchObject({ queueId: 'q1', queuedAt: s(2), answeredAt: s(40), waitMs: 38_000, outcome: 'answered', transfers: 1, firstAgentId: 'cat', lastAgentId: 'dan', agentIds: ['cat', 'dan'], handleMs: 260_000, firstResponseMs: 10_000, withBot: false, handedOff: false, agentMessages: 4, visitorMessages: 4, botMessages: 0 });
    expect(f.visits).toEqual([{ conversationId: 'c1', queueId: 'q1', channelId: 'web', enteredAt: s(2), answeredAt: s(40), waitMs: 38_000, outcome: 'answered', transferred: true, agentId: 'cat', handleMs: 60_000, assignmentEndedAt: s(100) }]);
    // cat: the visitor's first words (before the assignment) count from the assignment: 40 → 50;
    // then 60 (first of two unanswered) → 70. dan: first response 60 s; 200 → 230.
    expect(f.assignments.map((a) => [a.agentId, a.handleMs, a.firstResponseMs, a.responses, a.responseTotalMs, a.transferredOut])).toEqual([
      ['cat', 60_000, 10_000, 2, 20_000, true],
      ['dan', 200_000, 60_000, 1, 30_000, false],
    ]);
    expect(f.offers.map((o) => [o.agentId, o.outcome])).toEqual([
      ['ann', 'declined'],
      ['bob', 'missed'],
      ['cat', 'accepted'],
    ]);
  });

  it('bot messages are never agent responses; a bot-only conversation is bot-resolved', () => {
    const f = buildConversationFacts(conv(30), [], [msg('visitor', 1, 'v1'), msg('bot', 2), msg('visitor', 10, 'v1'), msg('bot', 11)]);
    expect(f.conversation).toMatchObject({ outcome: 'bot_resolved', withBot: true, handedOff: false, agentMessages: 0, botMessages: 2, queueId: null, waitMs: null, firstResponseMs: null });
    expect(f.assignments).toEqual([]);
  });

  it('handed off by the bot, then abandoned in the queue: the wait runs to the end', () => {
    const f = buildConversationFacts(conv(95), [step('session.queued', 15, { queueId: 'q1' }), step('session.ended', 95, { closeBy: 'client' })], [msg('visitor', 1, 'v1'), msg('bot', 2), msg('bot', 15)]);
    expect(f.conversation).toMatchObject({ outcome: 'abandoned', handedOff: true, waitMs: 80_000 });
    expect(f.visits[0]).toMatchObject({ outcome: 'abandoned', waitMs: 80_000 });
  });

  it('overflow to another queue, then released: one visit each, the first overflowed, the second released', () => {
    const f = buildConversationFacts(
      conv(200),
      [step('session.queued', 0, { queueId: 'q1' }), step('session.queued', 60, { queueId: 'q2', fromQueueId: 'q1', trigger: 'wait_timeout' }), step('session.released', 180, { queueId: 'q2', trigger: 'wait_timeout' })],
      [],
    );
    expect(f.conversation.outcome).toBe('released');
    expect(f.visits.map((v) => [v.queueId, v.outcome, v.waitMs])).toEqual([
      ['q1', 'overflowed', 60_000],
      ['q2', 'released', 120_000],
    ]);
  });

  it('transferred back to the queue it came from: that queue counts the conversation once', () => {
    const f = buildConversationFacts(
      conv(400),
      [
        step('session.queued', 0, { queueId: 'q1' }),
        step('assign', 10, { agentId: 'ann', queueId: 'q1' }),
        step('transfer', 100, { to: { queueId: 'q2' } }),
        step('unassign', 100, { agentId: 'ann' }),
        step('session.queued', 100, { queueId: 'q2', fromQueueId: 'q1', trigger: 'transfer' }),
        step('assign', 120, { agentId: 'bob', queueId: 'q2' }),
        step('transfer', 200, { to: { queueId: 'q1' } }),
        step('unassign', 200, { agentId: 'bob' }),
        step('session.queued', 200, { queueId: 'q1', fromQueueId: 'q2', trigger: 'transfer' }),
        step('assign', 230, { agentId: 'ann', queueId: 'q1' }),
        step('session.ended', 400, { closeBy: 'seat' }),
      ],
      [],
    );
    expect(f.visits.map((v) => [v.queueId, v.outcome, v.waitMs, v.transferred])).toEqual([
      ['q1', 'answered', 10_000, true],
      ['q2', 'answered', 20_000, true],
    ]);
    expect(f.conversation).toMatchObject({ transfers: 2, waitMs: 10_000, handleMs: 90_000 + 80_000 + 170_000 });
    expect(f.assignments.map((a) => a.agentId)).toEqual(['ann', 'bob', 'ann']);
  });

  it('a supervisor intercept is not a transfer', () => {
    const f = buildConversationFacts(
      conv(100),
      [step('session.queued', 0, { queueId: 'q1' }), step('assign', 5, { agentId: 'ann', queueId: 'q1' }), step('transfer', 50, { to: { agentId: 'sue' }, intercept: true }), step('unassign', 50, { agentId: 'ann' }), step('assign', 50, { agentId: 'sue', queueId: 'q1' })],
      [],
    );
    expect(f.conversation.transfers).toBe(0);
    expect(f.assignments.map((a) => [a.agentId, a.handleMs])).toEqual([
      ['ann', 45_000],
      ['sue', 50_000],
    ]);
  });
});
