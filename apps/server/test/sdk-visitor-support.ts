import net from 'node:net';
import { createVisitorClient, ExponentialBackoffPolicy, type KeyValueStorage, type LogRecord, type VisitorClient, type VisitorClientOptions, type VisitorEvents, type WebSocketConstructor } from '@frontdesk/sdk-visitor';
import WebSocket from 'ws';

/**
 * The `ws` WebSocket as the SDK's injected constructor, with switches to lose what a real
 * network loses: frames on their way out, and frames on their way in.
 */
export class TestSocket extends WebSocket {
  static readonly all: TestSocket[] = [];
  /** Outgoing frames for which this returns true never reach the server. */
  static dropOutgoing: ((frame: Record<string, any>) => boolean) | undefined;
  /** While true, nothing this socket receives reaches the SDK (the replies are lost). */
  deaf = false;

  constructor(url: string) {
    super(url);
    TestSocket.all.push(this);
  }

  override send(data: any, ...rest: any[]): void {
    if (TestSocket.dropOutgoing?.(JSON.parse(String(data)))) return;
    (super.send as (...args: any[]) => void)(data, ...rest);
  }

  override emit(event: string | symbol, ...args: any[]): boolean {
    if (event === 'message' && this.deaf) return false;
    return super.emit(event, ...args);
  }

  static latest(): TestSocket {
    const socket = TestSocket.all.at(-1);
    if (!socket) throw new Error('no socket yet');
    return socket;
  }
}

export function memoryStorage(): KeyValueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

/** Every event a client emitted, in order, per name. */
export type Recorded = { [K in keyof VisitorEvents]: VisitorEvents[K][] };

export interface TestVisitor {
  client: VisitorClient;
  seen: Recorded;
  logs: LogRecord[];
}

export function visitorClient(baseUrl: string, options: Partial<VisitorClientOptions> = {}): TestVisitor {
  const logs: LogRecord[] = [];
  const client = createVisitorClient({
    baseUrl,
    appId: 'acme',
    storage: memoryStorage(),
    WebSocket: TestSocket as unknown as WebSocketConstructor,
    reconnectPolicy: new ExponentialBackoffPolicy({ initialDelayMs: 50, maxDelayMs: 400, jitterRatio: 0.2 }),
    logger: (record) => logs.push(record),
    ...options,
  });
  const names: (keyof VisitorEvents)[] = ['message', 'messageStatus', 'typing', 'read', 'conversation', 'queuePosition', 'transparent', 'state', 'error'];
  const seen = Object.fromEntries(names.map((n) => [n, []])) as unknown as Recorded;
  for (const name of names) client.on(name, (payload: any) => (seen[name] as any[]).push(payload));
  return { client, seen, logs };
}

/** Polls until `predicate` holds. */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A port free now, so that a restarted server comes back where the SDK looks for it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A PNG signature and header, padded to `sizeBytes`. */
export function pngOf(sizeBytes: number): Blob {
  const header = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const bytes = new Uint8Array(Math.max(sizeBytes, header.length));
  bytes.set(header);
  return new Blob([bytes], { type: 'image/png' });
}
