/**
 * The baseline: a bare `ws` relay with no auth, validation or persistence. Sockets connect
 * at /?role=visitor|agent&group=G; each text frame from a visitor is forwarded as-is to the
 * agent socket(s) of its group. `hello` gets an ok reply and `ping` a pong, like the real
 * server, so the same client code drives both. Run as a child process (forked by run.ts).
 */
import { WebSocketServer, type WebSocket } from 'ws';

const HELLO = Buffer.from('{"type":"hello"');
const PING = Buffer.from('{"type":"ping"');
const HELLO_REPLY = '{"type":"reply","id":"h1","ok":true,"data":{}}';
const PONG = '{"type":"pong","serverTime":0}';

const agents = new Map<string, Set<WebSocket>>();
let connections = 0;

const wss = new WebSocketServer({ host: process.env.RELAY_HOST ?? '127.0.0.1', port: Number(process.env.RELAY_PORT ?? 0), perMessageDeflate: false, maxPayload: 64 * 1024, clientTracking: false, backlog: 4096 });

function startsWith(buf: Buffer, prefix: Buffer): boolean {
  return buf.length >= prefix.length && buf.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

wss.on('connection', (ws, request) => {
  connections++;
  const url = new URL(request.url ?? '/', 'http://relay');
  const isVisitor = url.searchParams.get('role') === 'visitor';
  const group = url.searchParams.get('group') ?? '';
  if (!isVisitor) {
    let set = agents.get(group);
    if (!set) agents.set(group, (set = new Set()));
    set.add(ws);
  }
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    const buf = data as Buffer;
    if (startsWith(buf, PING)) return ws.send(PONG);
    if (startsWith(buf, HELLO)) return ws.send(HELLO_REPLY);
    if (!isVisitor) return;
    const targets = agents.get(group);
    if (targets) for (const agent of targets) agent.send(buf, { binary: false });
  });
  ws.on('close', () => {
    connections--;
    if (!isVisitor) agents.get(group)?.delete(ws);
  });
  ws.on('error', () => ws.terminate());
});

wss.on('listening', () => {
  const address = wss.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ type: 'ready', port });
});

process.on('message', (m: { type?: string }) => {
  if (m.type === 'count') process.send?.({ type: 'count', connections });
});
process.on('SIGTERM', () => process.exit(0));
