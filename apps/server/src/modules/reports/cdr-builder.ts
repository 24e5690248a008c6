import { CDR_CALL_TYPE_CHAT, CDR_END_STATUSES, type Cdr, type CdrEndStatusString, type CdrWrapUp, type CdrParticipant, type Conversation, type SupervisionStep } from '@frontdesk/protocol';
import { supervisorParticipants } from './supervisor-participants.ts';

/** One step of a conversation's routing history (routing's `conversationRouting().history`). */
export interface RoutingStep {
  type: string;
  at: number;
  data: Record<string, unknown>;
}

export interface AgentInfo {
  id: string;
  name: string;
  email: string;
  staffNumber: string;
  /** The names of the queues the agent serves (TCCC SkillGroupNameList). */
  queueNames: readonly string[];
}

export interface QueueInfo {
  name: string;
  /** TCCC SkillGroupId. */
  numericId: number;
}

/** What a CDR names besides the conversation and its history: the app's and queues' numbers, the agents. */
export interface CdrDirectory {
  appNumericId: number;
  queues: ReadonlyMap<string, QueueInfo>;
  agents: ReadonlyMap<string, AgentInfo>;
}

/** The seed's root fields Frontdesk has no value for (no telephone network, no IVR keys): present and empty. */
export const unknownCdrFields = () => ({
  Uui: '',
  CallerLocation: '',
  IVRKeyPressed: [],
  IVRKeyPressedEx: [],
  PostIVRKeyPressed: [],
  RecordId: '',
  UserRemark: '',
  TelLocation: { TelNumber: '', Country: '', Province: '', City: '', Operator: '' },
});

/** TCCC SeatUser: the agent who served last (a chat) or mainly (a call). */
export function seatUserOf(agentId: string | null | undefined, agents: CdrDirectory['agents']): Cdr['SeatUser'] {
  if (!agentId) return null;
  const agent = agents.get(agentId);
  return {
    UserId: agentId,
    Mail: agent?.email ?? '',
    Name: agent?.name ?? '',
    Nick: agent?.name ?? '',
    Phone: '',
    StaffNumber: agent?.staffNumber ?? '',
    SkillGroupNameList: [...(agent?.queueNames ?? [])],
  };
}

/** A ServeParticipant's fields Frontdesk fills the same way for every kind of participant. */
export const participantDefaults = () => ({
  Phone: '',
  RecordId: '',
  SkillGroupPriority: 0,
  TransferFrom: '',
  TransferFromType: '',
  TransferTo: '',
  TransferToType: '',
  TransferNote: null,
});

export const seconds = (ms: number | null | undefined): number => (ms ? Math.floor(ms / 1000) : 0);

/**
 * The pure core: a closed conversation and its routing history in, its TCCC-shaped CDR out.
 * One ServeParticipant per assignment (routed, taken from a pool, or claimed by hand: routing's
 * manual mode logs an assign too); a transfer ends the participation it leaves, with its note.
 * Agents are named by email and queues by numeric id, as the seed's receivers expect. Supervisors
 * who followed it come after the agents (`supervisorSeat`, supervisor-participants.ts). The agent's
 * wrap-up (disposition and tags) rides along so exports can group by it.
 */
export function buildCdr(conversation: Conversation, history: readonly RoutingStep[], directory: CdrDirectory, supervision: readonly SupervisionStep[] = [], wrapUp: CdrWrapUp | null = null): Cdr {
  const { queues, agents } = directory;
  const mailOf = (agentId: string) => agents.get(agentId)?.email ?? '';
  const queueOf = (queueId: string | null | undefined) => (queueId ? queues.get(queueId) : undefined);
  const endedAt = conversation.closedAt ?? conversation.updatedAt;
  const firstQueued = history.find((h) => h.type === 'session.queued');
  const firstOffer = history.find((h) => h.type === 'offer');
  const firstAssign = history.find((h) => h.type === 'assign');
  const participants: CdrParticipant[] = [];
  let current: CdrParticipant | undefined;
  let lastRingAt: number | null = null;
  let currentAgentId: string | undefined;
  let pendingNote: { note: string | null; from: string } | undefined;
  for (const step of history) {
    const agentId = typeof step.data.agentId === 'string' ? step.data.agentId : undefined;
    if (step.type === 'offer') lastRingAt = step.at;
    else if (step.type === 'transfer') {
      const note = typeof step.data.note === 'string' ? step.data.note : null;
      const to = step.data.to as { agentId?: string; queueId?: string } | undefined;
      if (current) {
        current.TransferTo = to?.agentId ? mailOf(to.agentId) : String(queueOf(to?.queueId)?.numericId ?? '');
        current.TransferToType = to?.agentId ? 'staffSeat' : 'skillGroup';
        current.TransferNote = note;
        // A supervisor's take-over (SPEC M28 intercept) ends the agent's participation as such.
        current.EndStatusString = step.data.intercept === true ? 'intercepted' : 'transferred';
        pendingNote = { note, from: current.Mail };
      }
    } else if (step.type === 'assign' && agentId) {
      if (current && current.EndedTimestamp === 0) current.EndedTimestamp = seconds(step.at);
      const queueId = typeof step.data.queueId === 'string' ? step.data.queueId : '';
      currentAgentId = agentId;
      current = {
        ...participantDefaults(),
        Mail: mailOf(agentId),
        Type: 'staffSeat',
        Sequence: participants.length,
        StartTimeStamp: seconds(lastRingAt ?? step.at),
        RingTimestamp: seconds(lastRingAt ?? step.at),
        AcceptTimestamp: seconds(step.at),
        EndedTimestamp: 0,
        SkillGroupId: queueOf(queueId)?.numericId ?? 0,
        SkillGroupName: queueOf(queueId)?.name ?? '',
        TransferFrom: pendingNote?.from ?? '',
        TransferFromType: pendingNote ? 'staffSeat' : '',
        EndStatusString: 'ok',
      };
      pendingNote = undefined;
      lastRingAt = null;
      participants.push(current);
    } else if (step.type === 'unassign' && current && currentAgentId === agentId) {
      current.EndedTimestamp = seconds(step.at);
    }
  }
  for (const p of participants) if (p.EndedTimestamp === 0) p.EndedTimestamp = seconds(endedAt);
  const servedBy = participants.length;
  participants.push(...supervisorParticipants(supervision, { mailOf, endedAtMs: endedAt, firstSequence: servedBy }));

  const endStatus = endStatusOf(history, servedBy > 0);
  const lastAgentId = currentAgentId ?? conversation.agentId;
  const queued = queueOf((firstQueued?.data.queueId as string | undefined) ?? conversation.queueId);
  const acceptAt = firstAssign?.at ?? null;
  return {
    SdkAppId: directory.appNumericId,
    SessionId: conversation.id,
    Caller: conversation.visitorId,
    Callee: conversation.channelId ?? '',
    Direction: 0,
    CallType: CDR_CALL_TYPE_CHAT,
    MediaType: 'chat',
    StartTimestamp: seconds(conversation.createdAt),
    StartTimeStamp: seconds(conversation.createdAt),
    QueuedTimestamp: seconds(firstQueued?.at),
    RingTimestamp: seconds(firstOffer?.at),
    AcceptTimestamp: seconds(acceptAt),
    EndedTimestamp: seconds(endedAt),
    Duration: acceptAt ? Math.max(0, seconds(endedAt) - seconds(acceptAt)) : 0,
    IVRDuration: firstQueued ? Math.max(0, seconds(firstQueued.at) - seconds(conversation.createdAt)) : 0,
    QueuedSkillGroupId: queued?.numericId ?? 0,
    QueuedSkillGroupName: queued?.name ?? '',
    SeatUser: seatUserOf(lastAgentId, agents),
    ServeParticipants: participants,
    HungUpSide: conversation.closeBy === 'client' ? 'user' : conversation.closeBy === 'seat' ? 'seat' : 'system',
    EndStatus: CDR_END_STATUSES[endStatus],
    EndStatusString: endStatus,
    ...unknownCdrFields(),
    WrapUp: wrapUp,
  };
}

/** The stored CDR with the wrap-up recorded after it was written (the rest unchanged). */
export function withWrapUp(cdr: Cdr, wrapUp: CdrWrapUp | null): Cdr {
  return { ...cdr, WrapUp: wrapUp };
}

function endStatusOf(history: readonly RoutingStep[], wasServed: boolean): CdrEndStatusString {
  if (history.some((h) => h.type === 'session.released')) return 'overflowReleased';
  if (wasServed) return 'ok';
  if (!history.some((h) => h.type === 'session.queued')) return 'ivrEnd';
  return history.some((h) => h.type === 'offer') && lastOf(history, 'offer') > lastOf(history, 'offer.withdrawn') ? 'ringingGiveUp' : 'waitingGiveUp';
}

function lastOf(history: readonly RoutingStep[], type: string): number {
  for (let i = history.length - 1; i >= 0; i--) if (history[i]!.type === type) return i;
  return -1;
}
