import type { Call, CallKind, ServerFrame } from '@frontdesk/protocol';
import { afterEach, expect } from 'vitest';
import { FakeMediaServer } from '../src/modules/calls/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { apiOk, seedApp, startTestServer, TestClient, type StorageKind, type TestServer } from './helpers.ts';

export const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' } as const;
export const ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' } as const;

/**
 * The bed of the call tests: the real server on `storage` with a manual clock and the in-memory media
 * server, app `acme` seeded, and the steps every call test takes (connect, publish, a live call, read
 * the room's forwarding). Call it once in a `describe`: it closes the clients and the server after each
 * test. Each test file still sets what its calls need (agents' media types, the channel's calls).
 */
export function callTestBed(storage: StorageKind) {
  let server: TestServer | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
    server = undefined;
  });

  return async function startCallTest(env: Record<string, string> = {}) {
    const clock = new ManualClock(Date.UTC(2026, 0, 5, 10, 0));
    const media = new FakeMediaServer();
    const overrides = { clock, media };
    server = await startTestServer(storage, env, overrides);
    const srv = server;
    const s = await seedApp(srv, 'acme');
    const ok = (method: string, route: string, token: string, body?: unknown) => apiOk(srv.url, method, route, token, body);
    const connect = async (token: string, appId = 'acme') => {
      const client = await TestClient.connect(srv.wsUrl(appId));
      clients.push(client);
      const reply = await client.request({ type: 'hello', token });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return client;
    };
    /** An agent's socket, the agent free to take calls. */
    const agent = async (who: { token: string }) => {
      const client = await connect(who.token);
      expect((await client.request({ type: 'agent.status.set', status: 'free' })).ok).toBe(true);
      return client;
    };
    const callsOf = (client: TestClient) => client.events.flatMap((e) => (e.type === 'call' ? [e.call as Call] : []));
    const lastCall = (client: TestClient, callId: string) => callsOf(client).filter((c) => c.id === callId).at(-1);
    const notices = (client: TestClient, callId: string) => client.events.flatMap((e) => (e.type === 'call.notice' && e.callId === callId ? [e] : []));
    const roomOf = (callId: string) => [...media.rooms.values()].find((r) => r.request.callId === callId)!;
    /** Publishes for a party and brings its leg up in the media server. */
    const publishUp = async (client: TestClient, callId: string) => {
      const published = await client.request({ type: 'call.publish', callId, offer: OFFER });
      expect(published.ok, JSON.stringify(published)).toBe(true);
      media.emitLegEvent(roomOf(callId).ref, published.data.legId, { type: 'leg.up' });
      return published.data.legId as string;
    };
    /** The receivers → publishers of the subscriber legs in the call's room (what the media server forwards). */
    const forwarding = (callId: string) =>
      [...roomOf(callId).legs.values()]
        .filter((l) => l.kind === 'subscriber')
        .map((l) => `${l.participantId} <- ${l.publisherParticipantId}`)
        .sort();
    /** What the client was told of a publisher: up (subscribe) or down, in order. */
    const announced = (client: TestClient, publisherId: string) => client.events.filter((e): e is Extract<ServerFrame, { type: 'call.publisher' }> => e.type === 'call.publisher' && e.publisher.id === publisherId).map((e) => e.up);

    /** A new visitor's call answered by agent1 (who claimed its conversation), both published, active. */
    async function liveCall({ a1: connected, kind = 'video' }: { a1?: TestClient; kind?: CallKind } = {}) {
      const a1 = connected ?? (await agent(s.agent1));
      const session = await ok('POST', '/v1/visitor/session', '', { appId: 'acme' });
      const conversation = await ok('POST', '/v1/conversations', session.token);
      await ok('POST', `/v1/conversations/${conversation.id}/claim`, s.agent1.token);
      const v = await connect(session.token);
      const started = await v.request({ type: 'call.start', conversationId: conversation.id, kind });
      expect(started.ok, JSON.stringify(started)).toBe(true);
      const callId = started.data.call.id as string;
      await a1.waitFor(() => a1.events.some((e) => e.type === 'call' && e.call.id === callId && e.call.participants.some((p) => p.role === 'agent' && p.leg === 'ringing')));
      expect((await a1.request({ type: 'call.accept', callId })).ok).toBe(true);
      await v.waitFor(() => lastCall(v, callId)?.mediaReady === true);
      await publishUp(v, callId);
      await publishUp(a1, callId);
      await v.waitFor(() => lastCall(v, callId)?.phase === 'active');
      return { a1, v, callId, room: roomOf(callId), conversationId: conversation.id as string, visitorId: session.visitor.id as string, token: session.token as string };
    }

    return { clock, media, overrides, srv, s, ok, connect, agent, callsOf, lastCall, notices, roomOf, publishUp, forwarding, announced, liveCall };
  };
}
