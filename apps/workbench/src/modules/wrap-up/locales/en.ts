/** English strings of the wrap-up (disposition codes and tags). */
export const en = {
  wrapUp: 'Wrap-up',
  disposition: 'Outcome',
  noDisposition: 'Choose an outcome…',
  tags: 'Tags',
  note: 'Wrap-up note',
  save: 'Save wrap-up',
  saved: 'Wrap-up saved',
  savedBy: 'Saved {time}',
  noLabels: 'No outcomes or tags yet: an admin adds them under Admin › Wrap-up.',
  // admin page
  pageTitle: 'Wrap-up outcomes and tags',
  pageHint: 'Agents pick one outcome and any tags when they finish a conversation. Archive what you no longer use: past conversations keep it.',
  outcomes: 'Outcomes',
  tagList: 'Tags',
  newOutcome: 'New outcome',
  newTag: 'New tag',
  add: 'Add',
  archive: 'Archive',
  restore: 'Restore',
  archived: 'archived',
  none: 'None yet.',
};
export type WrapUpStrings = typeof en;
