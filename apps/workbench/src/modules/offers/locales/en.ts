/** English strings of the offer bar (ringing chats and the pool). */
export const en = {
  incomingChats: 'Incoming chats',
  incomingChat: 'Incoming chat',
  waitingInPool: 'Waiting in the pool',
  timeLeft: 'Time left to answer',
  accept: 'Accept',
  take: 'Take',
  decline: 'Decline',
  couldNotTake: 'Could not take the chat: {error}',
  couldNotDecline: 'Could not decline: {error}',
};
export type OfferStrings = typeof en;
