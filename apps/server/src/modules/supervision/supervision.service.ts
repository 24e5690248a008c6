import type { ActiveSupervision, Conversation, Message, SupervisionMode, SupervisionStep, SupervisionStepKind, SupervisionTimeline, Whisper } from '@frontdesk/protocol';
import type { Events, TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { hasRole, type Principal } from '../../platform/principal.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import type { ConversationsService } from '../conversations/index.ts';
import { activeOf, currentModeOf, hasBarged, stepAudience, stepsForAgents, whisperAudience } from './supervision-state.ts';
import { SupervisionError } from './supervision.errors.ts';

type StepRow = Database['supervision_steps'];
type WhisperRow = Database['whispers'];

/**
 * Supervision of live chats (SPEC M28): monitor, whisper, barge-in and intercept, by supervisors
 * and admins of the conversation's app (the seed's 质检员 is our supervisor role). Every change is a
 * step of the conversation's timeline (who, what, when), written with its consequences in one
 * transaction; whispers are rows of their own, never messages, so nothing that reads messages
 * (the visitor's sockets and SDK, the widget, webhooks, transcripts, compat surfaces) can show one.
 */
export function createSupervisionService(deps: {
  storage: Storage;
  clock: Clock;
  events: Events;
  conversations: Pick<ConversationsService, 'readable' | 'appendBySupervisor'>;
  /** Routing's take-over: the conversation leaves its agent for the supervisor. */
  intercept: (appId: string, conversationId: string, supervisorId: string) => Promise<void>;
}) {
  const { storage, clock, events, conversations } = deps;
  const { db } = storage;

  /** The acting supervisor: an agent login of the supervisor role or above (API keys act for no one). */
  function supervisorOf(principal: Principal): string {
    if (principal.kind !== 'agent' || !hasRole(principal, 'supervisor')) throw new SupervisionError('FD_AUTH_FORBIDDEN', 'only a supervisor or an admin supervises conversations');
    return principal.agentId;
  }

  /** The open conversation (other apps' are not found), held by an agent other than the supervisor when `needsAgent`. */
  async function liveConversation(principal: Principal, conversationId: string, supervisorId: string, needsAgent: boolean): Promise<Conversation> {
    const conversation = await conversations.readable(principal, conversationId);
    if (conversation.status !== 'open') throw new SupervisionError('FD_CONVERSATION_CLOSED', 'the conversation is closed');
    if (conversation.agentId === supervisorId) throw new SupervisionError('FD_SUPERVISION_NOT_ALLOWED', 'you hold this conversation yourself');
    if (needsAgent && !conversation.agentId) throw new SupervisionError('FD_SUPERVISION_NOT_ALLOWED', 'no agent holds this conversation');
    return conversation;
  }

  async function stepsOf(q: DbOrTx, appId: string, conversationId: string): Promise<SupervisionStep[]> {
    const rows = await q.selectFrom('supervision_steps').selectAll().where('app_id', '=', appId).where('conversation_id', '=', conversationId).orderBy('seq').execute();
    return rows.map(toStep);
  }

  /**
   * Records `mode` for the supervisor unless it is in it already (then nothing is written): the
   * step, a barge-in's join notice the first time, and the event that tells who follows. Answers
   * the conversation's steps as they stand after it.
   */
  async function enter(ctx: TxContext, conversation: Conversation, supervisorId: string, mode: SupervisionStepKind): Promise<SupervisionStep[]> {
    const steps = await stepsOf(ctx.tx, conversation.appId, conversation.id);
    const current = currentModeOf(steps, supervisorId);
    if (current === mode || (mode === 'stop' && current === null)) return steps;
    const row: StepRow = {
      id: newId('sst'),
      app_id: conversation.appId,
      conversation_id: conversation.id,
      supervisor_id: supervisorId,
      mode,
      previous_mode: current,
      seq: (steps.at(-1)?.seq ?? 0) + 1,
      at: clock.now(),
    };
    await ctx.tx.insertInto('supervision_steps').values(row).execute();
    const step = toStep(row);
    // The visitor sees the supervisor join once: later barge-ins after another mode add no notice.
    if (mode === 'barge' && !hasBarged(steps, supervisorId)) await conversations.appendBySupervisor(ctx, conversation.appId, conversation.id, { supervisorId, joined: true });
    const after = [...steps, step];
    await ctx.emit('supervision.changed', { appId: conversation.appId, step, to: stepAudience(conversation, after, step) });
    return after;
  }

  async function whispersOf(appId: string, conversationId: string): Promise<Whisper[]> {
    const rows = await db.selectFrom('whispers').selectAll().where('app_id', '=', appId).where('conversation_id', '=', conversationId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toWhisper);
  }

  return {
    /** Enters a mode (monitor, whisper, barge) or stops; answers the supervisor's supervision now (null once stopped). */
    async setMode(principal: Principal, conversationId: string, mode: SupervisionMode | 'stop'): Promise<ActiveSupervision | null> {
      const supervisorId = supervisorOf(principal);
      if (mode === 'stop') {
        // Stopping what has ended already (the conversation closed, or was taken over) is done.
        const conversation = await conversations.readable(principal, conversationId);
        if (conversation.status === 'open') await events.transaction((ctx) => enter(ctx, conversation, supervisorId, 'stop'));
        return null;
      }
      const conversation = await liveConversation(principal, conversationId, supervisorId, mode !== 'monitor');
      const steps = await events.transaction((ctx) => enter(ctx, conversation, supervisorId, mode));
      return activeOf(conversation, steps).find((a) => a.supervisorId === supervisorId) ?? null;
    },

    /** A whisper to the agent (whisper mode is entered first if needed); the same clientId again answers the stored one. */
    async whisper(principal: Principal, conversationId: string, input: { text: string; clientId?: string | undefined }): Promise<{ whisper: Whisper; created: boolean }> {
      const supervisorId = supervisorOf(principal);
      const conversation = await liveConversation(principal, conversationId, supervisorId, true);
      const clientId = input.clientId ?? null;
      return events.transaction(async (ctx) => {
        if (clientId !== null) {
          const existing = await ctx.tx.selectFrom('whispers').selectAll().where('conversation_id', '=', conversation.id).where('supervisor_id', '=', supervisorId).where('client_id', '=', clientId).executeTakeFirst();
          if (existing) {
            if (existing.text !== input.text) throw new SupervisionError('FD_MESSAGE_CLIENT_ID_CONFLICT', `client id ${clientId} was already used for a different whisper`);
            return { whisper: toWhisper(existing), created: false };
          }
        }
        const steps = await enter(ctx, conversation, supervisorId, 'whisper');
        const row: WhisperRow = { id: newId('wsp'), app_id: conversation.appId, conversation_id: conversation.id, supervisor_id: supervisorId, client_id: clientId, text: input.text, created_at: clock.now() };
        await ctx.tx.insertInto('whispers').values(row).execute();
        const whisper = toWhisper(row);
        await ctx.emit('supervision.whispered', { appId: conversation.appId, whisper, to: whisperAudience(conversation, steps, supervisorId) });
        return { whisper, created: true };
      });
    },

    /** A message to the visitor as the supervisor (barge mode is entered first if needed, which shows it joining). */
    async barge(principal: Principal, conversationId: string, input: { text: string; clientId?: string | undefined }): Promise<{ message: Message; created: boolean }> {
      const supervisorId = supervisorOf(principal);
      const conversation = await liveConversation(principal, conversationId, supervisorId, true);
      return events.transaction(async (ctx) => {
        await enter(ctx, conversation, supervisorId, 'barge');
        const result = await conversations.appendBySupervisor(ctx, conversation.appId, conversation.id, { supervisorId, clientId: input.clientId ?? null, text: input.text });
        return { message: result.message, created: result.created };
      });
    },

    /**
     * Takes the conversation over (强拆): only while supervising it, as the seed asks of
     * `Call.intercept`. Routing moves it to the supervisor (the agent leaves it, its place is free
     * again); then the step ends the supervision. Answers the conversation as it stands.
     */
    async intercept(principal: Principal, conversationId: string): Promise<Conversation> {
      const supervisorId = supervisorOf(principal);
      const conversation = await liveConversation(principal, conversationId, supervisorId, true);
      if (currentModeOf(await stepsOf(db, principal.appId, conversation.id), supervisorId) === null) {
        throw new SupervisionError('FD_SUPERVISION_NOT_ACTIVE', 'monitor the conversation before taking it over');
      }
      await deps.intercept(principal.appId, conversation.id, supervisorId);
      // NOTE: a second transaction: routing commits the take-over under its own lock; the step
      // follows it. Were this one lost, routing's history still holds the take-over (CDR included).
      const taken = await conversations.readable(principal, conversation.id);
      await events.transaction((ctx) => enter(ctx, { ...taken, agentId: conversation.agentId }, supervisorId, 'intercept'));
      return taken;
    },

    /** The supervision of a conversation, for its staff; agent-role staff do not see silent monitoring. */
    async timeline(principal: Principal, conversationId: string): Promise<SupervisionTimeline> {
      if (principal.kind === 'visitor') throw new SupervisionError('FD_AUTH_FORBIDDEN', 'supervision is for staff only');
      const conversation = await conversations.readable(principal, conversationId);
      const all = await stepsOf(db, principal.appId, conversation.id);
      const isSupervisor = hasRole(principal, 'supervisor');
      const steps = isSupervisor ? all : stepsForAgents(all);
      const active = activeOf(conversation, all).filter((a) => isSupervisor || a.mode !== 'monitor');
      return { conversationId: conversation.id, active, steps, whispers: await whispersOf(principal.appId, conversation.id) };
    },

    /** The whispers of a conversation, oldest first, for its staff. */
    async whispers(principal: Principal, conversationId: string): Promise<Whisper[]> {
      if (principal.kind === 'visitor') throw new SupervisionError('FD_AUTH_FORBIDDEN', 'whispers are for staff only');
      const conversation = await conversations.readable(principal, conversationId);
      return whispersOf(principal.appId, conversation.id);
    },

    /** Every step of a conversation, for its CDR (reports). */
    stepsOf: (appId: string, conversationId: string) => stepsOf(db, appId, conversationId),
  };
}

export type SupervisionService = ReturnType<typeof createSupervisionService>;

function toStep(row: StepRow): SupervisionStep {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    supervisorId: row.supervisor_id,
    mode: row.mode as SupervisionStepKind,
    previousMode: row.previous_mode as SupervisionStepKind | null,
    seq: Number(row.seq),
    at: Number(row.at),
  };
}

function toWhisper(row: WhisperRow): Whisper {
  return { id: row.id, conversationId: row.conversation_id, supervisorId: row.supervisor_id, clientId: row.client_id, text: row.text, createdAt: Number(row.created_at) };
}
