import { CALL_END_REASONS, type Call, type Message } from '@frontdesk/protocol';
import { describe, expect, it } from 'vitest';
import { STRINGS } from '../locales/index.ts';
import { callLines, durationText, endReasonText, interleave, transcriptLines } from './call-transcript.ts';

const t = STRINGS.en;
const call = (patch: Partial<Call>): Call => ({
  id: 'call_1',
  appId: 'acme',
  conversationId: 'conv_1',
  kind: 'video',
  direction: 'inbound',
  phase: 'ended',
  visitorId: 'vis_1',
  mainAgentId: 'agt_1',
  mediaReady: true,
  participants: [],
  createdAt: 1_000,
  ringAt: 1_000,
  acceptedAt: 5_000,
  connectedAt: 6_000,
  endedAt: 157_000,
  endReason: 'agent_hung_up',
  hungUpSide: 'agent',
  ...patch,
});
const message = (seq: number, createdAt: number) => ({ id: `m${seq}`, seq, createdAt }) as Message;

describe('calls in the transcript', () => {
  it('says how a connected call ended and how long it lasted, and when it started', () => {
    expect(callLines([call({})], t).map((l) => [l.at, l.text])).toEqual([
      [6_000, 'Video call started'],
      [157_000, 'Video call ended (2:31): the agent hung up'],
    ]);
  });

  it('a call that never connected has one line, with why', () => {
    expect(callLines([call({ kind: 'audio', connectedAt: null, acceptedAt: null, endReason: 'released_by_routing' })], t).map((l) => l.text)).toEqual([
      'Voice call not connected: nobody could take your call',
    ]);
    expect(callLines([call({ connectedAt: null, endReason: 'cancelled' })], t)[0]!.text).toBe('Video call not connected: you cancelled');
  });

  it('a live call shows only its start; a ringing one nothing yet', () => {
    expect(callLines([call({ phase: 'active', endedAt: null, endReason: null })], t).map((l) => l.text)).toEqual(['Video call started']);
    expect(callLines([call({ phase: 'ringing', connectedAt: null, endedAt: null, endReason: null })], t)).toEqual([]);
  });

  it('every end reason has words of its own in every locale', () => {
    for (const strings of Object.values(STRINGS)) {
      const texts = CALL_END_REASONS.map((reason) => endReasonText(call({ endReason: reason }), strings));
      expect(texts.every((text) => text.length > 0)).toBe(true);
    }
  });

  it('places the call lines among the messages by time', () => {
    const lines = callLines([call({})], t);
    const items = interleave([message(1, 0), message(2, 10_000), message(3, 200_000)], lines);
    expect(items.map((i) => ('line' in i ? i.line.text : i.message.seq))).toEqual([1, 'Video call started', 2, 'Video call ended (2:31): the agent hung up', 3]);
  });

  it('formats durations as m:ss and h:mm:ss', () => {
    expect(durationText(0)).toBe('0:00');
    expect(durationText(75_000)).toBe('1:15');
    expect(durationText(3_725_000)).toBe('1:02:05');
  });

  it('a photo the agent took reads just before the photo, among the call lines; one it could not get says so', () => {
    const photo = message(2, 90_000);
    const lines = transcriptLines([call({})], [{ key: 'photo:p1', at: 89_999, isTaken: true }, { key: 'photo:p2', at: 120_000, isTaken: false }], t);
    expect(lines.map((l) => l.text)).toEqual([
      'Video call started',
      'The agent took a photo with your camera. It is in the conversation.',
      'The agent asked for a photo, but your camera could not take one.',
      'Video call ended (2:31): the agent hung up',
    ]);
    const items = interleave([message(1, 7_000), photo], lines).map((item) => ('message' in item ? item.message.id : item.line.key));
    expect(items).toEqual(['call_1:started', 'm1', 'photo:p1', 'm2', 'photo:p2', 'call_1:ended']);
  });
});
