import type { ChannelSendInput, ChannelSendLog, ChannelWindowView, Conversation, ConversationChannel, Message, MessageTemplate } from '@frontdesk/protocol';
import type { TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { attemptsOf, createJobWorker, enqueueJobs, listJobs } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import { schedulePruning } from '../../platform/pruning.ts';
import { pruneChannelRecords } from './channel-retention.ts';
import type { Principal } from '../../platform/principal.ts';
import type { DbOrTx, Storage } from '../../platform/storage/storage.ts';
import { ADAPTERS } from './adapters/adapters.ts';
import type { ChannelWindow, OutboundMessage } from './adapters/channel-adapter.ts';
import { ChannelError } from './channels.errors.ts';
import type { Connections } from './connections.ts';
import type { DeliveryNotifier } from './delivery-notifier.ts';
import { outboundOf, PAIR_PACE, pairPace, windowVerdict } from './outgoing-rules.ts';
import type { ProviderHttp } from './provider-http.ts';
import { CHANNEL_SEND_JOB, channelSendKind, type ReadFile, type SendPayload } from './send-job.ts';
import { createSendThrottle } from './send-throttle.ts';

/** What the outbound path needs of the conversations module (wired in app.ts). */
export interface OutboundPorts {
  /** The conversation, if `principal` may read it (else throws). */
  readable(principal: Principal, conversationId: string): Promise<Conversation>;
  /** An agent's text, as if typed in the composer (idempotent by client id). */
  sendText(principal: Principal, conversationId: string, input: { clientId: string; text: string }): Promise<{ message: Message }>;
}

/** A template's body with its {{n}} parameters filled in: what the conversation shows of it. */
export function renderTemplate(body: string, parameters: readonly string[]): string {
  return body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => parameters[Number(n) - 1] ?? whole);
}

function windowView(window: ChannelWindow, nowMs: number): ChannelWindowView {
  const isOpen = window.endsAt === null || nowMs < window.endsAt;
  return { policy: window.policy, isOpen, endsAt: window.endsAt, msLeft: window.endsAt === null ? null : Math.max(0, window.endsAt - nowMs), humanAgentTagEndsAt: window.humanAgentTagEndsAt };
}

/**
 * The outbound path of messaging channels: an in-transaction listener of `message.created` turns
 * each outgoing message of a connected channel into a send job (written with the message: it
 * exists if and only if the message does), after the outgoing rules and the window say it may go;
 * the job worker sends it; templates (WhatsApp) and the HUMAN_AGENT tag (Messenger) are the legal
 * path outside the window.
 */
export function createChannelOutbound(deps: {
  storage: Storage;
  clock: Clock;
  log: Logger;
  connections: Connections;
  http: ProviderHttp;
  /** A URL the provider can fetch a file of ours from (signed, expiring). */
  fileUrl: (fileId: string) => string;
  ports: OutboundPorts;
  deliveries: DeliveryNotifier;
  /** One of our files' bytes, for providers that take uploads. */
  readFile: ReadFile;
  /** How long send jobs, received-message records and delivery states are kept. */
  retentionMs: number;
}) {
  const { storage, clock, connections, ports } = deps;
  const { db } = storage;
  /** A web channel never becomes connected (a connect makes a new channel): each answer is kept. */
  const connected = new Map<string, boolean>();
  /** Sends in progress through `sendSpecial`: `${agentId} ${clientId}` → what goes instead of the text. */
  const special = new Map<string, (to: string) => OutboundMessage>();
  const worker = createJobWorker({
    storage,
    clock,
    log: deps.log,
    kind: channelSendKind({ storage, clock, log: deps.log, connections, http: deps.http, throttle: createSendThrottle(), deliveries: deps.deliveries, readFile: deps.readFile }),
    options: { concurrency: 16, maxInFlightPerGroup: 8, pollIntervalMs: 1000, leaseMs: 60_000 },
  });

  const pruning = schedulePruning({ clock, log: deps.log, retentionMs: deps.retentionMs, prune: async (cutoffMs) => ({ ...(await pruneChannelRecords(storage, cutoffMs)) }), what: 'messaging channels' });

  async function isConnected(from: DbOrTx, channelId: string): Promise<boolean> {
    const known = connected.get(channelId);
    if (known !== undefined) return known;
    const row = await from.selectFrom('channel_connections').select('channel_id').where('channel_id', '=', channelId).executeTakeFirst();
    connected.set(channelId, row !== undefined);
    return row !== undefined;
  }

  const threadOf = (from: DbOrTx, appId: string, visitorId: string, channelId: string) =>
    from.selectFrom('channel_contacts').selectAll().where('app_id', '=', appId).where('visitor_id', '=', visitorId).where('channel_id', '=', channelId).executeTakeFirst();

  /** NOTE: in a transaction, read with it (`from`): on SQLite another read would wait for the transaction's end. */
  async function providerOf(channelId: string, from: DbOrTx) {
    const connection = await connections.byChannel(channelId, from);
    if (!connection) throw new ChannelError('FD_CHANNEL_NOT_CONNECTED', `channel ${channelId} is not connected to a provider`);
    return connection;
  }

  return {
    /** In-transaction listener of `message.created`: the send job of an outgoing message, or a refusal (rolls the send back). */
    async onMessageCreated(ctx: TxContext, { conversation, message }: { conversation: Conversation; message: Message }): Promise<void> {
      if (!conversation.channelId || message.senderType === 'visitor' || !(await isConnected(ctx.tx, conversation.channelId))) return;
      const thread = await threadOf(ctx.tx, conversation.appId, conversation.visitorId, conversation.channelId);
      if (!thread) return;
      const key = message.senderId !== null && message.clientId !== null ? `${message.senderId} ${message.clientId}` : '';
      const instead = special.get(key);
      let outbound = instead ? instead(thread.external_id) : outboundOf(message, thread.external_id, deps.fileUrl);
      if (!outbound) return;
      const connection = await providerOf(conversation.channelId, ctx.tx);
      if (!instead) {
        const verdict = windowVerdict(ADAPTERS[connection.provider].windowOf({ lastInboundAt: thread.last_inbound_at }), clock.now(), message.senderType, connection.provider);
        if (!verdict.send) {
          if (verdict.refuse) throw new ChannelError('FD_CHANNEL_WINDOW_CLOSED', verdict.reason);
          return;
        }
      }
      const now = clock.now();
      // The user's pace (WhatsApp's pair rate), kept on their row: every node paces the same way.
      let runAt = now;
      const pace = PAIR_PACE[connection.provider];
      if (pace) {
        const paced = pairPace(thread.send_pace_at, now, pace.intervalMs, pace.burst);
        runAt = paced.runAt;
        await ctx.tx.updateTable('channel_contacts').set({ send_pace_at: paced.paceAt }).where('channel_id', '=', conversation.channelId).where('external_id', '=', thread.external_id).execute();
      }
      await ctx.tx
        .insertInto('channel_outbound')
        .values({ message_id: message.id, app_id: conversation.appId, channel_id: conversation.channelId, conversation_id: conversation.id, status: 'queued', reason: null, provider_message_id: null, external_id: thread.external_id, sent_at: null, created_at: now, updated_at: now })
        .execute();
      await enqueueJobs<SendPayload>(
        ctx.tx,
        [{ kind: CHANNEL_SEND_JOB, appId: conversation.appId, groupKey: conversation.channelId, orderingKey: conversation.id, dedupeKey: message.id, payload: { messageId: message.id, conversationId: conversation.id, channelId: conversation.channelId, message: outbound }, nextAttemptAt: runAt }],
        now,
      );
    },

    /** After-commit listener of `message.created`: sends start now rather than at the next poll. */
    onMessageCommitted({ conversation, message }: { conversation: Conversation; message: Message }): void {
      if (!conversation.channelId || message.senderType === 'visitor' || connected.get(conversation.channelId) !== true) return;
      void worker.runOnce();
    },

    /** The conversation's channel as the workbench shows it: provider, user, window, deliveries. */
    async conversationChannel(principal: Principal, conversationId: string): Promise<ConversationChannel | null> {
      const conversation = await ports.readable(principal, conversationId);
      const connection = conversation.channelId ? await connections.viewOf(conversation.appId, conversation.channelId) : undefined;
      const thread = connection && (await threadOf(db, conversation.appId, conversation.visitorId, connection.channelId));
      if (!connection || !thread) return null;
      const deliveries = await db.selectFrom('channel_outbound').select(['message_id', 'status', 'reason', 'updated_at']).where('app_id', '=', conversation.appId).where('conversation_id', '=', conversationId).orderBy('created_at').execute();
      return {
        conversationId,
        channelId: connection.channelId,
        provider: connection.provider,
        externalId: thread.external_id,
        window: windowView(ADAPTERS[connection.provider].windowOf({ lastInboundAt: thread.last_inbound_at }), clock.now()),
        deliveries: deliveries.map((d) => ({ messageId: d.message_id, status: d.status as ConversationChannel['deliveries'][number]['status'], reason: d.reason, updatedAt: d.updated_at })),
      };
    },

    /** Outside the window: a WhatsApp template (synced, approved, its parameters given) or a Messenger text tagged HUMAN_AGENT. */
    async sendSpecial(principal: Principal, conversationId: string, input: ChannelSendInput): Promise<{ message: Message }> {
      if (principal.kind !== 'agent') throw new ChannelError('FD_REQ_INVALID', 'only an agent sends through a channel');
      const view = await this.conversationChannel(principal, conversationId);
      if (!view) throw new ChannelError('FD_CHANNEL_NOT_CONNECTED', `conversation ${conversationId} is not on a messaging channel`);
      let text: string;
      let build: (to: string) => OutboundMessage;
      if (input.kind === 'template') {
        if (view.provider !== 'whatsapp') throw new ChannelError('FD_REQ_INVALID', 'templates are sent on WhatsApp channels');
        const template = await db.selectFrom('channel_templates').selectAll().where('app_id', '=', principal.appId).where('channel_id', '=', view.channelId).where('name', '=', input.name).where('language', '=', input.language).executeTakeFirst();
        if (!template || template.status !== 'APPROVED') throw new ChannelError('FD_CHANNEL_TEMPLATE_NOT_FOUND', `no approved template ${input.name} (${input.language}): sync the templates`);
        const parameters = input.parameters ?? [];
        if (parameters.length !== template.parameter_count) throw new ChannelError('FD_REQ_INVALID', `template ${input.name} takes ${template.parameter_count} parameters, not ${parameters.length}`);
        text = renderTemplate(template.body, parameters);
        build = (to) => ({ kind: 'template', to, name: template.name, language: template.language, parameters });
      } else {
        if (view.provider !== 'messenger') throw new ChannelError('FD_REQ_INVALID', 'the HUMAN_AGENT tag is for Messenger channels');
        if (view.window.humanAgentTagEndsAt === null || clock.now() >= view.window.humanAgentTagEndsAt) throw new ChannelError('FD_CHANNEL_WINDOW_CLOSED', 'the HUMAN_AGENT tag may be used up to 7 days after the user last wrote: that time has passed');
        text = input.text;
        build = (to) => ({ kind: 'text', to, text: input.text, tag: 'HUMAN_AGENT' });
      }
      const key = `${principal.agentId} ${input.clientId}`;
      special.set(key, build);
      try {
        return await ports.sendText(principal, conversationId, { clientId: input.clientId, text });
      } finally {
        special.delete(key);
      }
    },

    /** Reads the channel's templates from the provider (WhatsApp `GET /{waba-id}/message_templates`) and keeps them. */
    async syncTemplates(appId: string, channelId: string): Promise<MessageTemplate[]> {
      const connection = await connections.viewOf(appId, channelId);
      if (!connection) throw new ChannelError('FD_CHANNEL_NOT_CONNECTED', `channel ${channelId} is not connected to a provider`);
      const adapter = ADAPTERS[connection.provider];
      if (!adapter.templatesRequest || !adapter.parseTemplates) throw new ChannelError('FD_REQ_INVALID', `${connection.provider} has no message templates`);
      const answer = await deps.http(adapter.templatesRequest(connection));
      if (answer.status !== 200) throw new ChannelError('FD_CHANNEL_PROVIDER_FAILED', `the provider answered ${answer.status} to the template list`);
      const templates = adapter.parseTemplates(answer.body.toString('utf8'));
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('channel_templates').where('app_id', '=', appId).where('channel_id', '=', channelId).execute();
        if (templates.length) {
          await tx
            .insertInto('channel_templates')
            .values(templates.map((t) => ({ app_id: appId, channel_id: channelId, name: t.name, language: t.language, status: t.status, category: t.category, body: t.body, parameter_count: t.parameterCount, synced_at: now })))
            .execute();
        }
      });
      return templates;
    },

    async listTemplates(principal: Principal, channelId: string): Promise<MessageTemplate[]> {
      const rows = await db.selectFrom('channel_templates').selectAll().where('app_id', '=', principal.appId).where('channel_id', '=', channelId).orderBy('name').orderBy('language').execute();
      return rows.map((r) => ({ name: r.name, language: r.language, status: r.status, category: r.category, body: r.body, parameterCount: r.parameter_count }));
    },

    /** The admin's "send test message": one text to a user id, answered with what the provider said. */
    async sendTestMessage(appId: string, channelId: string, input: { to: string; text: string }) {
      const connection = await connections.viewOf(appId, channelId);
      if (!connection) throw new ChannelError('FD_CHANNEL_NOT_CONNECTED', `channel ${channelId} is not connected to a provider`);
      const adapter = ADAPTERS[connection.provider];
      try {
        const answer = await deps.http(adapter.send({ kind: 'text', to: input.to, text: input.text }, connection));
        const outcome = adapter.sendOutcome(answer.status, answer.body.toString('utf8'), answer.headers);
        return outcome.ok ? { ok: true, providerMessageId: outcome.providerMessageId, reason: null } : { ok: false, providerMessageId: null, reason: `${outcome.reason} (${outcome.code})` };
      } catch (err) {
        return { ok: false, providerMessageId: null, reason: `could not reach the provider: ${(err as Error).message}` };
      }
    },

    /** The channel's sends, newest first, with their attempts (the visible log). */
    async sendLog(appId: string, channelId: string, limit: number): Promise<ChannelSendLog> {
      const page = await listJobs<SendPayload>(db, { kind: CHANNEL_SEND_JOB, appId, groupKey: channelId, limit });
      const jobs = page?.jobs ?? [];
      const attempts = await attemptsOf(db, appId, jobs.map((job) => job.id));
      return {
        sends: jobs.map((job) => ({
          jobId: job.id,
          messageId: job.payload.messageId,
          conversationId: job.payload.conversationId,
          status: job.status,
          attempts: (attempts.get(job.id) ?? []).map((a) => ({ at: a.at, statusCode: a.statusCode, error: a.error, latencyMs: a.latencyMs })),
        })),
      };
    },

    /** Starts this node's send worker and the hourly pruning of the channels' records. */
    start: () => {
      worker.start();
      pruning.start();
    },
    runOnce: () => worker.runOnce(),
    /** Prunes the records older than `cutoffMs` now (the hourly pruning's work). */
    prune: (cutoffMs: number) => pruneChannelRecords(storage, cutoffMs),
    close: async () => {
      await pruning.stop();
      await worker.close();
    },
  };
}

export type ChannelOutbound = ReturnType<typeof createChannelOutbound>;
