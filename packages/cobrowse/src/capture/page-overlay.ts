import type { Privacy } from './privacy.ts';
import { isField } from './privacy.ts';
import type { Serializer } from './serializer.ts';

/** What a viewer sends to the page (the protocol's `CobrowseInput`, repeated here: this package imports nothing). */
export type PageInput =
  | { kind: 'pen'; id: string; points: [number, number][] }
  | { kind: 'highlight'; id: string; rect: { x: number; y: number; width: number; height: number } }
  | { kind: 'click'; nodeId: number }
  | { kind: 'scroll'; nodeId: number | null; x: number; y: number }
  | { kind: 'type'; nodeId: number; value: string };

export interface OverlayLabels {
  on: string;
  controlOn: string;
  end: string;
  stopControl: string;
}

/** Annotations fade out over this long, on both sides. */
export const ANNOTATION_FADE_MS = 4000;

const CSS = `
:host{all:initial}
.bar{position:fixed;top:0;left:50%;transform:translateX(-50%);z-index:2147483647;display:flex;gap:10px;align-items:center;
 padding:6px 8px 6px 14px;border-radius:0 0 10px 10px;background:#b91c1c;color:#fff;box-shadow:0 4px 14px rgb(0 0 0/.3);
 font:600 13px/1.2 system-ui,-apple-system,"Segoe UI",sans-serif;pointer-events:auto}
.bar.control{background:#7c2d12}
.dot{width:9px;height:9px;border-radius:50%;background:#fff;animation:pulse 1.6s infinite}
@keyframes pulse{50%{opacity:.3}}
button{font:inherit;border:0;border-radius:6px;padding:5px 10px;background:#fff;color:#111;cursor:pointer}
svg{position:fixed;inset:0;width:100vw;height:100vh;z-index:2147483646;pointer-events:none;overflow:visible}
.fade{animation:fade ${ANNOTATION_FADE_MS}ms ease-in forwards}
@keyframes fade{0%,40%{opacity:1}100%{opacity:0}}
@media (prefers-reduced-motion:reduce){.dot{animation:none}}
`;

/**
 * What the visitor sees of a co-browse in their own page: a bar that says it is on (and whether
 * the agent has control), with a button to end it (or to take control back); the viewers' pen and
 * highlight, fading; and the granted remote control, replayed only on elements the rules let the
 * agent see and act on.
 */
export class PageOverlay {
  readonly #host: HTMLElement;
  readonly #bar: HTMLDivElement;
  readonly #label: HTMLSpanElement;
  readonly #button: HTMLButtonElement;
  readonly #svg: SVGSVGElement;
  readonly #layer: SVGGElement;
  #isControlGranted = false;
  readonly #onScroll = () => this.#place();

  constructor(
    private readonly labels: OverlayLabels,
    private readonly actions: { end: () => void; revokeControl: () => void },
    private readonly page: () => { privacy: Privacy; serializer: Serializer },
  ) {
    this.#host = document.createElement('frontdesk-cobrowse');
    // NOTE: open like the widget's: the page could reach it anyway (it runs our script), and tests read it.
    const root = this.#host.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = CSS;
    this.#bar = document.createElement('div');
    this.#bar.className = 'bar';
    this.#bar.setAttribute('role', 'status');
    this.#bar.setAttribute('data-testid', 'cobrowse-indicator');
    const dot = document.createElement('span');
    dot.className = 'dot';
    this.#label = document.createElement('span');
    this.#button = document.createElement('button');
    this.#button.type = 'button';
    this.#button.addEventListener('click', () => (this.#isControlGranted ? this.actions.revokeControl() : this.actions.end()));
    this.#bar.append(dot, this.#label, this.#button);
    const ns = 'http://www.w3.org/2000/svg';
    this.#svg = document.createElementNS(ns, 'svg');
    this.#svg.setAttribute('aria-hidden', 'true');
    this.#layer = document.createElementNS(ns, 'g');
    this.#svg.append(this.#layer);
    root.append(style, this.#svg, this.#bar);
    this.setControl(false);
    document.documentElement.append(this.#host);
    addEventListener('scroll', this.#onScroll, { passive: true });
    this.#place();
  }

  setControl(granted: boolean): void {
    this.#isControlGranted = granted;
    this.#bar.classList.toggle('control', granted);
    this.#label.textContent = granted ? this.labels.controlOn : this.labels.on;
    this.#button.textContent = granted ? this.labels.stopControl : this.labels.end;
  }

  /** Annotations (always, while on) and control actions (only while granted, never on masked or blocked elements). */
  apply(input: PageInput): boolean {
    switch (input.kind) {
      case 'pen':
      case 'highlight':
        this.#annotate(input);
        return true;
      default:
        return this.#isControlGranted && this.#control(input);
    }
  }

  remove(): void {
    removeEventListener('scroll', this.#onScroll);
    this.#host.remove();
  }

  #place(): void {
    this.#layer.setAttribute('transform', `translate(${-scrollX} ${-scrollY})`);
  }

  #annotate(input: Extract<PageInput, { kind: 'pen' | 'highlight' }>): void {
    const ns = 'http://www.w3.org/2000/svg';
    const shape = document.createElementNS(ns, input.kind === 'pen' ? 'polyline' : 'rect');
    if (input.kind === 'pen') {
      shape.setAttribute('points', input.points.map(([x, y]) => `${x},${y}`).join(' '));
      shape.setAttribute('fill', 'none');
      shape.setAttribute('stroke', '#e11d48');
      shape.setAttribute('stroke-width', '4');
      shape.setAttribute('stroke-linecap', 'round');
      shape.setAttribute('stroke-linejoin', 'round');
    } else {
      const { x, y, width, height } = input.rect;
      for (const [k, v] of Object.entries({ x, y, width, height })) shape.setAttribute(k, String(v));
      shape.setAttribute('fill', 'rgb(250 204 21 / .35)');
      shape.setAttribute('stroke', '#ca8a04');
      shape.setAttribute('stroke-width', '3');
      shape.setAttribute('rx', '6');
    }
    shape.setAttribute('data-annotation', input.kind);
    shape.setAttribute('class', 'fade');
    this.#layer.append(shape);
    setTimeout(() => shape.remove(), ANNOTATION_FADE_MS);
  }

  #control(input: Exclude<PageInput, { kind: 'pen' | 'highlight' }>): boolean {
    const { privacy, serializer } = this.page();
    if (input.kind === 'scroll' && input.nodeId === null) {
      scrollTo(input.x, input.y);
      return true;
    }
    const node = input.nodeId === null ? undefined : serializer.nodeOf(input.nodeId);
    const el = node instanceof Element ? node : node?.parentElement;
    if (!el || !el.isConnected) return false;
    // Never on what the agent may not see: blocked, masked, password and payment fields.
    if (privacy.isBlocked(el) || privacy.isMasked(el) || privacy.isSensitive(el)) return false;
    switch (input.kind) {
      case 'scroll':
        el.scrollTo(input.x, input.y);
        return true;
      case 'click':
        if (el instanceof HTMLElement) {
          el.focus({ preventScroll: true });
          el.click();
        }
        return true;
      case 'type': {
        // Typing only where the agent sees what it types: fields the page opted in.
        if (!isField(el) || el instanceof HTMLSelectElement || !privacy.isOptedIn(el)) return false;
        const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(el), 'value')?.set;
        setter?.call(el, input.value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
        return true;
      }
    }
  }
}
