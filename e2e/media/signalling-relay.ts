import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IceCandidate, Jsep, MediaEvent, MediaRoomRef, MediaServer } from '../../apps/server/src/modules/calls/media/index.ts';

/**
 * A minimal signalling relay for media tests (the product's signalling comes with the call shell): one
 * WebSocket per party, JSON requests with an `id` answered by a reply with the same `id`, and the
 * media server's events for that party's legs pushed as they come. It serves a blank page at `/` so
 * that the browser has a secure origin (http://127.0.0.1) for getUserMedia.
 */
export type RelayRequest =
  | { id: number; type: 'publish'; offer: Jsep }
  | { id: number; type: 'renegotiate'; legId: string; offer: Jsep }
  | { id: number; type: 'subscribe'; publisherParticipantId: string }
  | { id: number; type: 'answer'; legId: string; answer: Jsep }
  | { id: number; type: 'restart-ice'; legId: string }
  | { id: number; type: 'candidate'; legId: string; candidate: IceCandidate | null };

export type RelayPush = { type: 'reply'; id: number; ok: true; result: unknown } | { type: 'reply'; id: number; ok: false; error: string } | { type: 'event'; event: MediaEvent };

export interface SignallingRelay {
  /** The page to open in each party's browser. */
  pageUrl: string;
  /** The WebSocket URL a party connects to with `?participant=<id>`. */
  signalUrl: string;
  /** Every request the relay served, for assertions and timings. */
  readonly log: { participantId: string; type: RelayRequest['type']; atMs: number }[];
  close(): Promise<void>;
}

export async function startSignallingRelay(media: MediaServer, room: () => MediaRoomRef): Promise<SignallingRelay> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><meta charset="utf-8"><title>media test</title><body></body>');
  });
  const wss = new WebSocketServer({ server, path: '/signal' });
  const parties = new Map<string, WebSocket>();
  const log: SignallingRelay['log'] = [];

  const offEvents = media.onEvent((event) => {
    if (!('participantId' in event)) {
      for (const socket of parties.values()) socket.send(JSON.stringify({ type: 'event', event } satisfies RelayPush));
      return;
    }
    parties.get(event.participantId)?.send(JSON.stringify({ type: 'event', event } satisfies RelayPush));
  });

  wss.on('connection', (socket, req) => {
    const participantId = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('participant') ?? 'anonymous';
    parties.set(participantId, socket);
    socket.on('close', () => parties.get(participantId) === socket && parties.delete(participantId));
    socket.on('message', (data) => {
      const request = JSON.parse(String(data)) as RelayRequest;
      log.push({ participantId, type: request.type, atMs: Date.now() });
      handle(participantId, request).then(
        (result) => socket.send(JSON.stringify({ type: 'reply', id: request.id, ok: true, result } satisfies RelayPush)),
        (err: Error) => socket.send(JSON.stringify({ type: 'reply', id: request.id, ok: false, error: err.message } satisfies RelayPush)),
      );
    });
  });

  function handle(participantId: string, request: RelayRequest): Promise<unknown> {
    switch (request.type) {
      case 'publish':
        return media.publish({ room: room(), participantId, offer: request.offer });
      case 'renegotiate':
        return media.renegotiatePublisher({ room: room(), legId: request.legId, offer: request.offer });
      case 'subscribe':
        return media.subscribe({ room: room(), participantId, publisherParticipantId: request.publisherParticipantId });
      case 'answer':
        return media.acceptAnswer({ room: room(), legId: request.legId, answer: request.answer });
      case 'restart-ice':
        return media.restartSubscriberIce({ room: room(), legId: request.legId });
      case 'candidate':
        return media.addIceCandidate({ room: room(), legId: request.legId, candidate: request.candidate });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    pageUrl: `http://127.0.0.1:${port}/`,
    signalUrl: `ws://127.0.0.1:${port}/signal`,
    log,
    async close() {
      offEvents();
      for (const socket of wss.clients) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
