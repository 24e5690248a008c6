import path from 'node:path';
import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';
import { bundle as bundleAgentSdk } from '../../packages/sdk-agent/scripts/build.mjs';

/**
 * Minimal pages that load the built SDKs (no UI): a visitor page (the visitor SDK as the widget would
 * load it, its calls a lazily loaded chunk) and an agent page (`sdk-agent.global.js`, with the
 * Easemob `IMClient`). Each exposes `window.__t` (the client, the events it raised, the Easemob
 * codes its callbacks got) and `window.__call.remote[role]` (the other party's tracks, which the
 * probes read). Playwright fulfils them on the server's own origin.
 */
export interface SdkBundles {
  /** The visitor SDK's ES module chunks by file name (index.js first). */
  visitor: Map<string, string>;
  agent: string;
}

export async function buildSdkBundles(): Promise<SdkBundles> {
  const outdir = '/media-test/visitor';
  const visitor = await build({
    entryPoints: [path.resolve(import.meta.dirname, '../../packages/sdk-visitor/src/index.ts')],
    bundle: true,
    format: 'esm',
    splitting: true,
    outdir,
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const agent = await bundleAgentSdk({ format: 'iife', write: false });
  return { visitor: new Map(visitor.outputFiles.map((f) => [path.basename(f.path), f.text])), agent: agent.code.toString() };
}

/** Audio processing off: it would attenuate the steady test tone. */
const MEDIA_CONSTRAINTS = { audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } };

/** What the pages record of each event: small and serialisable. */
const SUMMARY = `
// NOTE: reconnects capped at 1 s so that the restart test is quick (the SDKs' defaults cap at 30 s / 15 s).
const RECONNECT = { initialDelayMs: 200, maxDelayMs: 1000 };
function summary(name, p) {
  switch (name) {
    case 'call': case 'callUpdated': { const c = p.call ?? p; return { callId: c.id, phase: c.phase, legs: c.participants.map((x) => x.role + ':' + x.leg).join(','), endReason: c.endReason }; }
    case 'callState': return { callId: p.call.id, phase: p.phase };
    case 'callEnded': return { callId: p.call.id, reason: p.reason, side: p.hungUpSide };
    case 'remoteStream': return { callId: p.callId ?? p.sessionId, role: p.party.role, hasStream: !!p.stream };
    case 'localStream': return { callId: p.callId ?? p.sessionId, hasStream: !!p.stream };
    case 'callError': return { callId: p.callId ?? p.sessionId, code: p.error?.code ?? p.errorCode };
    case 'callNotice': return { callId: p.sessionId, code: p.code, previous: p.previous, tccc: p.tccc?.event ?? null };
    case 'callIn': case 'callOuted': case 'calloutAccepted': case 'userAccessed': case 'autoTransfer': case 'sessionEnded': return { ...p };
    case 'state': return { state: p.state };
    case 'connectionStateChanged': return { state: p.state };
    case 'error': return { code: p.code };
    case 'photoTaken': return { callId: p.callId, requestId: p.requestId, width: p.width, height: p.height, messageId: p.message.id };
    case 'photoFailed': return { callId: p.callId, requestId: p.requestId, reason: p.reason };
    case 'callPhoto': return { callId: p.sessionId, requestId: p.requestId, messageId: p.message?.id ?? null, error: p.error?.type ?? null };
    case 'screenShare': return { callId: p.callId ?? p.sessionId, event: p.event, by: p.by.role, reason: p.reason, shares: p.shares.length };
    case 'remoteScreen': return { callId: p.callId ?? p.sessionId, role: p.party.role, hasStream: !!p.stream };
    case 'localScreen': return { callId: p.callId ?? p.sessionId, hasStream: !!p.stream };
    default: return {};
  }
}
// Each remote stream by role (the other party) and by role:id (several agents: a supervisor is one);
// a shared screen under the same keys with "-screen" after them.
function trackRemote(remote, { party, stream }, suffix = '') {
  const byRole = party.role + suffix;
  const byId = party.role + ':' + party.id + suffix;
  if (!stream) { if (remote[byRole]?.stream === remote[byId]?.stream) delete remote[byRole]; delete remote[byId]; return; }
  remote[byRole] = remote[byId] = { stream, get audio() { return stream.getAudioTracks()[0]; }, get video() { return stream.getVideoTracks()[0]; } };
}
/** A party's shared screen, as "<role>-screen" (its last track is kept to see it end). */
function trackScreen(p) {
  if (p.stream) window.__call.screenTracks[p.party.role] = p.stream.getVideoTracks()[0];
  trackRemote(window.__call.remote, p, '-screen');
}`;

const VISITOR_PAGE = `<!doctype html><title>visitor</title><script type="module">
import { createVisitorClient, ExponentialBackoffPolicy } from '/media-test/visitor/index.js';
${SUMMARY}
const q = new URLSearchParams(location.search);
const client = createVisitorClient({ baseUrl: location.origin, appId: q.get('appId'), reconnectPolicy: new ExponentialBackoffPolicy(RECONNECT), mediaConstraints: ${JSON.stringify(MEDIA_CONSTRAINTS)} });
const t = (window.__t = { client, events: [] });
window.__call = { remote: {}, screenTracks: {} };
for (const name of ['call', 'callState', 'callEnded', 'remoteStream', 'localStream', 'callError', 'state', 'error', 'photoTaken', 'photoFailed', 'screenShare', 'remoteScreen', 'localScreen']) client.on(name, (p) => t.events.push({ name, at: Date.now(), ...summary(name, p) }));
client.on('remoteStream', (p) => trackRemote(window.__call.remote, p));
client.on('remoteScreen', trackScreen);
await client.connect();
t.ready = true;
</script>`;

const AGENT_PAGE = `<!doctype html><title>agent</title><script src="/media-test/agent.js"></script><script>
${SUMMARY}
(async () => {
  const q = new URLSearchParams(location.search);
  const { createAgentClient, DefaultReconnectPolicy, IMClient } = window.FrontdeskAgentSdk;
  const sdk = createAgentClient({ baseUrl: location.origin, appId: q.get('appId'), token: q.get('token'), reconnectPolicy: new DefaultReconnectPolicy(RECONNECT), mediaConstraints: ${JSON.stringify(MEDIA_CONSTRAINTS)} });
  const t = (window.__t = { sdk, im: new IMClient({ client: sdk }), events: [], codes: [] });
  window.__call = { remote: {}, screenTracks: {} };
  /** An Easemob (state, payload) callback that records the codes it gets. */
  t.easemob = (flow) => (state, payload) => t.codes.push({ flow, state, callId: payload.callId, error: payload.error?.code ?? null });
  for (const name of ['callIn', 'callOuted', 'calloutAccepted', 'userAccessed', 'autoTransfer', 'sessionEnded', 'callUpdated', 'callNotice', 'remoteStream', 'localStream', 'callError', 'connectionStateChanged', 'callPhoto', 'screenShare', 'remoteScreen', 'localScreen']) sdk.on(name, (p) => t.events.push({ name, at: Date.now(), ...summary(name, p) }));
  sdk.on('remoteStream', (p) => trackRemote(window.__call.remote, p));
  sdk.on('remoteScreen', trackScreen);
  const started = await sdk.start();
  if (started.status !== 'success') throw new Error(started.errorMsg);
  await sdk.Agent.online();
  t.ready = true;
})();
</script>`;

/** Serves the pages and the SDKs on `baseUrl`'s origin in this context. */
export async function routeSdkPages(context: BrowserContext, baseUrl: string, bundles: SdkBundles): Promise<void> {
  await context.route(`${baseUrl}/media-test/**`, (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname === '/media-test/visitor.html') return route.fulfill({ contentType: 'text/html', body: VISITOR_PAGE });
    if (pathname === '/media-test/agent.html') return route.fulfill({ contentType: 'text/html', body: AGENT_PAGE });
    if (pathname === '/media-test/agent.js') return route.fulfill({ contentType: 'text/javascript', body: bundles.agent });
    const chunk = bundles.visitor.get(path.basename(pathname));
    if (pathname.startsWith('/media-test/visitor/') && chunk !== undefined) return route.fulfill({ contentType: 'text/javascript', body: chunk });
    return route.fulfill({ status: 404, body: 'not found' });
  });
}

/** Opens a page and waits until its client is connected. */
export async function openSdkPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[${new URL(url).pathname} page error]`, err.message));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __t?: { ready?: boolean } }).__t?.ready === true, undefined, { timeout: 20_000 });
  return page;
}

/** An event a page recorded (`window.__t.events`): its name, when, and the fields `summary` keeps. */
export type Recorded = { name: string; at: number; [key: string]: unknown };

/** The events the page recorded so far. */
export const events = (page: Page): Promise<Recorded[]> => page.evaluate(() => (window as unknown as { __t: { events: Recorded[] } }).__t.events);

/** Waits until the page recorded an event with these fields. */
export async function waitForEvent(page: Page, match: Record<string, unknown>, timeoutMs = 15_000): Promise<Recorded> {
  const handle = await page.waitForFunction(
    (m) => (window as unknown as { __t: { events: Recorded[] } }).__t.events.find((e) => Object.entries(m).every(([k, v]) => e[k] === v)) ?? null,
    match,
    { timeout: timeoutMs, polling: 50 },
  );
  return (await handle.jsonValue()) as Recorded;
}
