/** English strings of the agent's own canned responses. */
export const en = {
  mine: 'Mine',
  picker: 'Canned responses',
  noMatch: 'No canned response matches.',
  myResponses: 'My canned responses',
  myResponsesHint: 'Only you see these. Type / and the shortcut in a reply to use one.',
  none: 'You have no canned responses of your own yet.',
  shortcut: 'Shortcut',
  shortcutHint: 'Letters, digits, - or _ (typed after /)',
  title: 'Title',
  text: 'Text',
  add: 'Save as mine',
  delete: 'Delete /{shortcut}',
  close: 'Close',
  saved: 'Saved as /{shortcut}',
};
export type CannedStrings = typeof en;
