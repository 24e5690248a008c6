import type { Batch, CaptureEvent, Snapshot } from '../wire.ts';
import { isField, maskText, type Privacy } from './privacy.ts';
import { Serializer } from './serializer.ts';

/** Pointer moves are sampled: the agent sees a smooth enough pointer without one event per pixel. */
const POINTER_SAMPLE_MS = 50;
/** Canvas image tiles: one every this long per canvas, small WebP (or PNG) images. */
const TILE_EVERY_MS = 2000;
const TILE_MAX_CHARS = 40_000;

/**
 * Records one page: a snapshot, then its changes as events (mutations, form values, scroll,
 * viewport, pointer, canvas tiles), drained by the caller in batches. Every node and value goes
 * through the serializer, which applies the privacy rules; nothing is read from a sensitive field.
 */
export class Recorder {
  #serializer: Serializer;
  #events: CaptureEvent[] = [];
  #observer: MutationObserver | null = null;
  #lastPointerAt = 0;
  #tileTimer: ReturnType<typeof setInterval> | null = null;
  readonly #listeners: [EventTarget, string, EventListener][] = [];

  constructor(private readonly privacy: Privacy) {
    this.#serializer = new Serializer(privacy);
  }

  get serializer(): Serializer {
    return this.#serializer;
  }

  /** A fresh snapshot (a new epoch: new ids) and the start of recording; changes before it are dropped. */
  snapshot(): Batch & { kind: 'snapshot' } {
    this.stop();
    this.#serializer = new Serializer(this.privacy);
    this.#events = [];
    const root = this.#serializer.serialize(document.documentElement)!;
    const snapshot: Snapshot = {
      href: location.href,
      title: document.title,
      viewport: { width: innerWidth, height: innerHeight },
      scroll: { x: scrollX, y: scrollY },
      root,
    };
    this.#start();
    return { kind: 'snapshot', at: Date.now(), snapshot };
  }

  /** What changed since the last drain (null when nothing did). */
  drain(): (Batch & { kind: 'delta' }) | null {
    if (this.#observer) this.#onMutations(this.#observer.takeRecords());
    if (this.#events.length === 0) return null;
    const events = this.#events;
    this.#events = [];
    return { kind: 'delta', at: Date.now(), events };
  }

  stop(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    for (const [target, type, listener] of this.#listeners.splice(0)) target.removeEventListener(type, listener, true);
    if (this.#tileTimer) clearInterval(this.#tileTimer);
    this.#tileTimer = null;
  }

  #push(event: CaptureEvent): void {
    this.#events.push(event);
  }

  #start(): void {
    this.#observer = new MutationObserver((records) => this.#onMutations(records));
    this.#observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true, characterData: true });
    const on = (target: EventTarget, type: string, listener: EventListener) => {
      target.addEventListener(type, listener, { capture: true, passive: true });
      this.#listeners.push([target, type, listener]);
    };
    on(document, 'input', (e) => this.#onValue(e.target));
    on(document, 'change', (e) => this.#onValue(e.target));
    on(document, 'scroll', (e) => {
      const target = e.target;
      if (target === document || target === document.documentElement) return this.#push({ k: 'scroll', id: 0, x: scrollX, y: scrollY });
      if (!(target instanceof Element)) return;
      const id = this.#serializer.idOf(target);
      if (id !== undefined) this.#push({ k: 'scroll', id, x: target.scrollLeft, y: target.scrollTop });
    });
    on(window, 'resize', () => this.#push({ k: 'viewport', width: innerWidth, height: innerHeight }));
    on(document, 'pointermove', (e) => {
      const now = performance.now();
      if (now - this.#lastPointerAt < POINTER_SAMPLE_MS) return;
      this.#lastPointerAt = now;
      const p = e as PointerEvent;
      this.#push({ k: 'pointer', x: Math.round(p.pageX), y: Math.round(p.pageY) });
    });
    this.#tileTimer = setInterval(() => this.#tiles(), TILE_EVERY_MS);
  }

  #onValue(target: EventTarget | null): void {
    if (!(target instanceof Element) || !isField(target)) return;
    const id = this.#serializer.idOf(target);
    if (id === undefined) return;
    // The privacy rules decide before the value is read into an event: a password is never copied.
    if (this.privacy.isSensitive(target) || this.privacy.isBlocked(target)) return;
    const value = this.privacy.fieldValue(target, target.value);
    if (value === undefined) return;
    const event: CaptureEvent = { k: 'value', id, value };
    if (target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio') && this.privacy.isOptedIn(target)) event.checked = target.checked;
    this.#push(event);
  }

  #onMutations(records: MutationRecord[]): void {
    const s = this.#serializer;
    for (const record of records) {
      const targetId = s.idOf(record.target);
      if (targetId === undefined) continue;
      switch (record.type) {
        case 'childList':
          for (const node of record.removedNodes) {
            const id = s.idOf(node);
            if (id === undefined) continue;
            s.forget(node);
            this.#push({ k: 'remove', id });
          }
          for (const node of record.addedNodes) {
            // Added, then moved or removed again within the batch: only where it is now counts.
            if (node.parentNode !== record.target || s.idOf(node) !== undefined) continue;
            const serialized = s.serialize(node);
            if (!serialized) continue;
            const before = nextCapturedSibling(s, node);
            this.#push({ k: 'add', parent: targetId, before, node: serialized });
          }
          break;
        case 'attributes': {
          const el = record.target as Element;
          const name = record.attributeName!;
          const raw = el.getAttribute(name);
          // A change of the privacy attributes themselves re-sends the subtree under the new rules.
          if (name.startsWith('data-frontdesk-') && el.parentNode) {
            const parentId = s.idOf(el.parentNode);
            if (parentId !== undefined) {
              const before = nextCapturedSibling(s, el);
              s.forget(el);
              this.#push({ k: 'remove', id: targetId });
              const node = s.serialize(el);
              if (node) this.#push({ k: 'add', parent: parentId, before, node });
            }
            break;
          }
          this.#push({ k: 'attr', id: targetId, name, value: raw === null ? null : s.attributeValue(el, name, raw) });
          break;
        }
        case 'characterData': {
          const node = record.target;
          const parent = node.parentElement;
          const text = node.textContent ?? '';
          const value = parent && isField(parent) ? (this.privacy.fieldValue(parent, text) ?? '') : parent && this.privacy.isMasked(parent) ? maskText(text) : text;
          this.#push({ k: 'text', id: targetId, text: value });
          break;
        }
      }
    }
  }

  /** Canvases as small images, where the mirror would show an empty box. */
  #tiles(): void {
    for (const canvas of document.querySelectorAll('canvas')) {
      const id = this.#serializer.idOf(canvas);
      if (id === undefined || this.privacy.isBlocked(canvas) || canvas.width === 0 || canvas.height === 0) continue;
      try {
        // WebP keeps transparency (a JPEG turns it black); browsers without it give PNG.
        const dataUrl = canvas.toDataURL('image/webp', 0.5);
        if (dataUrl.length <= TILE_MAX_CHARS) this.#push({ k: 'tile', id, dataUrl });
      } catch {
        // A canvas tainted by another origin's image cannot be read: its placeholder stays.
      }
    }
  }
}

function nextCapturedSibling(s: Serializer, node: Node): number | null {
  for (let next = node.nextSibling; next; next = next.nextSibling) {
    const id = s.idOf(next);
    if (id !== undefined) return id;
  }
  return null;
}
