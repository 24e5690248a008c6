import Janode, { type JanodeConnection, type JanodePlugin, type JanodeSession } from 'janode';
import { MediaError } from '../media.errors.ts';

export interface JanusTransportOptions {
  /** The Janus WebSocket API, e.g. ws://127.0.0.1:8188 (never exposed to browsers). */
  url: string;
  /** Janus `api_secret`, when the instance has one. */
  apiSecret?: string;
  /** Every request fails with `media-timeout` after this long. Default 10 s. */
  requestTimeoutMs?: number;
  /** Session keep-alive period; Janus drops sessions silent for `session_timeout` (60 s). Default 25 s. */
  keepAliveSecs?: number;
}

/**
 * One connection and one Janus session per instance, shared by every plugin client (VideoRoom now,
 * AudioBridge later). Model: LiveKit server-sdk's `TwirpRPC` under its service clients.
 */
export interface JanusTransport {
  attach<H>(plugin: JanodePlugin<H>): Promise<H>;
  /** Called once when the connection or the session is lost (not after `close`). */
  onLost(listener: (reason: string) => void): void;
  /** Bounded by `requestTimeoutMs`: Janus that stops answering must not hang a call. */
  request<T>(what: string, op: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// NOTE: janode logs to the console at "info" by default (one line per request); we log ourselves.
Janode.Logger.setLevel('none');

export async function openJanusTransport(options: JanusTransportOptions): Promise<JanusTransport> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const request = <T>(what: string, op: Promise<T>) => withTimeout(op, requestTimeoutMs, what);
  const address = { url: options.url, ...(options.apiSecret ? { apisecret: options.apiSecret } : {}) };
  // NOTE: one attempt (max_retries 0): reconnecting is the instance's policy, not janode's fixed 10 s.
  const connection: JanodeConnection = await request('connect', Janode.connect({ address, max_retries: 0 }));
  let session: JanodeSession;
  try {
    session = await request('create session', connection.create(options.keepAliveSecs ?? 25));
  } catch (err) {
    await connection.close().catch(() => {});
    throw err;
  }
  let closing = false;
  let lost: ((reason: string) => void) | undefined;
  let lostReason: string | undefined;
  const signalLost = (reason: string) => {
    if (closing || lostReason !== undefined) return;
    lostReason = reason;
    lost?.(reason);
  };
  connection.once(Janode.EVENT.CONNECTION_ERROR, (err: Error) => signalLost(`connection lost: ${err.message}`));
  connection.once(Janode.EVENT.CONNECTION_CLOSED, () => signalLost('connection closed'));
  // NOTE: janode destroys the session first when the connection drops; the connection's reason is the better one.
  session.once(Janode.EVENT.SESSION_DESTROYED, () => setImmediate(() => signalLost('session destroyed')));

  return {
    attach: (plugin) => request(`attach ${plugin.id}`, session.attach(plugin)),
    onLost(listener) {
      lost = listener;
      if (lostReason !== undefined) listener(lostReason);
    },
    request,
    async close() {
      closing = true;
      await withTimeout(session.destroy(), requestTimeoutMs, 'destroy session').catch(() => {});
      await connection.close().catch(() => {});
    },
  };
}

function withTimeout<T>(op: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MediaError('media-timeout', `Janus did not answer "${what}" within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([op, timeout]).finally(() => clearTimeout(timer));
}
