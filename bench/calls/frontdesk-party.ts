import WebSocket from 'ws';
import type { Call, Jsep, PartyRef } from '@frontdesk/protocol';
import { publishPeer, subscribePeer, type PublisherPeer, type SubscriberPeer } from './peer.ts';

/**
 * One call party (a visitor or an agent) as a browser would be, without the browser: its
 * authenticated WebSocket to Frontdesk, the call frames it sends, and its werift legs, signalled
 * through that socket (publish, subscribe on `call.publisher`, answers, trickled candidates).
 */
export interface Party {
  /** Sends a request frame; resolves with the reply's data, rejects with its error code. */
  request<T = unknown>(frame: Record<string, unknown>): Promise<T>;
  /** Resolves with the first `call` event for `callId` (any call if null) that `accept` takes. */
  nextCall(callId: string | null, accept: (call: Call) => boolean): Promise<Call>;
  /** Publishes this party's media into the call. */
  publish(callId: string): Promise<PublisherPeer>;
  /** Resolves with the subscription to `publisher` made when its media is announced up. */
  subscription(callId: string, publisher: PartyRef): Promise<SubscriberPeer>;
  close(): Promise<void>;
}

type Waiter = { test: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void };
type ServerFrame = { type: string; id?: string; ok?: boolean; data?: unknown; error?: { code: string; message?: string }; call?: Call; callId?: string; legId?: string; candidate?: unknown; publisher?: PartyRef; up?: boolean };

const partyKey = (callId: string, p: PartyRef) => `${callId}|${p.role}|${p.id}`;

export async function connectParty(base: string, appId: string, token: string): Promise<Party> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/v1/ws?appId=${appId}`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  let nextId = 1;
  let closed = false;
  const pending = new Map<string, { resolve: (data: unknown) => void; reject: (err: Error) => void }>();
  const waiters = new Set<Waiter>();
  const legs = new Map<string, { addCandidate(c: never): Promise<void> }>();
  const earlyCandidates = new Map<string, unknown[]>();
  const subscriptions = new Map<string, Promise<SubscriberPeer>>();
  const wanted = new Map<string, (sub: Promise<SubscriberPeer>) => void>();

  const request = <T,>(frame: Record<string, unknown>): Promise<T> => {
    // NOTE: `ws` drops a frame sent on a closed socket without an error: a request would wait forever.
    if (closed) return Promise.reject(new Error(`socket closed: ${String(frame.type)} not sent`));
    const id = `r${nextId++}`;
    ws.send(JSON.stringify({ ...frame, id }));
    return new Promise<T>((resolve, reject) => pending.set(id, { resolve: resolve as (d: unknown) => void, reject }));
  };
  ws.once('close', (code: number) => {
    closed = true;
    for (const p of pending.values()) p.reject(new Error(`socket closed (${code}) before the reply`));
    pending.clear();
  });
  const track = (legId: string, peer: { addCandidate(c: never): Promise<void> }) => {
    legs.set(legId, peer);
    for (const c of earlyCandidates.get(legId) ?? []) void peer.addCandidate(c as never);
    earlyCandidates.delete(legId);
  };
  const subscribeTo = (callId: string, publisher: PartyRef) => {
    const key = partyKey(callId, publisher);
    const sub = subscribePeer({
      subscribe: () => request<{ legId: string; offer: Jsep }>({ type: 'call.subscribe', callId, publisher }),
      answer: async (legId, answer) => void (await request({ type: 'call.answer', callId, legId, answer })),
    });
    void sub.then((peer) => track(peer.legId, peer), () => {});
    subscriptions.set(key, sub);
    wanted.get(key)?.(sub);
  };

  ws.on('message', (data: WebSocket.RawData) => {
    const frame = JSON.parse(data.toString()) as ServerFrame;
    if (frame.type === 'reply' && frame.id) {
      const p = pending.get(frame.id);
      pending.delete(frame.id);
      if (frame.ok) p?.resolve(frame.data);
      else p?.reject(new Error(`${frame.error?.code}: ${frame.error?.message ?? ''}`));
      return;
    }
    if (frame.type === 'call.ice' && frame.legId) {
      const leg = legs.get(frame.legId);
      if (leg) void leg.addCandidate(frame.candidate as never);
      else earlyCandidates.set(frame.legId, [...(earlyCandidates.get(frame.legId) ?? []), frame.candidate]);
      return;
    }
    if (frame.type === 'call.publisher' && frame.up && frame.callId && frame.publisher) subscribeTo(frame.callId, frame.publisher);
    for (const w of waiters) {
      if (w.test(frame)) {
        waiters.delete(w);
        w.resolve(frame);
      }
    }
  });

  const hello = await request<{ heartbeatIntervalMs: number }>({ type: 'hello', token });
  // NOTE: the server closes a socket silent for three heartbeat intervals (60 s by default), as a
  // browser's client pings; without this a party idle through a 60 s call (or waiting for its turn)
  // lost its socket and its next request never came back.
  const heartbeat = setInterval(() => {
    if (!closed) ws.send(JSON.stringify({ type: 'ping' }));
  }, hello.heartbeatIntervalMs);
  heartbeat.unref();
  return {
    request,
    nextCall: (callId, accept) =>
      new Promise<Call>((resolve) => waiters.add({ test: (f) => f.type === 'call' && !!f.call && (callId === null || f.call.id === callId) && accept(f.call), resolve: (f) => resolve(f.call!) })),
    publish: async (callId) => {
      const peer = await publishPeer({ publish: (offer) => request<{ legId: string; answer: Jsep }>({ type: 'call.publish', callId, offer }) });
      track(peer.legId, peer);
      return peer;
    },
    subscription: (callId, publisher) => {
      const key = partyKey(callId, publisher);
      return subscriptions.get(key) ?? new Promise<SubscriberPeer>((resolve, reject) => wanted.set(key, (sub) => sub.then(resolve, reject)));
    },
    close: async () => {
      clearInterval(heartbeat);
      if (closed) return;
      const done = new Promise((r) => ws.once('close', r));
      ws.close();
      await done;
    },
  };
}
