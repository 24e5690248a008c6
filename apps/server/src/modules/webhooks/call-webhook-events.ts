import type { CallAction, CallState } from '../calls/index.ts';
import type { OutboxEvent } from './outbox.ts';

type PartyKey = `${'agent' | 'visitor'}:${string}`;
export type NamesOf = (parties: { role: 'agent' | 'visitor'; id: string }[]) => Promise<Map<string, string>>;

/** `errorCode` of an ended call: 0 answered and hung up by a party, 1 never answered, 2 failed (media, a party's device). */
function errorCodeOf(reason: CallState['endReason']): number {
  switch (reason) {
    case 'visitor_hung_up':
    case 'agent_hung_up':
    case 'callee_hung_up':
      return 0;
    case 'media_failure':
    case 'peer_lost':
    case 'visitor_error':
    case 'callee_error':
      return 2;
    default:
      return 1;
  }
}

/**
 * The `call.state_changed` webhook events of one call decision (AnyChat `videocall_notify` eventtypes
 * 1–4): `requested` when the first callee rings (an agent for a visitor's call, the visitor for an
 * agent's), `answered` when it is answered, `started` when both sides' media first flows, `ended`
 * once. `from` is the caller, `to` the callee (or the agent who answered). Ordered per call (an
 * internal call, which has no conversation, by its own id); `internal` marks agent-to-agent calls.
 */
export async function callWebhookEventsOf(appId: string, call: CallState, actions: readonly CallAction[], namesOf: NamesOf): Promise<OutboxEvent[]> {
  type Party = { role: 'agent' | 'visitor'; id: string };
  const internalCallee = call.participants.find((p) => p.role === 'agent' && p.origin === 'callee');
  const caller: Party = call.direction === 'inbound' ? { role: 'visitor', id: call.visitorId ?? '' } : { role: 'agent', id: call.mainAgentId ?? '' };
  const calleeOf = (fallback?: Party): Party | undefined =>
    call.direction === 'internal'
      ? internalCallee && { role: 'agent', id: internalCallee.userId }
      : call.direction === 'outbound'
        ? { role: 'visitor', id: call.visitorId ?? '' }
        : call.mainAgentId
          ? { role: 'agent', id: call.mainAgentId }
          : fallback;
  const moments: { event: 'requested' | 'answered' | 'started' | 'ended'; to?: { role: 'agent' | 'visitor'; id: string } | undefined; at: number }[] = [];
  for (const action of actions) {
    if (action.type === 'participant.changed' && action.participant.leg === 'ringing' && action.participant.ringAt === call.ringAt && call.ringAt !== null) {
      moments.push({ event: 'requested', to: { role: action.participant.role, id: action.participant.userId }, at: call.ringAt });
    }
    if (action.type === 'call.phase_changed' && action.to === 'connecting' && action.from !== 'connecting') moments.push({ event: 'answered', to: calleeOf(), at: call.acceptedAt ?? call.createdAt });
    if (action.type === 'call.phase_changed' && action.to === 'active' && action.from === 'connecting') moments.push({ event: 'started', to: calleeOf(), at: call.connectedAt ?? call.createdAt });
    if (action.type === 'call.ended') {
      const lastRung = [...call.participants].reverse().find((p) => p.role !== caller.role);
      moments.push({ event: 'ended', to: calleeOf(lastRung && { role: lastRung.role, id: lastRung.userId }), at: call.endedAt ?? call.createdAt });
    }
  }
  if (moments.length === 0) return [];
  const names = await namesOf([caller, ...moments.flatMap((m) => (m.to ? [m.to] : []))]);
  const key = (p: { role: string; id: string }) => `${p.role}:${p.id}` as PartyKey;
  return moments.map((m) => ({
    appId,
    type: 'call.state_changed',
    orderingKey: call.conversationId ?? call.id,
    data: {
      callId: call.id,
      conversationId: call.conversationId,
      event: m.event,
      fromUserId: caller.id,
      fromUserName: names.get(key(caller)) ?? caller.id,
      toUserId: m.to?.id ?? '',
      toUserName: (m.to && names.get(key(m.to))) ?? m.to?.id ?? '',
      errorCode: m.event === 'ended' ? errorCodeOf(call.endReason) : 0,
      internal: call.direction === 'internal',
      at: m.at,
    },
  }));
}
