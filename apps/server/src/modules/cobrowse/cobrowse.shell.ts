import type { CobrowseEndReason, CobrowseSession, CobrowseStatus, CobrowseStep, CobrowseStepKind } from '@frontdesk/protocol';
import type { Events, TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { COBROWSE_ENDED, COBROWSE_STARTED, type ConversationsService } from '../conversations/index.ts';
import { decide, decideStart, isActive, type Actor, type Command, type Decision, type SessionState } from './engine/cobrowse-engine.ts';
import { CobrowseError } from './cobrowse.errors.ts';

type SessionRow = Database['cobrowse_sessions'];

/** The conversation as the shell needs it: whose it is and who holds it. */
export interface ConversationRef {
  appId: string;
  id: string;
  visitorId: string;
  agentId: string | null;
}

/**
 * The shell of the consent state machine: loads a session under its row lock, lets the engine
 * decide, saves the state and the steps, writes the conversation's notice when a session goes live
 * or ends, and announces `cobrowse.changed`, all in one transaction.
 */
export function createCobrowseShell(deps: { storage: Storage; clock: Clock; events: Events; conversations: Pick<ConversationsService, 'appendCobrowseNotice'> }) {
  const { storage, clock, events, conversations } = deps;
  const { db } = storage;

  async function apply(ctx: TxContext, conversation: ConversationRef, before: CobrowseSession | null, id: string, decision: Decision & { ok: true }, actor: Actor): Promise<CobrowseSession> {
    const { tx } = ctx;
    const now = clock.now();
    const session: CobrowseSession = {
      id,
      conversationId: conversation.id,
      visitorId: conversation.visitorId,
      createdAt: before?.createdAt ?? now,
      ...decision.state,
    };
    if (before === null) await tx.insertInto('cobrowse_sessions').values(toRow(conversation.appId, session)).execute();
    else if (decision.steps.length > 0) await tx.updateTable('cobrowse_sessions').set(toRow(conversation.appId, session)).where('id', '=', id).execute();
    if (decision.steps.length === 0 && !decision.snapshotNeeded) return session;
    const last = await tx.selectFrom('cobrowse_steps').select((eb) => eb.fn.max('seq').as('seq')).where('session_id', '=', id).executeTakeFirst();
    let seq = Number(last?.seq ?? 0);
    const steps: CobrowseStep[] = decision.steps.map((kind: CobrowseStepKind) => ({
      sessionId: id,
      seq: ++seq,
      kind,
      actorRole: actor.role,
      actorId: actor.role === 'system' ? null : actor.id,
      at: now,
    }));
    if (steps.length > 0) await tx.insertInto('cobrowse_steps').values(steps.map((s) => ({ app_id: conversation.appId, session_id: s.sessionId, seq: s.seq, kind: s.kind, actor_role: s.actorRole, actor_id: s.actorId, at: s.at }))).execute();
    // The conversation's history keeps who started and ended a co-browse (not when the conversation itself closed it).
    const senderId = actor.role === 'system' ? null : actor.id;
    if (decision.steps.includes('started')) await conversations.appendCobrowseNotice(ctx, conversation.appId, conversation.id, { notice: COBROWSE_STARTED, senderId });
    if (decision.steps.includes('ended') && before?.liveAt != null && actor.role !== 'system') await conversations.appendCobrowseNotice(ctx, conversation.appId, conversation.id, { notice: COBROWSE_ENDED, senderId });
    await ctx.emit('cobrowse.changed', { appId: conversation.appId, session, steps, agentId: conversation.agentId, viewersBefore: before?.viewers ?? [], snapshotNeeded: decision.snapshotNeeded });
    return session;
  }

  function unwrap(decision: Decision): asserts decision is Decision & { ok: true } {
    if (!decision.ok) throw new CobrowseError(decision.code, decision.message);
  }

  return {
    /** A new session for the conversation (one active at a time; a visitor's start answers a waiting proposal). */
    start(conversation: ConversationRef, actor: Actor): Promise<CobrowseSession> {
      const started = events.transaction(async (ctx) => {
        const active = await activeOf(ctx.tx, conversation.appId, conversation.id, true);
        if (active) {
          const decision = decide(stateOf(active), actor, { type: 'start' }, clock.now());
          unwrap(decision);
          return apply(ctx, conversation, active, active.id, decision, actor);
        }
        const decision = decideStart(actor, clock.now());
        unwrap(decision);
        return apply(ctx, conversation, null, newId('cob'), decision, actor);
      });
      // Two starts raced: the other one's session is the conversation's active one.
      return started.catch((err: unknown) => Promise.reject(storage.isUniqueViolation(err) ? new CobrowseError('FD_COBROWSE_ACTIVE', 'a co-browse is going on in this conversation already') : err));
    },

    /** A command on an existing session of this conversation. */
    command(conversation: ConversationRef, sessionId: string, actor: Actor, command: Command): Promise<CobrowseSession> {
      return events.transaction(async (ctx) => {
        const row = await storage.forUpdate(ctx.tx.selectFrom('cobrowse_sessions').selectAll().where('app_id', '=', conversation.appId).where('id', '=', sessionId)).executeTakeFirst();
        if (!row || row.conversation_id !== conversation.id) throw new CobrowseError('FD_COBROWSE_NOT_FOUND', `co-browse ${sessionId} not found`);
        const before = toSession(row);
        const decision = decide(stateOf(before), actor, command, clock.now());
        unwrap(decision);
        return apply(ctx, conversation, before, sessionId, decision, actor);
      });
    },

    /** The conversation's active session, if any (ends it when the conversation closed). */
    active: (appId: string, conversationId: string) => activeOf(db, appId, conversationId, false),
    find: async (appId: string, sessionId: string) => {
      const row = await db.selectFrom('cobrowse_sessions').selectAll().where('app_id', '=', appId).where('id', '=', sessionId).executeTakeFirst();
      return row ? { appId: row.app_id, session: toSession(row) } : undefined;
    },
    list: async (appId: string, conversationId: string) =>
      (await db.selectFrom('cobrowse_sessions').selectAll().where('app_id', '=', appId).where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute()).map(toSession),
    steps: async (appId: string, sessionIds: readonly string[]): Promise<CobrowseStep[]> => {
      if (sessionIds.length === 0) return [];
      const rows = await db.selectFrom('cobrowse_steps').selectAll().where('app_id', '=', appId).where('session_id', 'in', [...sessionIds]).orderBy('at').orderBy('seq').execute();
      return rows.map((r) => ({ sessionId: r.session_id, seq: Number(r.seq), kind: r.kind as CobrowseStepKind, actorRole: r.actor_role as CobrowseStep['actorRole'], actorId: r.actor_id, at: Number(r.at) }));
    },
  };

  async function activeOf(q: DbOrTx, appId: string, conversationId: string, lock: boolean): Promise<CobrowseSession | undefined> {
    const query = q.selectFrom('cobrowse_sessions').selectAll().where('app_id', '=', appId).where('conversation_id', '=', conversationId).where('status', '!=', 'ended');
    const row = await (lock ? storage.forUpdate(query) : query).executeTakeFirst();
    const session = row && toSession(row);
    return session && isActive(session) ? session : undefined;
  }
}

export type CobrowseShell = ReturnType<typeof createCobrowseShell>;

export function stateOf(session: CobrowseSession): SessionState {
  const { status, startedBy, agentId, controllerId, viewers, liveAt, endedAt, endReason } = session;
  return { status, startedBy, agentId, controllerId, viewers, liveAt, endedAt, endReason };
}

function toRow(appId: string, s: CobrowseSession): SessionRow {
  return {
    id: s.id,
    app_id: appId,
    conversation_id: s.conversationId,
    visitor_id: s.visitorId,
    status: s.status,
    started_by: s.startedBy,
    agent_id: s.agentId,
    controller_id: s.controllerId,
    viewers: JSON.stringify(s.viewers),
    created_at: s.createdAt,
    live_at: s.liveAt,
    ended_at: s.endedAt,
    end_reason: s.endReason,
    active_for: s.status === 'ended' ? null : s.conversationId,
  };
}

function toSession(row: SessionRow): CobrowseSession {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    visitorId: row.visitor_id,
    status: row.status as CobrowseStatus,
    startedBy: row.started_by as CobrowseSession['startedBy'],
    agentId: row.agent_id,
    controllerId: row.controller_id,
    viewers: JSON.parse(row.viewers) as string[],
    createdAt: Number(row.created_at),
    liveAt: row.live_at === null ? null : Number(row.live_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endReason: row.end_reason as CobrowseEndReason | null,
  };
}
