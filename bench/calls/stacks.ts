import fs from 'node:fs';
import path from 'node:path';
import type { MediaServer } from '../../apps/server/src/modules/calls/media/index.ts';
import type { CallJoin, PartyRef } from '@frontdesk/protocol';
import { APP_ID, createAppWithCli, freePort, startServer, type ServerOptions, type ServerProcess } from '../realtime/fullstack.ts';
import { api, mapLimited, sleep } from '../realtime/http.ts';
import { connectParty, type Party } from './frontdesk-party.ts';
import { janusSignalling, publishPeer, subscribePeer, type PublisherPeer, type SubscriberPeer } from './peer.ts';

/**
 * The two stacks the calls bench compares, behind one interface: a 1:1 audio+video call between
 * two werift parties, set up (timed from the agent's accept to both parties receiving the other's
 * audio and video) and hung up.
 *  - bare Janus: our `MediaServer` port (janode) in this process, no Frontdesk; "accept" is the
 *    room's creation, then both publish and subscribe to each other.
 *  - full stack: the real server process (`bin/frontdesk.js start`, SQLite, the Janus it starts and
 *    supervises); a visitor starts a video call in its conversation over the WebSocket, the
 *    conversation's agent is rung and accepts, both publish once the room is ready and subscribe
 *    when the other's media is announced, every SDP and candidate through our WebSocket.
 */
export interface LiveCall {
  /** ms from accept to every subscriber's first audio and video RTP packet. */
  acceptToMediaMs: number;
  publishers: PublisherPeer[];
  subscribers: SubscriberPeer[];
  hangUp(): Promise<void>;
}

export interface Stack {
  name: string;
  /** The processes whose CPU is measured: Janus, and our server in the full stack. */
  janusPid(): number;
  serverPid?: number;
  /** The full stack's server URL. */
  baseUrl?: string;
  /** Sets up call `slot` (0 … slots-1; a slot holds one call at a time). */
  call(slot: number): Promise<LiveCall>;
  close(): Promise<void>;
}

type Tracks = { add(p: PublisherPeer): void; remove(p: PublisherPeer): void };

async function firstMedia(subscribers: SubscriberPeer[]): Promise<void> {
  await Promise.all(subscribers.flatMap((s) => [s.firstRtpAfterMs.audio, s.firstRtpAfterMs.video]));
}

export function bareJanus(media: MediaServer & { supervisor: { pid(): number | undefined } }, source: Tracks): Stack {
  let seq = 0;
  return {
    name: 'bare Janus',
    janusPid: () => media.supervisor.pid()!,
    async call() {
      const t0 = performance.now();
      const room = await media.createRoom({ callId: `bare-${seq++}` });
      const v = janusSignalling(media, room, 'visitor');
      const a = janusSignalling(media, room, 'agent');
      const publishers = await Promise.all([publishPeer(v), publishPeer(a)]);
      publishers.forEach((p) => source.add(p));
      const subscribers = await Promise.all([subscribePeer(a.subscribeTo('visitor')), subscribePeer(v.subscribeTo('agent'))]);
      await firstMedia(subscribers);
      return {
        acceptToMediaMs: performance.now() - t0,
        publishers,
        subscribers,
        hangUp: async () => {
          publishers.forEach((p) => source.remove(p));
          await Promise.all([...publishers, ...subscribers].map((p) => p.close()));
          await media.destroyRoom(room);
        },
      };
    },
    close: async () => {},
  };
}

interface Pair {
  visitor: Party;
  agent: Party;
  visitorRef: PartyRef;
  agentRef: PartyRef;
  conversationId: string;
}

const PASSWORD = 'bench-password-1';

/** The server in its own data dir with `slots` agents, each with one claimed visitor conversation. */
export async function fullStack(repoRoot: string, dataDir: string, slots: number, source: Tracks): Promise<Stack> {
  const opts: ServerOptions = {
    repoRoot,
    port: await freePort(),
    dataDir,
    extraEnv: { FRONTDESK_MEDIA: 'local', FRONTDESK_MEDIA_ICE_ADDRESS: '127.0.0.2' },
  };
  await createAppWithCli(opts);
  const server: ServerProcess = await startServer(opts);
  const base = server.base;
  const janusPidFile = path.join(dataDir, 'janus', 'janus.pid');
  const pairs: Pair[] = [];
  try {
    const admin = await api<{ token: string }>(base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email: `admin@${APP_ID}.test`, password: PASSWORD } });
    const { channels } = await api<{ channels: { id: string }[] }>(base, 'GET', '/v1/channels', { token: admin.token });
    await api(base, 'PATCH', `/v1/channels/${channels[0]!.id}`, { token: admin.token, body: { calls: { audio: true, video: true } } });
    pairs.push(
      ...(await mapLimited(
        Array.from({ length: slots }, (_, i) => i),
        4,
        async (i): Promise<Pair> => {
          const email = `agent${i}@${APP_ID}.test`;
          const created = await api<{ id: string }>(base, 'POST', '/v1/agents', {
            token: admin.token,
            body: { email, password: PASSWORD, role: 'agent', mediaTypes: ['chat', 'audio', 'video'], maxConcurrentChats: 5 },
          });
          const login = await api<{ token: string }>(base, 'POST', '/v1/auth/login', { body: { appId: APP_ID, email, password: PASSWORD } });
          const session = await api<{ token: string; visitor: { id: string } }>(base, 'POST', '/v1/visitor/session', { body: { appId: APP_ID } });
          const conversation = await api<{ id: string }>(base, 'POST', '/v1/conversations', { token: session.token });
          await api(base, 'POST', `/v1/conversations/${conversation.id}/claim`, { token: login.token });
          const [visitor, agent] = await Promise.all([connectParty(base, APP_ID, session.token), connectParty(base, APP_ID, login.token)]);
          await agent.request({ type: 'agent.status.set', status: 'free' });
          return { visitor, agent, visitorRef: { role: 'visitor', id: session.visitor.id }, agentRef: { role: 'agent', id: created.id }, conversationId: conversation.id };
        },
      )),
    );
    // The server answers before its Janus is up: wait for the pid file.
    for (const deadline = Date.now() + 30_000; !fs.existsSync(janusPidFile); await sleep(100)) {
      if (Date.now() > deadline) throw new Error('the server did not start its Janus within 30 s');
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    name: 'full stack',
    baseUrl: base,
    janusPid: () => Number(fs.readFileSync(janusPidFile, 'utf8').trim()),
    serverPid: server.pid,
    async call(slot) {
      const { visitor, agent, visitorRef, agentRef, conversationId } = pairs[slot]!;
      const ringing = agent.nextCall(null, (c) => c.phase === 'ringing');
      const join = await startWhenMediaIsUp(visitor, conversationId);
      const callId = join.call.id;
      await ringing;
      const ready = (party: Party) => party.nextCall(callId, (c) => c.mediaReady && (c.phase === 'connecting' || c.phase === 'active'));
      const roomReady = [ready(visitor), ready(agent)];
      const t0 = performance.now();
      await agent.request({ type: 'call.accept', callId });
      const publishers = await Promise.all([visitor, agent].map(async (party, i) => {
        await roomReady[i];
        const pub = await party.publish(callId);
        source.add(pub);
        return pub;
      }));
      const subscribers = await Promise.all([agent.subscription(callId, visitorRef), visitor.subscription(callId, agentRef)]);
      await firstMedia(subscribers);
      return {
        acceptToMediaMs: performance.now() - t0,
        publishers,
        subscribers,
        hangUp: async () => {
          publishers.forEach((p) => source.remove(p));
          const ended = agent.nextCall(callId, (c) => c.phase === 'ended');
          await visitor.request({ type: 'call.hangup', callId });
          await ended;
          await Promise.all([...publishers, ...subscribers].map((p) => p.close()));
          // The agent is back to free once the call's end is applied; the next call on this slot rings it.
        },
      };
    },
    async close() {
      await Promise.all(pairs.flatMap((p) => [p.visitor.close(), p.agent.close()]));
      const janus = Number(fs.readFileSync(janusPidFile, 'utf8').trim());
      await server.stop();
      // A server stopped with calls in progress leaves its Janus for the next process to adopt: none comes.
      if (fs.existsSync(`/proc/${janus}`)) process.kill(janus, 'SIGKILL');
    },
  };
}

/** `call.start`, retried while the server's Janus is still coming up (FD_CALL_MEDIA_UNAVAILABLE). */
async function startWhenMediaIsUp(visitor: Party, conversationId: string): Promise<CallJoin> {
  for (const deadline = Date.now() + 30_000; ; await sleep(200)) {
    try {
      return await visitor.request<CallJoin>({ type: 'call.start', conversationId, kind: 'video' });
    } catch (err) {
      if (!String(err).includes('MEDIA_UNAVAILABLE') || Date.now() > deadline) throw err;
    }
  }
}
