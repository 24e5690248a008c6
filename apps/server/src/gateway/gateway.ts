import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES, ClientFrame, type ErrorCode, type HelloReply } from '@frontdesk/protocol';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Bus } from '../platform/bus.ts';
import type { Clock } from '../platform/clock.ts';
import { BusyError, DomainError } from '../platform/errors.ts';
import type { Logger } from '../platform/logger.ts';
import type { FrameHandler, FrameHandlers, ModuleFrameType } from '../platform/realtime/frame-handlers.ts';
import { isStorageUnavailable } from '../platform/storage/storage.ts';
import type { CallsService } from '../modules/calls/index.ts';
import type { ConversationsService } from '../modules/conversations/index.ts';
import type { IdentityService } from '../modules/identity/index.ts';
import type { Presence } from '../modules/presence/index.ts';
import type { RoutingService } from '../modules/routing/index.ts';
import type { TenancyService } from '../modules/tenancy/index.ts';
import { Connection, storageRetryDelayMs } from './connection.ts';
import { createFanOut } from './fan-out.ts';
import { createOverloadMonitor } from './overload.ts';
import { ConnectionRegistry } from './registry.ts';

export interface GatewayDeps {
  log: Logger;
  clock: Clock;
  bus: Bus;
  tenancy: TenancyService;
  identity: IdentityService;
  /** What a socket follows at hello, and the messages that fill a gap. */
  conversations: Pick<ConversationsService, 'conversationsOf' | 'readable' | 'messagesAfter' | 'sendRefusal'>;
  /** The live calls a socket's principal is in (told at hello, to rejoin). */
  calls: Pick<CallsService, 'liveCallsOf'>;
  /** Signs out an agent whose sockets are all gone. */
  routing: Pick<RoutingService, 'signOut'>;
  presence: Presence;
  /** Frame type → the module's handler (`<module>.frames.ts`). */
  frames: FrameHandlers;
  publicUrl: string;
  heartbeatIntervalMs: number;
  agentSignOutMs: number;
  /** Open sockets one client address may hold; 0 = no cap. */
  maxSocketsPerAddress: number;
  /** Authenticated sockets one visitor or agent may hold; 0 = no cap. */
  maxSocketsPerPrincipal: number;
}

const MAX_FRAME_BYTES = 64 * 1024;
const HELLO_TIMEOUT_MS = 10_000;
const RATE = { perSecond: 30, burst: 60 };
const MAX_RATE_VIOLATIONS = 50;
/** Frames of one socket waiting for their turn before it is no longer read; read again at RESUME_FRAMES_WAITING. */
const MAX_FRAMES_WAITING = 32;
const RESUME_FRAMES_WAITING = 8;
/** Frames that fail validation a socket may send before it is closed (4400): a client that keeps sending them is broken or hostile. */
const MAX_INVALID_FRAMES = 20;
/** Frames whose handler queues them in order before it first waits (group commit): a socket's next frame need not wait for their commit. */
const PIPELINED: ReadonlySet<unknown> = new Set(['message.send', 'location.send']);
// (They are also the frames answered FD_BUSY while the server is saturated: new work a client sends again by itself.)
const MAX_PIPELINED_SENDS = 64;
/** What a socket may send before hello. */
const BEFORE_HELLO: ReadonlySet<unknown> = new Set(['hello', 'ping']);
/**
 * NOTE: liveness, hello timeouts and rate limits run on real monotonic time, not the injected
 * clock: they guard the transport, and a test moving business time by hours must not make
 * every socket look silent.
 */
const transportNow = () => performance.now();

/** How long a shutdown waits for clients to answer the close frame before cutting their sockets. */
const SHUTDOWN_GRACE_MS = 1000;

/**
 * The WebSocket gateway: one socket per visitor or agent at /v1/ws?appId=…. The Origin is
 * checked against the app before the upgrade; the first frame must be `hello` with a token.
 * Every other frame goes to its module's handler (the dispatch table `frames`) and gets one
 * `reply` by id; events fan out to the sockets they concern (fan-out.ts).
 */
export function createGateway(deps: GatewayDeps) {
  const { log, clock, bus, tenancy, identity, conversations, calls, routing, presence, frames, publicUrl, heartbeatIntervalMs, agentSignOutMs } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false });
  const registry = new ConnectionRegistry();
  const rateViolations = new WeakMap<Connection, number>();
  /** Sends of a socket queued or being stored (PIPELINED frames). */
  const pipelined = new WeakMap<Connection, number>();
  /** Until when a socket's sends are refused (FD_BUSY), on the transport clock. */
  const busyUntil = new WeakMap<Connection, number>();
  const invalidFrames = new WeakMap<Connection, number>();
  const isOverCap = (count: number, cap: number) => cap > 0 && count >= cap;
  const overload = createOverloadMonitor({ maxMeanLagMs: 100, windowMs: 250, windows: 2 });

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname !== '/v1/ws') return rejectUpgrade(socket, 404, 'Not Found');
    const appId = url.searchParams.get('appId') ?? '';
    let app: Awaited<ReturnType<typeof tenancy.findAppForUpgrade>> | undefined;
    try {
      app = appId ? await tenancy.findAppForUpgrade(appId) : undefined;
    } catch (err) {
      // Not an unknown app: the database could not answer now (busy, down). The client reconnects.
      if (err instanceof BusyError || isStorageUnavailable(err)) return rejectUpgrade(socket, 503, 'Service Unavailable');
      app = undefined;
    }
    if (!app) return rejectUpgrade(socket, 404, 'Unknown app');
    if (!tenancy.isOriginAllowed(app, request.headers.origin, publicUrl)) return rejectUpgrade(socket, 403, 'Origin not allowed');
    // NOTE: the address is the TCP peer's (behind a proxy, the proxy's: raise the cap or set it to 0 there).
    const address = request.socket.remoteAddress ?? '';
    if (isOverCap(registry.countAtAddress(address), deps.maxSocketsPerAddress)) return rejectUpgrade(socket, 429, 'Too Many Connections');
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, app.id, address, socket));
  }

  function accept(ws: WebSocket, appId: string, address: string, wire: Duplex): void {
    const conn = new Connection(ws, appId, transportNow(), (conversationId, afterSeq, limit) => conversations.messagesAfter(appId, conversationId, afterSeq, limit), (err) => log.warn({ err }, 'resume fill failed'), RATE, address, wire);
    registry.addPending(conn);
    // One frame at a time per socket, in arrival order: a client's pipelined sends are stored
    // in the order it sent them, and their replies (fresh or found by client id) come in seq order.
    let frames: Promise<void> = Promise.resolve();
    // Backpressure: a socket with many frames waiting for their turn is not read further (TCP then
    // slows the client down) until they are done; what it sent is never dropped.
    let waiting = 0;
    ws.on('message', (data, isBinary) => {
      conn.lastFrameAt = transportNow();
      if (isBinary) return close(conn, CLOSE_CODES.protocolError, 'FD_WS_UNKNOWN_FRAME');
      if (++waiting >= MAX_FRAMES_WAITING) ws.pause();
      frames = frames
        .then(() => onFrame(conn, data))
        .catch((err) => log.error({ err }, 'frame handler failed'))
        .finally(() => {
          if (--waiting <= RESUME_FRAMES_WAITING && ws.isPaused) ws.resume();
        });
    });
    ws.on('close', () => {
      for (const listener of conn.closeListeners.splice(0)) listener();
      registry.remove(conn);
      if (conn.principal) presence.disconnected(conn.id);
      if (conn.principal?.kind === 'agent') signOutLater(conn.principal.appId, conn.principal.agentId);
    });
    ws.on('error', () => ws.terminate());
  }

  async function onFrame(conn: Connection, data: RawData): Promise<void> {
    // Every frame costs a token, whatever it is and whoever sends it: parsing and answering are work too.
    const hasToken = conn.takeToken(transportNow());
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return close(conn, CLOSE_CODES.protocolError, 'FD_REQ_INVALID');
    }
    const { id, type } = envelopeOf(json);
    if (!conn.principal && !BEFORE_HELLO.has(type)) return close(conn, CLOSE_CODES.notAuthenticated, 'FD_WS_NOT_AUTHENTICATED');
    // Saturated (the process, or the send queue): new messages are turned away before any work (they
    // are retried); everything else goes on.
    if (id && PIPELINED.has(type)) {
      const retryAfterMs = busyFor(conn);
      if (retryAfterMs !== undefined) return replyError(conn, id, 'FD_BUSY', 'the server is busy: send again shortly', retryAfterMs);
    }
    if (!hasToken) {
      const violations = (rateViolations.get(conn) ?? 0) + 1;
      rateViolations.set(conn, violations);
      if (violations > MAX_RATE_VIOLATIONS) return close(conn, CLOSE_CODES.rateLimited, 'FD_REQ_RATE_LIMITED');
      if (id) replyError(conn, id, 'FD_REQ_RATE_LIMITED', 'too many frames, slow down');
      return;
    }
    const parsed = ClientFrame.safeParse(json);
    if (!parsed.success) {
      const unknownType = !ClientFrame.options.some((o) => o.shape.type.value === type);
      const code: ErrorCode = unknownType ? 'FD_WS_UNKNOWN_FRAME' : 'FD_REQ_INVALID';
      const invalid = (invalidFrames.get(conn) ?? 0) + 1;
      invalidFrames.set(conn, invalid);
      if (invalid > MAX_INVALID_FRAMES) return close(conn, CLOSE_CODES.protocolError, code);
      if (id) replyError(conn, id, code, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      // A hello that is not one (no token…) ends the socket: nothing else may come before hello.
      if (!conn.principal) close(conn, CLOSE_CODES.protocolError, code);
      return;
    }
    const frame = parsed.data;
    if (frame.type === 'ping') return conn.send({ type: 'pong', serverTime: clock.now() });
    if (frame.type === 'hello') return hello(conn, frame);
    const principal = conn.principal;
    if (!principal) return close(conn, CLOSE_CODES.notAuthenticated, 'FD_WS_NOT_AUTHENTICATED');
    const handler = frames[frame.type] as FrameHandler<ModuleFrameType>;
    const answered = (async () => {
      try {
        const data = await handler(frame as Extract<ClientFrame, { type: ModuleFrameType }>, {
          principal,
          follow: (conversationId, afterSeq) => {
            conn.follow(conversationId, afterSeq);
            // An agent following a conversation it does not serve (an offer, a pool, a claim by hand) watches it.
            if (principal.kind === 'agent') registry.watch(conversationId, conn);
          },
          send: (serverFrame) => conn.send(serverFrame),
          onClose: (listener) => (conn.socket.readyState === conn.socket.CLOSED ? listener() : void conn.closeListeners.push(listener)),
        });
        if ('id' in frame) replyOk(conn, frame.id, data);
      } catch (err) {
        if ('id' in frame) return replyFailure(conn, frame.id, err);
        if (!(err instanceof DomainError)) log.error({ err }, 'frame failed');
      }
    })();
    // NOTE: a send is queued for its group commit (in order) before its handler first waits, so the
    // socket's next frame may start at once: a client's pipelined sends share batches instead of each
    // waiting for the commit of the one before (which capped a socket at one send per commit). Up to
    // MAX_PIPELINED_SENDS of a socket are in flight; every other frame waits for the one before.
    if (!PIPELINED.has(frame.type)) return answered;
    const inFlight = (pipelined.get(conn) ?? 0) + 1;
    pipelined.set(conn, inFlight);
    const done = answered.finally(() => pipelined.set(conn, (pipelined.get(conn) ?? 1) - 1));
    if (inFlight >= MAX_PIPELINED_SENDS) await done;
  }

  /**
   * Whether this socket's send is refused now, for how long. NOTE: once a socket was told FD_BUSY its
   * later sends are refused too until that time has passed, so that none overtakes the refused one:
   * a client that sends them again in order (after the hint) gets them stored in order.
   */
  function busyFor(conn: Connection): number | undefined {
    const now = transportNow();
    const until = busyUntil.get(conn) ?? 0;
    if (now < until) return Math.ceil(until - now);
    const retryAfterMs = overload.isSaturated() ? overload.retryAfterMs() : conversations.sendRefusal();
    if (retryAfterMs !== undefined) busyUntil.set(conn, now + retryAfterMs);
    return retryAfterMs;
  }

  async function hello(conn: Connection, frame: Extract<ClientFrame, { type: 'hello' }>): Promise<void> {
    if (conn.principal) return replyError(conn, frame.id, 'FD_REQ_INVALID', 'already authenticated');
    try {
      const principal = await identity.resolvePrincipal(frame.token);
      if (principal.appId !== conn.appId) throw new DomainError('FD_AUTH_TOKEN_INVALID', 'token is for another app');
      if (principal.kind === 'apiKey') throw new DomainError('FD_AUTH_FORBIDDEN', 'API keys use the REST API');
      if (isOverCap(registry.countOf(principal), deps.maxSocketsPerPrincipal)) {
        replyError(conn, frame.id, 'FD_REQ_RATE_LIMITED', `at most ${deps.maxSocketsPerPrincipal} open sockets per user: close one first`);
        return close(conn, CLOSE_CODES.rateLimited, 'FD_REQ_RATE_LIMITED');
      }
      // Before the read: what moves after it is read again from storage once followed.
      const mark = fanOut.mark();
      const followed = await conversations.conversationsOf(principal);
      const resume = frame.resume ?? {};
      for (const [conversationId] of Object.entries(resume)) {
        if (!followed.some((c) => c.id === conversationId)) followed.push(await conversations.readable(principal, conversationId));
      }
      const liveCalls = await calls.liveCallsOf(principal);
      conn.principal = principal;
      registry.authenticate(conn);
      presence.connected(conn.id, principal.appId, principal.kind, principal.kind === 'agent' ? principal.agentId : principal.visitorId);
      const reply: HelloReply = {
        principal: principal.kind === 'visitor' ? { type: 'visitor', id: principal.visitorId, appId: principal.appId } : { type: 'agent', id: principal.agentId, appId: principal.appId },
        heartbeatIntervalMs,
        conversations: followed,
        calls: liveCalls,
      };
      replyOk(conn, frame.id, reply);
      // NOTE: nothing may await between authenticate and follow: live events of the window would
      // overtake the catch-up (seq out of order).
      for (const conversation of followed) {
        const from = resume[conversation.id] ?? conversation.lastSeq;
        conn.follow(conversation.id, from, from === conversation.lastSeq && !fanOut.movedSince(conversation.id, mark));
      }
      if (principal.kind === 'agent') {
        for (const c of followed) {
          if (c.agentId === principal.agentId) registry.hold(c.id, [conn]);
          else if (c.status === 'open') registry.watch(c.id, conn);
        }
      }
      // A login that replaced this session during the hello published its kick before the socket was
      // registered; checked again now that any later kick finds it (SPEC M6).
      if (principal.kind === 'agent' && principal.sessionId) await kickIfReplaced(conn, principal.appId, principal.agentId, principal.sessionId);
    } catch (err) {
      replyFailure(conn, frame.id, err);
      close(conn, CLOSE_CODES.notAuthenticated, 'FD_WS_NOT_AUTHENTICATED');
    }
  }

  /**
   * Closes an agent's socket whose session a later login replaced. NOTE: the hello was answered
   * already: storage busy or away is asked again until it answers (the socket stays meanwhile),
   * instead of closing a socket that was told it is signed in as if its token were bad.
   */
  async function kickIfReplaced(conn: Connection, appId: string, agentId: string, sessionId: string): Promise<void> {
    for (let attempt = 0; conn.socket.readyState === conn.socket.OPEN; attempt++) {
      try {
        await identity.assertAgentSessionLive(appId, agentId, sessionId);
        return;
      } catch (err) {
        if (err instanceof BusyError || isStorageUnavailable(err) || (err instanceof DomainError && err.code === 'FD_STORAGE_UNAVAILABLE')) {
          await new Promise((resolve) => setTimeout(resolve, storageRetryDelayMs(attempt, err)));
          continue;
        }
        if (!(err instanceof DomainError)) throw err;
        conn.send({ type: 'kicked', reason: 'replaced' });
        return close(conn, CLOSE_CODES.sessionReplaced, 'FD_AUTH_SESSION_REPLACED');
      }
    }
  }

  function replyOk(conn: Connection, id: string, data: unknown): void {
    conn.send({ type: 'reply', id, ok: true, data });
  }
  function replyError(conn: Connection, id: string, code: ErrorCode, message: string, retryAfterMs?: number): void {
    conn.send({ type: 'reply', id, ok: false, error: retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs } });
  }
  function replyFailure(conn: Connection, id: string, err: unknown): void {
    if (err instanceof BusyError) return replyError(conn, id, err.code, err.message, err.retryAfterMs);
    if (err instanceof DomainError) return replyError(conn, id, err.code, err.message);
    if (isStorageUnavailable(err)) return replyError(conn, id, 'FD_STORAGE_UNAVAILABLE', 'storage is unavailable, try again shortly');
    log.error({ err }, 'request failed');
    replyError(conn, id, 'FD_INTERNAL', 'internal error');
  }
  function close(conn: Connection, code: number, reason: string): void {
    conn.socket.close(code, reason);
  }

  const fanOut = createFanOut(registry, close);
  const unsubscribe = bus.subscribe((event) => fanOut.onBusEvent(event));

  /**
   * An agent whose last socket on this node closed is signed out after a grace period, so that
   * offers do not ring for someone who left; a reconnect within it (a reload), on this node or
   * another (presence), changes nothing.
   */
  const signOuts = new Map<string, NodeJS.Timeout>();
  function signOutLater(appId: string, agentId: string): void {
    if (registry.hasAgent(agentId) || signOuts.has(agentId)) return;
    const timer = setTimeout(() => {
      signOuts.delete(agentId);
      if (registry.hasAgent(agentId)) return;
      presence
        .isConnected(appId, agentId)
        .then((connected) => (connected ? undefined : routing.signOut(appId, agentId)))
        .catch((err) => log.warn({ err, agentId }, 'sign-out after disconnect failed'));
    }, agentSignOutMs);
    timer.unref();
    signOuts.set(agentId, timer);
  }

  // Heartbeat: clients ping every interval; a socket silent for three intervals is dead.
  // NOTE: pings are app-level frames because browsers can neither send nor observe ws pings.
  const sweep = setInterval(() => {
    const now = transportNow();
    for (const conn of registry.all()) {
      if (!conn.principal && now - conn.openedAt > HELLO_TIMEOUT_MS) close(conn, CLOSE_CODES.notAuthenticated, 'FD_WS_NOT_AUTHENTICATED');
      else if (now - conn.lastFrameAt > 3 * heartbeatIntervalMs) conn.socket.terminate();
    }
  }, Math.min(heartbeatIntervalMs, HELLO_TIMEOUT_MS));
  sweep.unref();

  return {
    handleUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      handleUpgrade(request, socket, head).catch((err) => {
        log.error({ err }, 'upgrade failed');
        rejectUpgrade(socket, 500, 'Internal Error');
      }),
    connectionCount: () => registry.size(),
    /** After-commit listener of `routing.decided` (every node). */
    onRoutingDecided: fanOut.onRoutingDecided,
    /** A frame for a visitor's sockets on this node. */
    toVisitor: fanOut.toVisitor,
    toSupervisors: fanOut.toSupervisors,
    hasSupervisors: (appId: string): boolean => [...registry.supervisorsOfApp(appId)].length > 0,
    async close(): Promise<void> {
      clearInterval(sweep);
      overload.close();
      for (const timer of signOuts.values()) clearTimeout(timer);
      unsubscribe();
      const open = [...registry.all()];
      for (const conn of open) close(conn, CLOSE_CODES.serverShutdown, 'FD_SERVER_SHUTTING_DOWN');
      wss.close();
      // NOTE: a close handshake waits for the peer's answer (up to 30 s in ws), and the HTTP server
      // cannot finish closing while an upgraded socket is open; peers that have not answered within
      // SHUTDOWN_GRACE_MS are cut off.
      const closed = (conn: Connection) => conn.socket.readyState === conn.socket.CLOSED;
      for (const until = Date.now() + SHUTDOWN_GRACE_MS; open.some((c) => !closed(c)) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 20));
      for (const conn of open) if (!closed(conn)) conn.socket.terminate();
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;

/** The `id` and `type` of a frame, when they are what the protocol says they are (before validation). */
function envelopeOf(json: unknown): { id: string | undefined; type: unknown } {
  if (typeof json !== 'object' || json === null) return { id: undefined, type: undefined };
  const { id, type } = json as { id?: unknown; type?: unknown };
  return { id: typeof id === 'string' && id.length > 0 && id.length <= 64 ? id : undefined, type };
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
}
