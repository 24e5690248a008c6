/**
 * Privacy on the visitor's side: what of the page may leave it. Decided here, before anything is
 * serialised, so a value the rules hold back is never in a batch (and never on the wire).
 * - Every form value is masked unless the page opts the field in (`data-frontdesk-unmask`, or a
 *   selector of the channel's settings).
 * - Password and payment fields never leave the page: not even their length; never opted in.
 * - `data-frontdesk-mask` (or a mask selector) masks the text of an element and its subtree.
 * - `data-frontdesk-block` (or a block selector) sends a box of the element's size instead.
 */
export interface PrivacyRules {
  maskSelectors: readonly string[];
  blockSelectors: readonly string[];
  unmaskSelectors: readonly string[];
}

export const DEFAULT_RULES: PrivacyRules = { maskSelectors: [], blockSelectors: [], unmaskSelectors: [] };

const MASK_ATTR = 'data-frontdesk-mask';
const BLOCK_ATTR = 'data-frontdesk-block';
const UNMASK_ATTR = 'data-frontdesk-unmask';
const MASK_CHAR = '•';
/** A masked value shows that something was typed, never how long it is beyond this. */
const MAX_MASK_CHARS = 12;

/** Card numbers, security codes, expiry dates, IBANs: by autocomplete token, name, id or label hints. */
const PAYMENT_AUTOCOMPLETE = /^(cc-|transaction-)/i;
const PAYMENT_NAME = /(card|cc-?(num|number|csc|cvc|exp)|cvc|cvv|csc|security.?code|iban|expir|pan$|\bpin\b)/i;

/** A selector list as one selector the browser accepts (an invalid one in the settings is left out, not fatal). */
export function compileSelectors(selectors: readonly string[]): string | null {
  const valid = selectors.filter((s) => {
    try {
      document.createDocumentFragment().querySelector(s);
      return s.trim().length > 0;
    } catch {
      return false;
    }
  });
  return valid.length > 0 ? valid.join(',') : null;
}

export class Privacy {
  readonly #mask: string;
  readonly #block: string;
  readonly #unmask: string;

  constructor(rules: PrivacyRules) {
    const extra = (attr: string, list: readonly string[]) => [`[${attr}]`, compileSelectors(list)].filter((s): s is string => !!s).join(',');
    this.#mask = extra(MASK_ATTR, rules.maskSelectors);
    this.#block = extra(BLOCK_ATTR, rules.blockSelectors);
    this.#unmask = extra(UNMASK_ATTR, rules.unmaskSelectors);
  }

  /** The element or an ancestor is blocked: it is sent as a box. */
  isBlocked(el: Element): boolean {
    return el.closest(this.#block) !== null;
  }

  /** The element or an ancestor masks its text. */
  isMasked(el: Element): boolean {
    return el.closest(this.#mask) !== null;
  }

  /** Password and payment fields: their value never leaves the page, whatever the settings say. */
  isSensitive(el: Element): boolean {
    if (!isField(el)) return false;
    if (el instanceof HTMLInputElement && (el.type === 'password' || el.type === 'hidden')) return true;
    const autocomplete = el.getAttribute('autocomplete') ?? '';
    if (autocomplete.split(/\s+/).some((token) => PAYMENT_AUTOCOMPLETE.test(token) || token === 'current-password' || token === 'new-password' || token === 'one-time-code')) return true;
    return PAYMENT_NAME.test(el.getAttribute('name') ?? '') || PAYMENT_NAME.test(el.id) || PAYMENT_NAME.test(el.getAttribute('aria-label') ?? '');
  }

  /** The page opted this field in (and nothing masks it): its value is sent as typed. */
  isOptedIn(el: Element): boolean {
    return !this.isSensitive(el) && !this.isMasked(el) && el.closest(this.#unmask) !== null;
  }

  /**
   * What of a field's value may leave: the value itself (opted in), a mask that shows only that
   * something is typed, or nothing at all (password and payment fields: undefined).
   */
  fieldValue(el: Element, value: string): string | undefined {
    if (this.isSensitive(el) || this.isBlocked(el)) return undefined;
    if (this.isOptedIn(el)) return value;
    return maskText(value);
  }
}

export function isField(el: Element): el is HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement {
  return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
}

/** Each visible character becomes a bullet (at most MAX_MASK_CHARS); spaces stay, so a masked text keeps its shape. */
export function maskText(text: string): string {
  let out = '';
  let count = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) out += ch;
    else if (count++ < MAX_MASK_CHARS) out += MASK_CHAR;
  }
  return out;
}
