import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

/**
 * The sample shop of the co-browse browser tests and benchmark: a product list that changes, a
 * cart button, and a checkout form with every kind of field the privacy rules treat differently.
 */
export const SECRETS = {
  password: 'Sup3r-Secret-Pass!',
  card: '4242 4242 4242 4242',
  cvc: '737',
  masked: 'Flat 7, 221B Baker Street',
  email: 'ada@example.test',
  note: 'Private note for the shop',
} as const;

export const shopPage = (serverUrl: string, attributes: Record<string, string>) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Acme Tea Shop</title>
<style>
body{font:16px system-ui,sans-serif;margin:0;background:#fafaf7;color:#1f2937}
header{background:#0f766e;color:#fff;padding:16px 32px}
main{display:grid;grid-template-columns:1fr 1fr;gap:32px;padding:24px 32px}
.product{border:1px solid #d1d5db;border-radius:10px;padding:12px;margin-bottom:12px;background:#fff}
label{display:block;margin:10px 0 4px;font-weight:600}
input{font:inherit;padding:8px;width:90%;border:1px solid #9ca3af;border-radius:6px}
#add{font:inherit;padding:10px 18px;border-radius:8px;border:0;background:#b45309;color:#fff;cursor:pointer}
.promo{background:#fef3c7;padding:12px;border-radius:8px}
</style></head>
<body>
<header><h1>Acme Tea Shop</h1></header>
<main>
<section>
  <h2>Teas</h2>
  <div class="product"><h3>Sencha</h3><p>Green tea from Shizuoka.</p></div>
  <div class="product"><h3>Assam</h3><p>Malty black tea.</p></div>
  <p>In your cart: <strong id="cart-count">0</strong></p>
  <button id="add" type="button" onclick="document.getElementById('cart-count').textContent = String(Number(document.getElementById('cart-count').textContent) + 1)">Add to cart</button>
  <p class="secret-note">${SECRETS.note}</p>
  <div data-frontdesk-block class="promo">Loyalty number 99-1234-5678</div>
  <canvas id="chart" width="160" height="60"></canvas>
</section>
<section>
  <h2>Checkout</h2>
  <form onsubmit="return false">
    <label for="name">Name</label><input id="name" name="name" data-frontdesk-unmask autocomplete="name">
    <label for="email">Email</label><input id="email" name="email" type="email">
    <label for="password">Password</label><input id="password" name="password" type="password">
    <label for="card">Card number</label><input id="card" name="cardnumber" autocomplete="cc-number" inputmode="numeric">
    <label for="cvc">Security code</label><input id="cvc" name="cvc" autocomplete="cc-csc">
    <label for="address">Address</label><input id="address" name="address" data-frontdesk-mask>
  </form>
</section>
</main>
<script>const c=document.getElementById('chart').getContext('2d');c.fillStyle='#0f766e';c.fillRect(10,10,120,40);</script>
<script type="module" async src="${serverUrl}/widget/loader.js" ${Object.entries(attributes)
  .map(([k, v]) => `data-${k}="${v}"`)
  .join(' ')}></script>
</body></html>`;

/** The business's site: a page per path, on its own origin (loopback). */
export function startSite(pages: Map<string, string>) {
  const site = http.createServer((request, response) => {
    const html = pages.get((request.url ?? '/').split('?')[0]!);
    response.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(html ?? 'not found');
  });
  return new Promise<{ origin: string; close: () => Promise<void> }>((resolve) =>
    site.listen(0, '127.0.0.1', () => resolve({ origin: `http://127.0.0.1:${(site.address() as AddressInfo).port}`, close: () => new Promise((r) => site.close(() => r())) })),
  );
}

interface DataFrame {
  type: 'cobrowse.data';
  epoch: number;
  seq: number;
  kind: 'snapshot' | 'delta';
  part?: { index: number; count: number };
  encoding: 'json' | 'deflate';
  payload: string;
}

/** Every `cobrowse.data` frame among raw socket frames, its parts joined and its payload decoded to the batch's JSON text. */
export function decodeCobrowseFrames(raw: readonly string[]): { epoch: number; kind: string; json: string }[] {
  const frames = raw.flatMap((text) => {
    try {
      const frame = JSON.parse(text) as { type?: string };
      return frame.type === 'cobrowse.data' ? [frame as DataFrame] : [];
    } catch {
      return [];
    }
  });
  const out: { epoch: number; kind: string; json: string }[] = [];
  let parts: string[] = [];
  for (const frame of frames) {
    if (frame.part) {
      parts[frame.part.index] = frame.payload;
      if (frame.part.index < frame.part.count - 1) continue;
    }
    const payload = frame.part ? parts.join('') : frame.payload;
    parts = [];
    const json = frame.encoding === 'json' ? payload : zlib.inflateRawSync(Buffer.from(payload, 'base64')).toString('utf8');
    out.push({ epoch: frame.epoch, kind: frame.kind, json });
  }
  return out;
}
