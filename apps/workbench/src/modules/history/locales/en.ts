/** English strings of the conversation history (search, filters, a past conversation). */
export const en = {
  title: 'Conversation history',
  searchPlaceholder: 'Search messages and names…',
  searchLabel: 'Search conversations',
  filtersLabel: 'Which conversations',
  filters: { mine: 'Mine', unassigned: 'Unassigned', queue: 'In queue', all: 'All open', closed: 'Closed', everything: 'Everything' },
  searchFailed: 'Could not search: {error}',
  nothingFound: 'Nothing found.',
  noneHere: 'No conversations here.',
  chooseHint: 'Search, or choose a conversation on the left.',
  nameMatches: 'Name matches',
  open: 'Open',
  openFailed: 'Could not open this conversation: {error}',
  back: 'Back',
  backToList: 'Back to the list',
  loading: 'Loading…',
};
export type HistoryStrings = typeof en;
