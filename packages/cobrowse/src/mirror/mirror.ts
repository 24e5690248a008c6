import { decodePayload } from '../codec.ts';
import type { Batch, CaptureEvent, NodeId, SerializedNode, Snapshot } from '../wire.ts';

/** A `cobrowse.data` frame as the viewer gets it. */
export interface MirrorFrame {
  epoch: number;
  seq: number;
  kind: 'snapshot' | 'delta';
  part?: { index: number; count: number } | undefined;
  encoding: 'json' | 'deflate';
  payload: string;
}

export interface MirrorCallbacks {
  /** The mirror cannot go on (a frame missing, nothing yet): ask the visitor's page for a fresh snapshot. */
  needSnapshot: () => void;
  /** A batch was applied: its capture time (the visitor's clock) and what it was. */
  applied?: (batch: Batch) => void;
  /** The visitor's viewport, scroll or pointer changed. */
  view?: (view: MirrorView) => void;
}

export interface MirrorView {
  viewport: { width: number; height: number };
  scroll: { x: number; y: number };
  pointer: { x: number; y: number } | null;
  paused: boolean;
  href: string;
}

const PLACEHOLDER_STYLE = 'display:inline-flex;align-items:center;justify-content:center;box-sizing:border-box;background:repeating-linear-gradient(45deg,#e5e7eb,#e5e7eb 8px,#f3f4f6 8px,#f3f4f6 16px);color:#374151;font:600 12px system-ui,sans-serif;border:1px dashed #9ca3af;background-size:cover;background-position:center;overflow:hidden';
const PLACEHOLDER_LABELS = { blocked: 'Hidden by the page', canvas: 'Canvas', video: 'Video', iframe: 'Embedded page', embed: 'Embedded content' } as const;
const SVG_NS = 'http://www.w3.org/2000/svg';
/**
 * NOTE: the mirror's nodes belong to the iframe's window: `instanceof Element` (this window's
 * Element) is false for them, so node kinds are told by nodeType.
 */
const isElement = (node: Node): node is Element => node.nodeType === 1;
const TILE_PREFIX = /^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/;

/**
 * The agent's mirror of the visitor's page, built in a sandboxed iframe (no scripts may run: the
 * page is the visitor's, and the visitor is not trusted). Batches are applied strictly in order
 * within the epoch of a snapshot it has; anything else asks for a fresh snapshot, so the mirror
 * is either right or being rebuilt, never silently wrong.
 */
export class Mirror {
  #epoch = -1;
  #nextSeq = 0;
  #parts: string[] = [];
  #askedFor = -1;
  #hasBuilt = false;
  #nodes = new Map<NodeId, Node>();
  readonly #ids = new WeakMap<Node, NodeId>();
  #queue: Promise<void> = Promise.resolve();
  view: MirrorView = { viewport: { width: 1280, height: 800 }, scroll: { x: 0, y: 0 }, pointer: null, paused: false, href: '' };

  constructor(
    private readonly frame: HTMLIFrameElement,
    private readonly callbacks: MirrorCallbacks,
  ) {
    // NOTE: sandboxed without allow-scripts: nothing the visitor's page sends can run here. An
    // empty standards-mode document is loaded first; snapshots replace its root element.
    frame.setAttribute('sandbox', 'allow-same-origin');
    this.#ready = new Promise((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
    frame.srcdoc = '<!DOCTYPE html><html><head></head><body></body></html>';
  }

  readonly #ready: Promise<void>;

  get document(): Document | null {
    return this.frame.contentDocument;
  }

  get hasSnapshot(): boolean {
    return this.#hasBuilt;
  }

  /** The node id of a mirrored node (for control: which element the agent clicked). */
  idOf(node: Node): NodeId | undefined {
    return this.#ids.get(node);
  }

  nodeOf(id: NodeId): Node | undefined {
    return this.#nodes.get(id);
  }

  /** One frame from the socket; applied in arrival order. */
  receive(frame: MirrorFrame): void {
    this.#queue = this.#queue.then(() => this.#receive(frame)).catch(() => this.#lost(frame.epoch));
  }

  /** Forget everything: the next snapshot rebuilds (a reconnect of the viewer). */
  reset(): void {
    this.#epoch = -1;
    this.#askedFor = -1;
    this.#hasBuilt = false;
    this.#parts = [];
  }

  async #receive(frame: MirrorFrame): Promise<void> {
    const startsSnapshot = frame.kind === 'snapshot' && frame.seq === 0 && (frame.part?.index ?? 0) === 0;
    if (startsSnapshot && frame.epoch > this.#epoch) {
      this.#epoch = frame.epoch;
      this.#nextSeq = 0;
      this.#parts = [];
    }
    if (frame.epoch !== this.#epoch || frame.seq !== this.#nextSeq) {
      // An old epoch's leftovers are of no use; a hole in the current one (or a delta before any snapshot) needs a fresh start.
      if (frame.epoch >= this.#epoch) this.#lost(frame.epoch);
      return;
    }
    this.#nextSeq += 1;
    if (frame.part) {
      this.#parts[frame.part.index] = frame.payload;
      if (frame.part.index < frame.part.count - 1) return;
      if (this.#parts.length !== frame.part.count) return this.#lost(frame.epoch);
    }
    const payload = frame.part ? this.#parts.join('') : frame.payload;
    this.#parts = [];
    const batch = await decodePayload(frame.encoding, payload);
    await this.#ready;
    if (batch.kind === 'snapshot') this.#build(batch.snapshot);
    else for (const event of batch.events) this.#apply(event);
    this.callbacks.applied?.(batch);
  }

  #lost(epoch: number): void {
    // Nothing more of this epoch applies; a snapshot of a later one starts over.
    this.#epoch = Math.max(this.#epoch, epoch);
    this.#nextSeq = Number.POSITIVE_INFINITY;
    // Before the first snapshot, the join itself asked for one; after, once per broken epoch.
    if (!this.#hasBuilt || this.#askedFor === this.#epoch) return;
    this.#askedFor = this.#epoch;
    this.callbacks.needSnapshot();
  }

  #build(snapshot: Snapshot): void {
    const doc = this.frame.contentDocument;
    if (!doc) return;
    this.#nodes = new Map();
    this.#hasBuilt = true;
    const root = this.#create(doc, snapshot.root, false);
    if (isElement(root)) doc.replaceChild(root, doc.documentElement);
    this.view = { ...this.view, viewport: snapshot.viewport, scroll: snapshot.scroll, paused: false, href: snapshot.href };
    this.frame.contentWindow?.scrollTo(snapshot.scroll.x, snapshot.scroll.y);
    this.callbacks.view?.(this.view);
  }

  #create(doc: Document, node: SerializedNode, inSvg: boolean): Node {
    if (node.t === 'x') {
      const text = doc.createTextNode(node.text);
      this.#remember(node.id, text);
      return text;
    }
    const tag = node.tag.toLowerCase();
    // Defence in depth: the capture sends none of these, but a hostile page could.
    const isSvg = node.ns === 'svg' || inSvg;
    const safeTag = tag === 'script' || tag === 'iframe' || tag === 'object' || tag === 'embed' || tag === 'base' || tag === 'meta' ? 'div' : tag;
    let el: Element;
    try {
      el = isSvg ? doc.createElementNS(SVG_NS, safeTag) : doc.createElement(safeTag);
    } catch {
      el = doc.createElement('div');
    }
    for (const [name, value] of Object.entries(node.attrs)) this.#setAttribute(el, name, value);
    // The capture's id, readable in the mirror (tests, and an agent's devtools).
    el.setAttribute('data-frontdesk-node', String(node.id));
    if (node.placeholder) {
      const { reason, width, height } = node.placeholder;
      el.setAttribute('style', `${PLACEHOLDER_STYLE};width:${width}px;height:${height}px`);
      el.setAttribute('data-placeholder', reason);
      el.textContent = PLACEHOLDER_LABELS[reason];
    }
    for (const kid of node.kids) el.append(this.#create(doc, kid, isSvg && tag !== 'foreignobject'));
    if (node.value !== undefined && 'value' in el) (el as HTMLInputElement).value = node.value;
    if (node.checked !== undefined && 'checked' in el) (el as HTMLInputElement).checked = node.checked;
    this.#remember(node.id, el);
    return el;
  }

  #setAttribute(el: Element, name: string, value: string): void {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || (/^(href|src|action|formaction|xlink:href)$/.test(lower) && /^\s*javascript:/i.test(value))) return;
    try {
      el.setAttribute(name, value);
    } catch {
      // An attribute name the DOM refuses: left out.
    }
  }

  #remember(id: NodeId, node: Node): void {
    this.#nodes.set(id, node);
    this.#ids.set(node, id);
  }

  #forget(node: Node): void {
    const id = this.#ids.get(node);
    if (id !== undefined) this.#nodes.delete(id);
    for (const child of node.childNodes) this.#forget(child);
  }

  #apply(event: CaptureEvent): void {
    const doc = this.frame.contentDocument;
    if (!doc) return;
    switch (event.k) {
      case 'add': {
        const parent = this.#nodes.get(event.parent);
        if (!parent) return;
        const before = event.before === null ? null : (this.#nodes.get(event.before) ?? null);
        const node = this.#create(doc, event.node, isElement(parent) && parent.namespaceURI === SVG_NS);
        parent.insertBefore(node, before && before.parentNode === parent ? before : null);
        return;
      }
      case 'remove': {
        const node = this.#nodes.get(event.id);
        if (!node) return;
        node.parentNode?.removeChild(node);
        // The whole subtree: a page that keeps replacing rows would otherwise grow the map for the epoch's life.
        this.#forget(node);
        return;
      }
      case 'attr': {
        const el = this.#nodes.get(event.id);
        if (!el || !isElement(el)) return;
        if (event.value === null) el.removeAttribute(event.name);
        else this.#setAttribute(el, event.name, event.value);
        return;
      }
      case 'text': {
        const node = this.#nodes.get(event.id);
        if (node) node.textContent = event.text;
        return;
      }
      case 'value': {
        const el = this.#nodes.get(event.id);
        if (el && 'value' in el) (el as HTMLInputElement).value = event.value;
        if (event.checked !== undefined && el && 'checked' in el) (el as HTMLInputElement).checked = event.checked;
        return;
      }
      case 'scroll':
        if (event.id === 0) {
          this.frame.contentWindow?.scrollTo(event.x, event.y);
          this.view = { ...this.view, scroll: { x: event.x, y: event.y } };
          this.callbacks.view?.(this.view);
        } else {
          const el = this.#nodes.get(event.id);
          if (el && isElement(el)) el.scrollTo(event.x, event.y);
        }
        return;
      case 'viewport':
        this.view = { ...this.view, viewport: { width: event.width, height: event.height } };
        this.callbacks.view?.(this.view);
        return;
      case 'pointer':
        this.view = { ...this.view, pointer: { x: event.x, y: event.y } };
        this.callbacks.view?.(this.view);
        return;
      case 'paused':
        this.view = { ...this.view, paused: event.paused };
        this.callbacks.view?.(this.view);
        return;
      case 'tile': {
        const el = this.#nodes.get(event.id);
        if (el && isElement(el) && 'style' in el && TILE_PREFIX.test(event.dataUrl)) {
          (el as HTMLElement).style.backgroundImage = `url("${event.dataUrl}")`;
          el.textContent = '';
        }
        return;
      }
    }
  }
}
