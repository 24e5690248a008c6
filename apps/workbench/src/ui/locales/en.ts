/** English strings of the shared controls (dialog, toast). */
export const en = {
  close: 'Close',
  dismiss: 'Dismiss',
};
export type UiStrings = typeof en;
