/**
 * The workbench's keyboard shortcuts: which key does what. Pure: `shortcutOf` reads a key event's
 * fields and says which shortcut it is, or none (typing in a field is never a shortcut, except Esc).
 */
export type Shortcut = 'help' | 'next' | 'previous' | 'reply';

export const SHORTCUT_KEYS: readonly { shortcut: Shortcut; keys: readonly string[] }[] = [
  { shortcut: 'next', keys: ['j', 'Alt+↓'] },
  { shortcut: 'previous', keys: ['k', 'Alt+↑'] },
  { shortcut: 'reply', keys: ['r'] },
  { shortcut: 'help', keys: ['?'] },
];

export interface KeyInput {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** The event comes from a text field, a select or an editable element. */
  isTyping: boolean;
}

export function shortcutOf(event: KeyInput): Shortcut | null {
  if (event.ctrlKey || event.metaKey) return null;
  if (event.altKey && event.key === 'ArrowDown') return 'next';
  if (event.altKey && event.key === 'ArrowUp') return 'previous';
  if (event.altKey || event.isTyping) return null;
  switch (event.key) {
    case '?':
      return 'help';
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    case 'r':
      return 'reply';
    default:
      return null;
  }
}

/** The conversation `step` places after `current` in `order` (wrapping); the first one when none is open. */
export function neighbourOf(order: readonly string[], current: string | null, step: 1 | -1): string | null {
  if (order.length === 0) return null;
  const index = current === null ? -1 : order.indexOf(current);
  if (index === -1) return step === 1 ? order[0]! : order[order.length - 1]!;
  return order[(index + step + order.length) % order.length]!;
}

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type));
}
