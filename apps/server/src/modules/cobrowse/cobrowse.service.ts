import type { CobrowseData, CobrowseInput, CobrowseSession, CobrowseStep, PartyRef, ServerFrame } from '@frontdesk/protocol';
import type { Events } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { ConversationsService } from '../conversations/index.ts';
import { isActive, isControlInput, mayRelayData, routeInput, type Actor, type Command } from './engine/cobrowse-engine.ts';
import { CobrowseError } from './cobrowse.errors.ts';
import { createCobrowseShell, stateOf, type ConversationRef } from './cobrowse.shell.ts';
import { createCobrowseCodes } from './cobrowse-codes.ts';

/**
 * NOTE: the capture's batches (up to ~10 a second per session) are checked against a session read
 * at most this long ago on this node; a change made on this node is seen at once (the cache is
 * updated), one made on another node within this time. Control actions always read the session.
 */
const SESSION_CACHE_MS = 1000;

/** Where a relayed frame goes: sockets of these parties. */
export interface Relay {
  appId: string;
  to: PartyRef[];
  frame: ServerFrame;
}

/**
 * Co-browsing (SPEC M32): who may start, consent, watch, annotate and control, checked on the
 * server for every command and every relayed frame. Another app's or another conversation's
 * session is not found; an agent who neither holds the conversation nor supervises may not watch.
 */
export function createCobrowseService(deps: {
  storage: Storage;
  clock: Clock;
  events: Events;
  conversations: Pick<ConversationsService, 'readable' | 'appendCobrowseNotice'>;
  /** Whether the conversation's channel offers co-browsing (its settings; null: the app's default channel). */
  isEnabled: (appId: string, channelId: string | null) => Promise<boolean>;
}) {
  const { clock, conversations } = deps;
  const shell = createCobrowseShell(deps);
  const codes = createCobrowseCodes(deps);
  const cache = new Map<string, { readAt: number; appId: string; session: CobrowseSession }>();

  function remember(appId: string, session: CobrowseSession): CobrowseSession {
    if (isActive(session)) cache.set(session.id, { readAt: clock.now(), appId, session });
    else cache.delete(session.id);
    return session;
  }

  /** The caller as an actor of this conversation (other apps' and other visitors' conversations are not found). */
  async function actorIn(principal: Principal, conversationId: string): Promise<{ conversation: ConversationRef & { status: string; channelId: string | null }; actor: Actor }> {
    if (principal.kind === 'apiKey') throw new CobrowseError('FD_AUTH_FORBIDDEN', 'co-browsing is between a visitor and staff, not API keys');
    const c = await conversations.readable(principal, conversationId);
    const conversation = { appId: c.appId, id: c.id, visitorId: c.visitorId, agentId: c.agentId, status: c.status, channelId: c.channelId };
    if (principal.kind === 'visitor') return { conversation, actor: { role: 'visitor', id: principal.visitorId } };
    return { conversation, actor: { role: 'agent', id: principal.agentId, isHolder: c.agentId === principal.agentId, isSupervisor: hasRole(principal, 'supervisor') } };
  }

  async function sessionOf(principal: Principal, sessionId: string) {
    const found = await shell.find(principal.appId, sessionId);
    if (!found) throw new CobrowseError('FD_COBROWSE_NOT_FOUND', `co-browse ${sessionId} not found`);
    // The conversation's access rules apply: a visitor of another conversation gets "not found" from it.
    return { session: found.session, ...(await actorIn(principal, found.session.conversationId)) };
  }

  async function command(principal: Principal, sessionId: string, cmd: Command): Promise<CobrowseSession> {
    const { conversation, actor } = await sessionOf(principal, sessionId);
    return remember(conversation.appId, await shell.command(conversation, sessionId, actor, cmd));
  }

  /** The session for relaying the capture's batches: cached briefly (see SESSION_CACHE_MS). */
  async function cachedSession(appId: string, sessionId: string): Promise<CobrowseSession | undefined> {
    const hit = cache.get(sessionId);
    if (hit && hit.appId === appId && clock.now() - hit.readAt < SESSION_CACHE_MS) return hit.session;
    const found = await shell.find(appId, sessionId);
    if (!found) return undefined;
    return remember(appId, found.session);
  }

  return {
    /** The visitor starts one (consent given), or the conversation's agent proposes one. */
    async start(principal: Principal, conversationId: string): Promise<CobrowseSession> {
      const { conversation, actor } = await actorIn(principal, conversationId);
      if (conversation.status !== 'open') throw new CobrowseError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
      if (!(await deps.isEnabled(conversation.appId, conversation.channelId))) throw new CobrowseError('FD_COBROWSE_NOT_ALLOWED', 'co-browsing is off in this channel');
      return remember(conversation.appId, await shell.start(conversation, actor));
    },
    consent: (principal: Principal, sessionId: string, accept: boolean) => command(principal, sessionId, { type: 'consent', accept }),
    control: (principal: Principal, sessionId: string, action: 'request' | 'grant' | 'deny' | 'revoke') => command(principal, sessionId, { type: 'control', action }),
    end: (principal: Principal, sessionId: string) => command(principal, sessionId, { type: 'end' }),
    /** Start (again) or stop watching; `joined` says the caller was not watching before (its socket's close ends it). */
    async view(principal: Principal, sessionId: string, viewing: boolean): Promise<{ session: CobrowseSession; joined: boolean }> {
      // One read of the session and the conversation serves both the command and `joined`.
      const { session: before, conversation, actor } = await sessionOf(principal, sessionId);
      const session = remember(conversation.appId, await shell.command(conversation, sessionId, actor, { type: 'view', viewing }));
      const id = principal.kind === 'agent' ? principal.agentId : '';
      return { session, joined: viewing && !before.viewers.includes(id) && session.viewers.includes(id) };
    },

    /**
     * A short code for the browser extension (the conversation's agent reads it out to the visitor):
     * whoever types it in gets a session of the conversation's visitor, once, within 10 minutes.
     */
    async createCode(principal: Principal, conversationId: string): Promise<{ code: string; expiresAt: number }> {
      const { conversation, actor } = await actorIn(principal, conversationId);
      if (actor.role !== 'agent' || !actor.isHolder) throw new CobrowseError('FD_COBROWSE_NOT_ALLOWED', 'only the agent holding the conversation creates a co-browse code');
      if (conversation.status !== 'open') throw new CobrowseError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
      if (!(await deps.isEnabled(conversation.appId, conversation.channelId))) throw new CobrowseError('FD_COBROWSE_NOT_ALLOWED', 'co-browsing is off in this channel');
      return codes.create({ appId: conversation.appId, conversationId: conversation.id, visitorId: conversation.visitorId, agentId: actor.id });
    },
    /** The conversation and visitor a code names (used up); FD_COBROWSE_NOT_FOUND when wrong, used or expired. */
    redeemCode: (appId: string, code: string) => codes.redeem(appId, code),

    /** The sessions of a conversation, oldest first, for its visitor and the app's staff. */
    async list(principal: Principal, conversationId: string): Promise<CobrowseSession[]> {
      // An API key reads them too (an admin's integration); the conversation's rules say who else.
      const conversation = await conversations.readable(principal, conversationId);
      return shell.list(conversation.appId, conversation.id);
    },
    /** The steps of a conversation's sessions (who viewed, controlled, when): for its CDR. */
    async stepsOf(appId: string, conversationId: string): Promise<CobrowseStep[]> {
      const sessions = await shell.list(appId, conversationId);
      return shell.steps(
        appId,
        sessions.map((s) => s.id),
      );
    },

    /**
     * The visitor's capture batch, for the session's viewers: only from the session's visitor, only
     * with consent given and not ended. Null: dropped (the viewers' mirrors ask again on a gap).
     */
    async relayData(principal: Principal, data: CobrowseData): Promise<Relay | null> {
      if (principal.kind !== 'visitor') return null;
      const session = await cachedSession(principal.appId, data.sessionId);
      if (!session || session.visitorId !== principal.visitorId || !mayRelayData(stateOf(session), session.visitorId, { role: 'visitor', id: principal.visitorId })) return null;
      if (session.viewers.length === 0) return null;
      return { appId: principal.appId, to: session.viewers.map((id) => ({ role: 'agent', id })), frame: { type: 'cobrowse.data', ...data } };
    },

    /**
     * A viewer's annotation (to the visitor and the other viewers) or control action (to the visitor,
     * only from the agent granted control). Control reads the session now: a revoke is never late.
     */
    async relayInput(principal: Principal, sessionId: string, input: CobrowseInput): Promise<Relay | null> {
      if (principal.kind !== 'agent') return null;
      const session = isControlInput(input) ? (await shell.find(principal.appId, sessionId))?.session : await cachedSession(principal.appId, sessionId);
      if (!session) return null;
      const actor: Actor = { role: 'agent', id: principal.agentId, isHolder: false, isSupervisor: hasRole(principal, 'supervisor') };
      const route = routeInput(stateOf(session), actor, input);
      if (!route) return null;
      const to: PartyRef[] = [...(route.toVisitor ? [{ role: 'visitor' as const, id: session.visitorId }] : []), ...route.toViewers.map((id) => ({ role: 'agent' as const, id }))];
      return { appId: principal.appId, to, frame: { type: 'cobrowse.input', sessionId, from: principal.agentId, input } };
    },

    /** The conversation may have changed hands: an agent who no longer holds it loses control of the page. */
    async holderChanged(appId: string, conversation: ConversationRef): Promise<void> {
      const active = await shell.active(appId, conversation.id);
      if (!active || active.controllerId === null || active.controllerId === conversation.agentId) return;
      remember(appId, await shell.command(conversation, active.id, { role: 'system' }, { type: 'holder-changed', holderId: conversation.agentId }));
    },

    /** The conversation closed: its active session ends with it. */
    async endForConversation(appId: string, conversation: ConversationRef): Promise<void> {
      const active = await shell.active(appId, conversation.id);
      if (active) remember(appId, await shell.command(conversation, active.id, { role: 'system' }, { type: 'end' }));
    },
  };
}

export type CobrowseService = ReturnType<typeof createCobrowseService>;

/**
 * Who hears of a change: the visitor, the conversation's agent, everyone watching before or after,
 * and whoever acted (a viewer who left still learns it stands). Agent ids and the visitor only.
 */
export function changeAudience(event: { session: CobrowseSession; steps: readonly CobrowseStep[]; agentId: string | null; viewersBefore: readonly string[] }): PartyRef[] {
  const agents = new Set<string>([...event.viewersBefore, ...event.session.viewers]);
  if (event.agentId) agents.add(event.agentId);
  if (event.session.agentId) agents.add(event.session.agentId);
  for (const step of event.steps) if (step.actorRole === 'agent' && step.actorId) agents.add(step.actorId);
  return [{ role: 'visitor', id: event.session.visitorId }, ...[...agents].map((id) => ({ role: 'agent' as const, id }))];
}
