/** English strings of the keyboard shortcuts. */
export const en = {
  title: 'Keyboard shortcuts',
  next: 'Next conversation',
  previous: 'Previous conversation',
  reply: 'Write a reply',
  help: 'Show this list',
  hint: 'Letters work when you are not typing in a field; Alt with an arrow works everywhere.',
  close: 'Close',
};
export type ShortcutStrings = typeof en;
