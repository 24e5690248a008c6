import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SdkError } from './errors.ts';
import { createLogger } from './logger.ts';
import { Outbox, type OutboxOptions } from './outbox.ts';

interface Entry {
  clientId: string;
  conversationId: string | null;
  text: string;
}

/** A connection under the test's control: each transmit waits for the test to answer it. */
function harness(options: Partial<OutboxOptions<Entry, string>> = {}, saved: Entry[] = []) {
  let open = false;
  const sent: Entry[] = [];
  const answers: { entry: Entry; ack: () => void; refuse: (code: string) => void }[] = [];
  const stored: Entry[][] = [];
  const outbox = new Outbox<Entry, string>({
    log: createLogger('test', undefined),
    networkErrorCode: 'FD_SDK_NETWORK',
    storage: { load: () => saved, save: (entries) => void stored.push([...entries]) },
    isOpen: () => open,
    transmit: (entry) =>
      new Promise<string>((resolve, reject) => {
        sent.push(entry);
        answers.push({ entry, ack: () => resolve(`stored:${entry.clientId}`), refuse: (code) => reject(new SdkError(code, code)) });
      }),
    ...options,
  });
  const answer = () => {
    const next = answers.shift();
    if (!next) throw new Error('nothing was sent');
    return next;
  };
  return { outbox, sent, stored, answer, setOpen: (value: boolean) => (open = value) };
}

const entry = (clientId: string, conversationId: string | null = 'c1'): Entry => ({ clientId, conversationId, text: clientId });
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('the outbox resend policy', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('keeps a send while disconnected and sends it on the next connection; an ack settles it and empties the storage', async () => {
    const h = harness();
    const done = h.outbox.add(entry('a'));
    expect(h.sent).toEqual([]);
    expect(h.stored.at(-1)).toEqual([entry('a')]);
    h.setOpen(true);
    h.outbox.flush();
    h.answer().ack();
    await expect(done).resolves.toBe('stored:a');
    expect(h.outbox.entries()).toEqual([]);
    expect(h.stored.at(-1)).toEqual([]);
  });

  it('sends again with the same client id after the connection was lost before the answer, never twice at once', async () => {
    const h = harness();
    h.setOpen(true);
    const done = h.outbox.add(entry('a'));
    h.outbox.flush(); // already on its way: not written twice
    expect(h.sent.map((e) => e.clientId)).toEqual(['a']);
    h.answer().refuse('FD_SDK_NETWORK');
    await settle();
    expect(h.outbox.has('a')).toBe(true);
    h.outbox.flush();
    h.answer().ack();
    await expect(done).resolves.toBe('stored:a');
    expect(h.sent.map((e) => e.clientId)).toEqual(['a', 'a']);
  });

  it('retries a transient refusal after the delay, and fails a final one with the server code', async () => {
    const failed: string[] = [];
    const h = harness({ retryDelayMs: 1000, onFailed: (e, error) => failed.push(`${e.clientId}:${error.code}`) });
    h.setOpen(true);
    const a = h.outbox.add(entry('a'));
    h.answer().refuse('FD_STORAGE_UNAVAILABLE');
    await settle();
    expect(h.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(h.sent).toHaveLength(2);
    h.answer().refuse('FD_CONVERSATION_NOT_PARTICIPANT');
    await expect(a).rejects.toMatchObject({ code: 'FD_CONVERSATION_NOT_PARTICIPANT' });
    expect(failed).toEqual(['a:FD_CONVERSATION_NOT_PARTICIPANT']);
    expect(h.outbox.entries()).toEqual([]);
  });

  it('repairs a refusal once, and prepares an entry before each attempt', async () => {
    const h = harness({
      prepare: async (e) => (e.conversationId === null ? { ...e, conversationId: 'c2' } : e),
      repair: (e, error) => (error.code === 'FD_CONVERSATION_CLOSED' ? { ...e, conversationId: null } : null),
    });
    h.setOpen(true);
    const a = h.outbox.add(entry('a', 'c1'));
    await settle();
    h.answer().refuse('FD_CONVERSATION_CLOSED');
    await settle();
    expect(h.sent.map((e) => e.conversationId)).toEqual(['c1', 'c2']);
    h.answer().refuse('FD_CONVERSATION_CLOSED');
    await expect(a).rejects.toMatchObject({ code: 'FD_CONVERSATION_CLOSED' });
    expect(h.sent).toHaveLength(2);
  });

  it('restores what the storage kept, and a removed or rejected send settles its promise', async () => {
    const h = harness({}, [entry('old')]);
    expect(h.outbox.entries()).toEqual([entry('old')]);
    const b = h.outbox.add(entry('b'));
    h.outbox.remove('b', new SdkError('SDK_DESTROYED', 'discarded'));
    await expect(b).rejects.toMatchObject({ code: 'SDK_DESTROYED' });
    const c = h.outbox.add(entry('c'));
    h.outbox.rejectAll(new SdkError('SDK_KICKED_OUT', 'signed out'));
    await expect(c).rejects.toMatchObject({ code: 'SDK_KICKED_OUT' });
    expect(h.outbox.entries().map((e) => e.clientId)).toEqual(['old', 'c']);
  });
});
