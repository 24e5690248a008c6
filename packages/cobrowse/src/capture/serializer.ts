import type { NodeId, SerializedNode } from '../wire.ts';
import { isField, maskText, type Privacy } from './privacy.ts';

/** Never sent: what does not render, and the product's own elements (the chat widget, the co-browse overlay). */
const SKIPPED_TAGS = new Set(['SCRIPT', 'NOSCRIPT', 'TEMPLATE', 'FRONTDESK-WIDGET', 'FRONTDESK-CHAT', 'FRONTDESK-COBROWSE']);
/** What DOM mirroring cannot see: a box with a label (canvas also gets periodic image tiles). */
const OPAQUE_TAGS: Record<string, 'canvas' | 'video' | 'iframe' | 'embed'> = { CANVAS: 'canvas', VIDEO: 'video', IFRAME: 'iframe', OBJECT: 'embed', EMBED: 'embed' };
const URL_ATTRS = new Set(['href', 'src', 'action', 'poster', 'xlink:href']);

/**
 * Node ids and serialisation of one epoch. Ids are handed out as nodes are first serialised; the
 * id → node map serves the granted remote control (which acts only on nodes the agent was sent).
 */
export class Serializer {
  readonly #ids = new WeakMap<Node, NodeId>();
  readonly #nodes = new Map<NodeId, Node>();
  #next = 1;

  constructor(private readonly privacy: Privacy) {}

  idOf(node: Node): NodeId | undefined {
    return this.#ids.get(node);
  }

  nodeOf(id: NodeId): Node | undefined {
    return this.#nodes.get(id);
  }

  /** Forgets a removed subtree (its ids are not reused). */
  forget(node: Node): void {
    const id = this.#ids.get(node);
    if (id === undefined) return;
    this.#ids.delete(node);
    this.#nodes.delete(id);
    for (const child of node.childNodes) this.forget(child);
  }

  /** Whether this node is ever sent (skipped elements, comments and their subtrees are not). */
  isCaptured(node: Node): boolean {
    if (node.nodeType === Node.TEXT_NODE) return true;
    if (node.nodeType !== Node.ELEMENT_NODE) return false;
    const el = node as Element;
    return !SKIPPED_TAGS.has(el.tagName.toUpperCase()) && !el.hasAttribute('data-frontdesk-ignore');
  }

  /** The node and its subtree, with the privacy rules applied; null when it is not sent. */
  serialize(node: Node, masked = this.#maskedAt(node)): SerializedNode | null {
    if (!this.isCaptured(node)) return null;
    const id = this.#assign(node);
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent ?? '';
      // The text of a field (a textarea's) is its value: masked like it.
      const parent = node.parentElement;
      if (parent && isField(parent)) return { id, t: 'x', text: this.privacy.fieldValue(parent, text) ?? '' };
      return { id, t: 'x', text: masked ? maskText(text) : text };
    }
    const el = node as Element;
    const tag = el.tagName.toLowerCase();
    const isSvg = el.namespaceURI === 'http://www.w3.org/2000/svg';
    const opaque = OPAQUE_TAGS[el.tagName.toUpperCase()];
    if (this.privacy.isBlocked(el) || opaque) {
      const rect = el.getBoundingClientRect();
      const attrs: Record<string, string> = {};
      for (const name of ['class', 'style', 'width', 'height']) {
        const value = el.getAttribute(name);
        if (value !== null) attrs[name] = value;
      }
      return { id, t: 'e', tag: opaque ? 'div' : isSvg ? 'g' : 'div', attrs: opaque ? attrs : {}, kids: [], placeholder: { reason: opaque && !this.privacy.isBlocked(el) ? opaque : 'blocked', width: Math.round(rect.width), height: Math.round(rect.height) } };
    }
    const isMasked = masked || this.privacy.isMasked(el);
    const out: Extract<SerializedNode, { t: 'e' }> = { id, t: 'e', tag, attrs: this.attributesOf(el), kids: [] };
    if (isSvg) out.ns = 'svg';
    if (isField(el)) {
      const value = this.privacy.fieldValue(el, el.value);
      if (value !== undefined) out.value = value;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio') && this.privacy.isOptedIn(el)) out.checked = el.checked;
    }
    // A same-origin stylesheet is sent as its rules: the mirror loads nothing from the visitor's site it need not.
    if (tag === 'link' && (el as HTMLLinkElement).rel === 'stylesheet') {
      const css = cssOf((el as HTMLLinkElement).sheet);
      if (css !== null) return { id, t: 'e', tag: 'style', attrs: {}, kids: [{ id: this.#assign(el, 'text'), t: 'x', text: css }] };
    }
    for (const child of el.childNodes) {
      const kid = this.serialize(child, isMasked);
      if (kid) out.kids.push(kid);
    }
    // Rules inserted through the CSSOM (CSS-in-JS) are not in the <style>'s text.
    if (tag === 'style' && out.kids.length === 0) {
      const css = cssOf((el as HTMLStyleElement).sheet);
      if (css) out.kids.push({ id: this.#assign(el, 'text'), t: 'x', text: css });
    }
    return out;
  }

  /** The attributes that may leave: no event handlers, no script URLs, absolute URLs, field values masked. */
  attributesOf(el: Element): Record<string, string> {
    const attrs: Record<string, string> = {};
    for (const { name, value } of el.attributes) {
      const safe = this.attributeValue(el, name, value);
      if (safe !== null) attrs[name] = safe;
    }
    return attrs;
  }

  attributeValue(el: Element, name: string, value: string): string | null {
    const lower = name.toLowerCase();
    if (lower.startsWith('on') || lower === 'nonce' || lower === 'autofocus' || lower === 'integrity') return null;
    if (isField(el) && lower === 'value') return this.privacy.fieldValue(el, value) ?? null;
    // An option's selection is the select's value.
    if (el instanceof HTMLOptionElement && lower === 'selected') {
      const select = el.closest('select');
      return select && this.privacy.isOptedIn(select) ? value : null;
    }
    if ((isField(el) && (lower === 'checked')) && !this.privacy.isOptedIn(el)) return null;
    if (this.privacy.isMasked(el) && (lower === 'title' || lower === 'alt' || lower === 'placeholder' || lower === 'aria-label')) return maskText(value);
    if (URL_ATTRS.has(lower)) {
      try {
        const url = new URL(value, el.ownerDocument.baseURI);
        return url.protocol === 'javascript:' ? null : url.href;
      } catch {
        return null;
      }
    }
    if (lower === 'srcset') return null;
    return value;
  }

  #maskedAt(node: Node): boolean {
    const el = node.nodeType === Node.ELEMENT_NODE ? (node as Element) : node.parentElement;
    return el ? this.privacy.isMasked(el) : false;
  }

  /** `text`: the id of a synthetic text node (a stylesheet's rules), never a page node. */
  #assign(node: Node, text?: 'text'): NodeId {
    if (text) return this.#next++;
    const known = this.#ids.get(node);
    if (known !== undefined) return known;
    const id = this.#next++;
    this.#ids.set(node, id);
    this.#nodes.set(id, node);
    return id;
  }
}

/** A stylesheet's rules as text; null when the browser will not tell (another origin without CORS). */
function cssOf(sheet: CSSStyleSheet | null): string | null {
  if (!sheet) return null;
  try {
    return Array.from(sheet.cssRules, (rule) => rule.cssText).join('\n');
  } catch {
    return null;
  }
}
