import type { CallSupervisionTimeline } from '@frontdesk/protocol';
import type { AgentClient, Call, CallInEvent } from '@frontdesk/sdk-agent';
import { partyKey, withRemoteStream } from './call-parties.ts';
import { applySupervisionStep, NO_SUPERVISORS, type CallSupervisors } from './call-supervisors.ts';

/** One call of the signed-in agent, as the call screens see it; a new object on every change. */
export interface CallEntry {
  call: Call;
  /** The visitor's name from the ring (`callIn`), null when the call was not rung here (a reload). */
  nickname: string | null;
  /** When the ring stops (ms), null when unknown. */
  expiresAt: number | null;
  local: MediaStream | null;
  /** Every other party's media by party (`partyKey`): one stream each, a party leaving removes only its own. */
  remotes: ReadonlyMap<string, MediaStream>;
  /** The call's media failed (publishing gave up, a rejoin failed); the call goes on until hung up. */
  mediaError: { code: string; message: string } | null;
  /** Supervisors the agent hears in the call (whisper, barge); never a silent monitor. */
  supervisors: CallSupervisors;
}

export interface CallsSnapshot {
  /** Calls ringing for this agent (answer or decline). */
  ringing: readonly CallEntry[];
  /** The call this agent is in (answered, called out, or just ended and not dismissed yet). */
  current: CallEntry | null;
  /** Whether the agent is in a call now (its leg connecting, connected or held). */
  isOnCall: boolean;
}

const NO_STREAMS: ReadonlyMap<string, MediaStream> = new Map();

const IN_CALL: ReadonlySet<string> = new Set(['connecting', 'connected', 'held']);

type Listener = () => void;

/**
 * The signed-in agent's calls, kept from the SDK (`Call.list()`, `callUpdated`, `callIn`, the
 * streams of the tab holding the connection). The call this agent answered or made stays `current`
 * after it ended, with its reason, until the agent closes it (`dismiss`).
 */
export function createCallsStore(client: AgentClient) {
  const entries = new Map<string, CallEntry>();
  const listeners = new Set<Listener>();
  const dismissed = new Set<string>();
  let snapshot: CallsSnapshot = { ringing: [], current: null, isOnCall: false };
  const me = () => client.Agent.me()?.id ?? null;
  const myLeg = (call: Call) => ownLeg(call, me());
  /**
   * Calls this agent is in as a third party (it answered an invite), while it is in them: their end
   * shows as its own. NOTE: kept from the last live view, so an agent who left (or transferred) is not in it.
   */
  const joined = new Set<string>();
  /** A call this agent made or answered: its main agent, the callee who answered an internal call, or a third party still in it. */
  const isMine = (call: Call) => call.mainAgentId === me() || (call.direction === 'internal' && (myLeg(call)?.acceptedAt ?? null) !== null) || joined.has(call.id);

  /** What came for a call before its first view (a ring, a stream): applied when the view comes. */
  const early = new Map<string, Partial<CallEntry>>();
  const put = (id: string, patch: Partial<CallEntry> & { call?: Call | undefined }) => {
    const known = entries.get(id);
    const { call = known?.call, ...rest } = patch;
    if (!call) {
      early.set(id, { ...early.get(id), ...rest });
      return;
    }
    entries.set(id, { nickname: null, expiresAt: null, local: null, remotes: NO_STREAMS, mediaError: null, supervisors: NO_SUPERVISORS, ...early.get(id), ...known, ...rest, call });
    early.delete(id);
    publish();
  };

  function publish() {
    // Calls rung here and answered by someone else (or declined) are not this agent's to show.
    for (const [id, entry] of entries) if (entry.call.phase === 'ended' && !isMine(entry.call)) entries.delete(id);
    for (const { call } of entries.values()) {
      if (call.phase === 'ended') continue;
      if (call.mainAgentId !== me() && IN_CALL.has(myLeg(call)?.leg ?? '')) joined.add(call.id);
      else joined.delete(call.id);
    }
    const all = [...entries.values()].sort((a, b) => b.call.createdAt - a.call.createdAt);
    const ringing = all.filter((e) => e.call.phase !== 'ended' && myLeg(e.call)?.leg === 'ringing');
    const live = all.find((e) => e.call.phase !== 'ended' && IN_CALL.has(myLeg(e.call)?.leg ?? ''));
    // A call this agent answered or made, ended and not closed yet (it says why it ended).
    const ended = all.find((e) => e.call.phase === 'ended' && isMine(e.call) && !dismissed.has(e.call.id));
    snapshot = { ringing, current: live ?? ended ?? null, isOnCall: live !== undefined };
    for (const listener of listeners) listener();
  }

  /**
   * Who the agent hears in a call it finds live (a reload mid-whisper): the call's timeline as its agent
   * reads it. NOTE: a step told meanwhile is newer than this read; the read applies only when none was.
   */
  function readSupervisors(callId: string) {
    client.api
      .get<CallSupervisionTimeline>(`/v1/calls/${encodeURIComponent(callId)}/supervision`)
      .then(({ steps }) => {
        const told = entries.get(callId)?.supervisors ?? early.get(callId)?.supervisors ?? NO_SUPERVISORS;
        if (told.lastSeq > 0) return;
        const read = steps.reduce(applySupervisionStep, NO_SUPERVISORS);
        if (read.heard.length > 0) put(callId, { supervisors: read });
      })
      .catch(() => undefined);
  }
  const remotesOf = (id: string) => entries.get(id)?.remotes ?? early.get(id)?.remotes ?? NO_STREAMS;
  const supervisorsOf = (id: string) => entries.get(id)?.supervisors ?? early.get(id)?.supervisors ?? NO_SUPERVISORS;

  for (const call of client.Call.list()) {
    put(call.id, { call });
    if (call.phase === 'active' || call.phase === 'held') readSupervisors(call.id);
  }
  const media = (id: string) => client.Call.getMedia({ sessionId: id });
  const offs = [
    client.on('callUpdated', ({ call }) => {
      const known = entries.get(call.id);
      // Streams the SDK already holds (a rejoin after a reload raises them before this view).
      const held = !known ? media(call.id) : null;
      const streams = held ? new Map(held.remoteStreams.map(({ party, stream }) => [partyKey(party), stream])) : null;
      put(call.id, { call, ...(call.phase === 'ended' ? { local: null, remotes: NO_STREAMS, supervisors: NO_SUPERVISORS } : held && streams ? { local: held.localStream, remotes: streams } : {}) });
      // A live call first seen here (a reload): a supervisor may be speaking in it already.
      if (!known && (call.phase === 'active' || call.phase === 'held')) readSupervisors(call.id);
    }),
    // NOTE: a supervisor hears of its own steps too (the board's call): those are not someone it hears.
    client.on('callSupervision', ({ sessionId, step }) => step.supervisorId !== me() && put(sessionId, { supervisors: applySupervisionStep(supervisorsOf(sessionId), step) })),
    client.on('callIn', (event: CallInEvent) => {
      if (event.type === 'im') return;
      put(event.sessionId, { nickname: event.nickname, expiresAt: event.expiresAt || null, call: client.Call.get({ sessionId: event.sessionId }) ?? entries.get(event.sessionId)?.call });
    }),
    client.on('localStream', ({ sessionId, stream }) => put(sessionId, { local: stream })),
    client.on('remoteStream', ({ sessionId, party, stream }) => put(sessionId, { remotes: withRemoteStream(remotesOf(sessionId), party, stream) })),
    client.on('callError', ({ sessionId, errorCode, errorMsg }) => put(sessionId, { mediaError: { code: errorCode, message: errorMsg } })),
  ];

  return {
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: (): CallsSnapshot => snapshot,
    /** The live call of a conversation, if any (its header offers no new call meanwhile). */
    liveCallOf(conversationId: string): Call | null {
      return [...entries.values()].find((e) => e.call.conversationId === conversationId && e.call.phase !== 'ended')?.call ?? null;
    },
    /** Names the other party of a call this agent placed (an internal call: the colleague's name, known to the caller). */
    name(callId: string, nickname: string) {
      put(callId, { nickname });
    },
    /** Closes an ended call's screen. */
    dismiss(callId: string) {
      dismissed.add(callId);
      client.Call.deleteCall({ sessionId: callId });
      entries.delete(callId);
      publish();
    },
    clearMediaError(callId: string) {
      put(callId, { mediaError: null });
    },
    dispose() {
      for (const off of offs) off();
      listeners.clear();
    },
  };
}

export type CallsStore = ReturnType<typeof createCallsStore>;

/**
 * This agent's leg in a call: the live one, else its last. NOTE: an agent may have several legs in
 * one call (it transferred the call away and it came back, or a queue offered it again).
 */
export function ownLeg(call: Call, agentId: string | null): Call['participants'][number] | undefined {
  const mine = call.participants.filter((p) => p.role === 'agent' && p.userId === agentId);
  return mine.find((p) => p.leg !== 'left') ?? mine.at(-1);
}
