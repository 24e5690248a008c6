import { remoteParties as sharedRemoteParties } from '@frontdesk/protocol/call-parties';
import type { Call } from '@frontdesk/sdk-visitor';

export { partyKey, withRemoteStream } from '@frontdesk/protocol/call-parties';

type Participant = Call['participants'][number];

/** The parties the visitor sees and hears, one tile each (never the visitor itself). */
export const remoteParties = (call: Call, visitorId: string | null): Participant[] => sharedRemoteParties(call, visitorId === null ? null : { role: 'visitor', id: visitorId });

/** Whether the visitor is rung into another visitor's call (an agent invited it as a third party). */
export function isInvitedGuest(call: Call, visitorId: string | null): boolean {
  return visitorId !== null && call.visitorId !== visitorId && call.participants.some((p) => p.role === 'visitor' && p.userId === visitorId);
}
