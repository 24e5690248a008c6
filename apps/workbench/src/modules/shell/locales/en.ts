/** English strings of the top bar, the settings menu and the connection banner. */
export const en = {
  screens: 'Screens',
  inbox: 'Inbox',
  history: 'History',
  supervisor: 'Supervisor',
  wallboard: 'Wallboard',
  reports: 'Reports',
  admin: 'Admin',
  signOut: 'Sign out',
  loading: 'Loading…',
  title: 'Frontdesk workbench',
  titleWithCount: '({count}) Frontdesk workbench',
  settings: 'Settings',
  ringSetting: 'Ring for incoming chats',
  offerNotificationSetting: 'Browser notifications when this tab is hidden',
  language: 'Language',
  reconnecting: 'Reconnecting… Messages you send are kept and delivered once the connection is back.',
  hideWorkbench: 'Hide the workbench',
  showWorkbench: 'Show the workbench',
};
export type ShellStrings = typeof en;
