import type { CobrowseEndReason, CobrowseInput, CobrowseSession, CobrowseStepKind } from '@frontdesk/protocol';
import { COBROWSE_CONTROL_KINDS, isCobrowseLive } from '@frontdesk/protocol';

/**
 * The pure core of co-browsing: a session's consent state machine, and who may send or receive
 * what in each state. Data in, decisions out, no I/O; the shell loads the session, applies the
 * decision in one transaction and tells the sockets.
 */

/** Who acts: the conversation's visitor, an agent of its app (holding it or not, supervisor or not), or the system. */
export type Actor =
  | { role: 'visitor'; id: string }
  | { role: 'agent'; id: string; isHolder: boolean; isSupervisor: boolean }
  | { role: 'system' };

export type Command =
  | { type: 'start' }
  | { type: 'consent'; accept: boolean }
  | { type: 'control'; action: 'request' | 'grant' | 'deny' | 'revoke' }
  | { type: 'view'; viewing: boolean }
  /** The conversation changed hands (a transfer, an intercept): control stays only with its agent. */
  | { type: 'holder-changed'; holderId: string | null }
  | { type: 'end' };

/** The fields of a session the engine decides (the rest is the shell's: ids, the conversation). */
export type SessionState = Pick<CobrowseSession, 'status' | 'startedBy' | 'agentId' | 'controllerId' | 'viewers' | 'liveAt' | 'endedAt' | 'endReason'>;

export type Refusal = { code: 'FD_COBROWSE_NOT_ALLOWED' | 'FD_COBROWSE_ENDED' | 'FD_COBROWSE_ACTIVE'; message: string };

/** The engine's answer: the state after the command and the steps to record, or a refusal. */
export type Decision =
  | {
      ok: true;
      state: SessionState;
      /** What happened, in order (empty when the command changed nothing: it is idempotent). */
      steps: CobrowseStepKind[];
      /** A viewer (re)joined: the visitor's capture must send a fresh snapshot. */
      snapshotNeeded: boolean;
    }
  | ({ ok: false } & Refusal);

const refuse = (code: Refusal['code'], message: string): Decision => ({ ok: false, code, message });

export const isActive = (state: Pick<SessionState, 'status'>): boolean => state.status !== 'ended';
/** Consent given and not ended: the capture runs and the viewers see the page. */
export const isLive = (state: Pick<SessionState, 'status'>): boolean => isCobrowseLive(state.status);

/** May this agent watch the mirror? The conversation's agent and the app's supervisors; nobody else. */
export const mayView = (actor: Actor): boolean => actor.role === 'agent' && (actor.isHolder || actor.isSupervisor);

/** A new session: started by the visitor (consent given now) or proposed by the conversation's agent. */
export function decideStart(actor: Actor, now: number): Decision {
  if (actor.role === 'visitor') {
    return { ok: true, state: { status: 'live', startedBy: 'visitor', agentId: null, controllerId: null, viewers: [], liveAt: now, endedAt: null, endReason: null }, steps: ['started'], snapshotNeeded: false };
  }
  if (actor.role === 'agent' && actor.isHolder) {
    return { ok: true, state: { status: 'proposed', startedBy: 'agent', agentId: actor.id, controllerId: null, viewers: [], liveAt: null, endedAt: null, endReason: null }, steps: ['proposed'], snapshotNeeded: false };
  }
  return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the visitor or the agent holding the conversation starts a co-browse');
}

function ended(state: SessionState, reason: CobrowseEndReason, now: number, steps: CobrowseStepKind[]): Decision {
  return { ok: true, state: { ...state, status: 'ended', controllerId: null, viewers: [], endedAt: now, endReason: reason }, steps, snapshotNeeded: false };
}

/**
 * One command on an existing session. Every rule of consent is here: only the visitor consents
 * and grants; only the conversation's agent proposes and asks for control; control is never
 * granted without a request; an ended session takes no command but `end` (a no-op).
 */
export function decide(state: SessionState, actor: Actor, command: Command, now: number): Decision {
  if (state.status === 'ended') {
    return command.type === 'end' || (command.type === 'view' && !command.viewing) ? { ok: true, state, steps: [], snapshotNeeded: false } : refuse('FD_COBROWSE_ENDED', 'the co-browse has ended');
  }
  switch (command.type) {
    case 'start':
      // A visitor pressing "share my screen" while an agent's proposal waits: that is consent.
      if (actor.role === 'visitor' && state.status === 'proposed') return decide(state, actor, { type: 'consent', accept: true }, now);
      return refuse('FD_COBROWSE_ACTIVE', 'a co-browse is going on in this conversation already');
    case 'consent':
      if (actor.role !== 'visitor') return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the visitor consents to a co-browse');
      if (state.status !== 'proposed') return refuse('FD_COBROWSE_NOT_ALLOWED', 'there is no proposal to answer');
      if (!command.accept) return ended(state, 'rejected', now, ['rejected', 'ended']);
      return { ok: true, state: { ...state, status: 'live', liveAt: now }, steps: ['started'], snapshotNeeded: state.viewers.length > 0 };
    case 'control':
      return decideControl(state, actor, command.action);
    case 'view': {
      if (!mayView(actor) || actor.role !== 'agent') return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the conversation’s agent and supervisors watch a co-browse');
      const isViewing = state.viewers.includes(actor.id);
      if (!command.viewing) {
        if (!isViewing) return { ok: true, state, steps: [], snapshotNeeded: false };
        // A controller who stops watching gives control back: nobody acts on a page they cannot see.
        const gaveBack = state.controllerId === actor.id && state.status === 'control-granted';
        const next: SessionState = { ...state, viewers: state.viewers.filter((v) => v !== actor.id), ...(gaveBack ? { status: 'live' as const, controllerId: null } : {}) };
        return { ok: true, state: next, steps: gaveBack ? ['viewer-left', 'control-revoked'] : ['viewer-left'], snapshotNeeded: false };
      }
      // Watching again (a reconnect, a gap in the mirror) asks for a fresh snapshot, never a broken mirror.
      return { ok: true, state: isViewing ? state : { ...state, viewers: [...state.viewers, actor.id] }, steps: isViewing ? [] : ['viewer-joined'], snapshotNeeded: isLive(state) };
    }
    case 'holder-changed': {
      if (actor.role !== 'system') return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the system tells of a new holder');
      const held = state.status === 'control-granted' || state.status === 'control-requested';
      if (!held || state.controllerId === command.holderId) return { ok: true, state, steps: [], snapshotNeeded: false };
      return { ok: true, state: { ...state, status: 'live', controllerId: null }, steps: [state.status === 'control-granted' ? 'control-revoked' : 'control-denied'], snapshotNeeded: false };
    }
    case 'end': {
      if (actor.role === 'visitor') return ended(state, 'visitor', now, ['ended']);
      if (actor.role === 'system') return ended(state, 'conversation-closed', now, ['ended']);
      if (actor.isHolder || actor.isSupervisor) return ended(state, 'agent', now, ['ended']);
      return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the visitor, the conversation’s agent or a supervisor ends a co-browse');
    }
  }
}

function decideControl(state: SessionState, actor: Actor, action: 'request' | 'grant' | 'deny' | 'revoke'): Decision {
  const same = (): Decision => ({ ok: true, state, steps: [], snapshotNeeded: false });
  switch (action) {
    case 'request':
      if (actor.role !== 'agent' || !actor.isHolder) return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the agent holding the conversation asks for control');
      if (state.status === 'control-requested' && state.controllerId === actor.id) return same();
      if (state.status !== 'live') return refuse('FD_COBROWSE_NOT_ALLOWED', state.status === 'proposed' ? 'the visitor has not accepted the co-browse yet' : 'control is asked for or held already');
      return { ok: true, state: { ...state, status: 'control-requested', agentId: actor.id, controllerId: actor.id }, steps: ['control-requested'], snapshotNeeded: false };
    case 'grant':
      if (actor.role !== 'visitor') return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the visitor grants control');
      if (state.status === 'control-granted') return same();
      if (state.status !== 'control-requested') return refuse('FD_COBROWSE_NOT_ALLOWED', 'nobody asked for control');
      return { ok: true, state: { ...state, status: 'control-granted' }, steps: ['control-granted'], snapshotNeeded: false };
    case 'deny':
      if (actor.role !== 'visitor') return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the visitor denies control');
      if (state.status !== 'control-requested') return same();
      return { ok: true, state: { ...state, status: 'live', controllerId: null }, steps: ['control-denied'], snapshotNeeded: false };
    case 'revoke': {
      // The visitor takes control back at once; the controller may hand it back.
      const mayRevoke = actor.role === 'visitor' || (actor.role === 'agent' && (actor.id === state.controllerId || actor.isSupervisor));
      if (!mayRevoke) return refuse('FD_COBROWSE_NOT_ALLOWED', 'only the visitor or the agent in control revokes control');
      if (state.status !== 'control-granted' && state.status !== 'control-requested') return same();
      return { ok: true, state: { ...state, status: 'live', controllerId: null }, steps: [state.status === 'control-granted' ? 'control-revoked' : 'control-denied'], snapshotNeeded: false };
    }
  }
}

/** A control action (click, scroll, type), as opposed to an annotation. */
export const isControlInput = (input: Pick<CobrowseInput, 'kind'>): boolean => (COBROWSE_CONTROL_KINDS as readonly string[]).includes(input.kind);

/** May the visitor's capture send this session's page now? Only once consent is given, until it ends. */
export function mayRelayData(state: Pick<SessionState, 'status'>, visitorId: string, sender: Actor): boolean {
  return isLive(state) && sender.role === 'visitor' && sender.id === visitorId;
}

/**
 * Where a viewer's input goes: annotations from any viewer to the visitor and the other viewers;
 * control actions only from the agent in control, while granted, to the visitor alone. Null: refused.
 */
export function routeInput(state: Pick<SessionState, 'status' | 'viewers' | 'controllerId'>, sender: Actor, input: Pick<CobrowseInput, 'kind'>): { toVisitor: boolean; toViewers: string[] } | null {
  if (!isLive(state) || sender.role !== 'agent' || !state.viewers.includes(sender.id)) return null;
  if (isControlInput(input)) {
    return state.status === 'control-granted' && state.controllerId === sender.id ? { toVisitor: true, toViewers: [] } : null;
  }
  return { toVisitor: true, toViewers: state.viewers.filter((v) => v !== sender.id) };
}
