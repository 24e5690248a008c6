/**
 * The extension's service worker: redeems the agent's code for a session of the conversation's
 * visitor, holds the WebSocket (its origin, chrome-extension://<id>, must be one of the app's
 * allowed origins), starts the co-browse (typing the code and pressing "Share" is the consent),
 * injects the capture into the tab and relays between the two.
 */
import type { PrivacyRules } from '@frontdesk/cobrowse/capture';

/** The conversation's channel settings the capture applies, as the widget's does. */
interface CaptureRules {
  rules: PrivacyRules;
  pausedPages: string[];
}

interface Sharing {
  tabId: number;
  sessionId: string | null;
  ws: WebSocket;
  port: chrome.runtime.Port | null;
  rules: CaptureRules;
}

type Reply = { ok: boolean; data?: unknown; error?: { code: string; message: string } };

let sharing: Sharing | null = null;
let requestId = 0;
const waiters = new Map<string, { ws: WebSocket; settle: (reply: Reply) => void }>();

function request(ws: WebSocket, frame: Record<string, unknown>): Promise<unknown> {
  const id = `x${++requestId}`;
  return new Promise((resolve, reject) => {
    waiters.set(id, { ws, settle: (reply) => (reply.ok ? resolve(reply.data) : reject(new Error(reply.error?.message ?? 'refused'))) });
    ws.send(JSON.stringify({ ...frame, id }));
  });
}

/** A socket closed: its requests get no reply (the popup says so instead of waiting for ever). */
function failWaiters(ws: WebSocket): void {
  for (const [id, waiter] of waiters) {
    if (waiter.ws !== ws) continue;
    waiters.delete(id);
    waiter.settle({ ok: false, error: { code: 'closed', message: 'The connection to the support server closed.' } });
  }
}

/**
 * The masking, blocking and paused pages of the conversation's channel: a page shared without the
 * widget keeps the site's rules. Sharing fails when they cannot be read (nothing is sent unmasked).
 */
async function channelRules(server: string, token: string, conversationId: string): Promise<CaptureRules> {
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${server}${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`The server refused (${response.status}).`);
    return (await response.json()) as T;
  };
  const { channelId } = await get<{ channelId: string | null }>(`/v1/conversations/${encodeURIComponent(conversationId)}`);
  const { cobrowse } = await get<{ cobrowse: PrivacyRules & { pausedPages: string[] } }>(`/v1/channels/${encodeURIComponent(channelId ?? 'default')}/public`);
  return { rules: { maskSelectors: cobrowse.maskSelectors, blockSelectors: cobrowse.blockSelectors, unmaskSelectors: cobrowse.unmaskSelectors }, pausedPages: cobrowse.pausedPages };
}

async function share(input: { server: string; appId: string; code: string; tabId: number }): Promise<{ sessionId: string }> {
  stop();
  const server = input.server.replace(/\/+$/, '');
  const joined = await fetch(`${server}/v1/cobrowse/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId: input.appId, code: input.code }) });
  if (!joined.ok) throw new Error(joined.status === 404 ? 'This code is not valid (wrong, used or expired).' : `The server refused (${joined.status}).`);
  const { token, conversationId } = (await joined.json()) as { token: string; conversationId: string };
  const rules = await channelRules(server, token, conversationId);
  const ws = new WebSocket(`${server.replace(/^http/, 'ws')}/v1/ws?appId=${encodeURIComponent(input.appId)}`);
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve(), { once: true });
    ws.addEventListener('error', () => reject(new Error('Could not reach the support server (is this extension allowed by the app?).')), { once: true });
  });
  const current: Sharing = { tabId: input.tabId, sessionId: null, ws, port: null, rules };
  sharing = current;
  ws.addEventListener('message', (event) => onFrame(current, String(event.data)));
  ws.addEventListener('close', () => {
    failWaiters(ws);
    if (sharing === current) stop();
  });
  const ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 15_000);
  ws.addEventListener('close', () => clearInterval(ping));
  await request(ws, { type: 'hello', token });
  const session = (await request(ws, { type: 'cobrowse.start', conversationId })) as { id: string };
  current.sessionId = session.id;
  await chrome.scripting.executeScript({ target: { tabId: input.tabId }, files: ['capture.js'] });
  return { sessionId: session.id };
}

function onFrame(current: Sharing, text: string): void {
  const frame = JSON.parse(text) as { type: string; id?: string; sessionId?: string; session?: { id: string; status: string } } & Partial<Reply>;
  if (frame.type === 'reply' && frame.id) {
    waiters.get(frame.id)?.settle({ ok: frame.ok === true, data: frame.data, error: frame.error });
    waiters.delete(frame.id);
    return;
  }
  if (frame.type === 'cobrowse' && frame.session?.id === current.sessionId && frame.session.status === 'ended') return stop();
  if (frame.type.startsWith('cobrowse')) current.port?.postMessage(frame);
}

function stop(): void {
  const current = sharing;
  sharing = null;
  if (!current) return;
  current.port?.postMessage({ type: 'stop' });
  current.port?.disconnect();
  if (current.sessionId && current.ws.readyState === WebSocket.OPEN) void request(current.ws, { type: 'cobrowse.end', sessionId: current.sessionId }).catch(() => undefined).finally(() => current.ws.close());
  else current.ws.close();
}

// The capture in the tab: its batches go out on the socket; the server's frames come back to it.
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'frontdesk-capture' || !sharing) return;
  const current = sharing;
  current.port = port;
  port.postMessage({ type: 'start', sessionId: current.sessionId, ...current.rules });
  port.onMessage.addListener((message: { type: string }) => {
    if (message.type === 'cobrowse.data' && current.ws.readyState === WebSocket.OPEN) current.ws.send(JSON.stringify(message));
    if (message.type === 'end') stop();
    if (message.type === 'revoke' && current.sessionId) void request(current.ws, { type: 'cobrowse.control', sessionId: current.sessionId, action: 'revoke' }).catch(() => undefined);
  });
  port.onDisconnect.addListener(() => current.port === port && stop());
});

chrome.runtime.onMessage.addListener((message: { type: string; server: string; appId: string; code: string; tabId: number }, _sender, respond) => {
  if (message.type === 'share') {
    share(message).then(
      (result) => respond({ ok: true, ...result }),
      (err: unknown) => respond({ ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
    return true;
  }
  if (message.type === 'stop') stop();
  if (message.type === 'status') respond({ sharing: sharing !== null });
  return false;
});

(globalThis as unknown as { frontdeskShare: typeof share }).frontdeskShare = share;
