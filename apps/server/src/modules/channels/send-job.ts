import { performance } from 'node:perf_hooks';
import type { Clock } from '../../platform/clock.ts';
import type { JobAttemptDetail, JobKind } from '../../platform/jobs/index.ts';
import type { Logger } from '../../platform/logger.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { ADAPTERS } from './adapters/adapters.ts';
import type { ChannelAdapter, ConnectionView, MediaFile, OutboundMessage, ProviderRequest, SendOutcome } from './adapters/channel-adapter.ts';
import type { Connections } from './connections.ts';
import type { DeliveryNotifier } from './delivery-notifier.ts';
import { nextSendDelayMs, SENDS_PER_SECOND } from './outgoing-rules.ts';
import type { ProviderHttp } from './provider-http.ts';
import type { SendThrottle } from './send-throttle.ts';

/** One of our messages out through a channel: group = channel (its pace), ordering key = conversation (its order). */
export const CHANNEL_SEND_JOB = 'channels.send';

export interface SendPayload {
  messageId: string;
  conversationId: string;
  channelId: string;
  message: OutboundMessage;
}

type Outcome = SendOutcome & { statusCode: number | null; latencyMs: number };

/** One of our files by id (the send's own payload names it: written by the server in the message's transaction). */
export type ReadFile = (appId: string, fileId: string) => Promise<MediaFile | null>;

/**
 * Sends run as jobs (platform/jobs): the provider's answer decides. Accepted → the message is
 * `sent` with the provider's id (statuses then come by webhook); a rate limit (429, WhatsApp
 * 130429/131056, Viber 12) or a server error → tried again with backoff, the reason kept on the
 * message meanwhile; a refusal, or attempts spent → `failed` with the provider's own reason,
 * which the agent sees. A channel disconnected meanwhile cancels its sends.
 */
export function channelSendKind(deps: { storage: Storage; clock: Clock; log: Logger; connections: Connections; http: ProviderHttp; throttle: SendThrottle; deliveries: DeliveryNotifier; readFile: ReadFile }): JobKind<SendPayload, Outcome, ConnectionView> {
  const { storage, clock, connections, http, throttle } = deps;
  const { db } = storage;

  /** Writes the send's outcome on the message's delivery; the workbench is told at once. */
  async function mark(messageId: string, values: { status?: string; reason?: string | null; provider_message_id?: string; sent_at?: number }): Promise<void> {
    const changed = await db
      .updateTable('channel_outbound')
      .set({ ...values, updated_at: clock.now() })
      .where('message_id', '=', messageId)
      .where('status', 'in', ['queued', 'failed'])
      .returning(['app_id', 'conversation_id', 'message_id', 'status', 'reason', 'updated_at'])
      .execute();
    if (changed.length) await deps.deliveries.announce(changed);
  }

  /**
   * The request that sends the message. Media go by upload where the provider takes one: WhatsApp
   * and Messenger upload first and send by the id they answer; Telegram sends the file itself;
   * Viber fetches our signed link (its documented way).
   */
  async function requestOf(adapter: ChannelAdapter, appId: string, message: OutboundMessage, connection: ConnectionView): Promise<{ ok: true; request: ProviderRequest } | UploadFailure> {
    if (message.kind !== 'media' || (!adapter.sendWithFile && !adapter.uploadRequest)) return { ok: true, request: adapter.send(message, connection) };
    const file = await deps.readFile(appId, message.fileId);
    if (!file) return { ok: false, retryable: false, code: 'file', reason: `file ${message.fileId} is gone`, retryAfterMs: null, statusCode: null };
    if (adapter.sendWithFile) return { ok: true, request: adapter.sendWithFile(message, file, connection) };
    const answer = await http(adapter.uploadRequest!(message, file, connection));
    const uploaded = adapter.uploadOutcome!(answer.status, answer.body.toString('utf8'));
    if (!uploaded.ok) return { ...uploaded, reason: `upload: ${uploaded.reason}`, statusCode: answer.status };
    return { ok: true, request: adapter.send({ ...message, mediaId: uploaded.mediaId }, connection) };
  }

  return {
    kind: CHANNEL_SEND_JOB,
    attemptIdPrefix: 'csa',

    async load(jobs) {
      const contexts = new Map<string, ConnectionView>();
      for (const job of jobs) {
        const connection = await connections.viewOf(job.appId, job.payload.channelId);
        if (connection) contexts.set(job.id, connection);
      }
      return contexts;
    },

    async run(job, connection): Promise<Outcome> {
      const adapter = ADAPTERS[connection.provider];
      await throttle.take(connection.channelId, SENDS_PER_SECOND[connection.provider] ?? 20);
      const started = performance.now();
      let outcome: Outcome;
      try {
        const prepared = await requestOf(adapter, job.appId, job.payload.message, connection);
        if (!prepared.ok) throw new UploadFailed(prepared);
        const answer = await http(prepared.request);
        const latencyMs = Math.round(performance.now() - started);
        outcome = { ...adapter.sendOutcome(answer.status, answer.body.toString('utf8'), answer.headers), statusCode: answer.status, latencyMs };
      } catch (err) {
        if (err instanceof UploadFailed) outcome = { ...err.outcome, statusCode: err.outcome.statusCode, latencyMs: Math.round(performance.now() - started) };
        else outcome = { ok: false, retryable: true, code: 'network', reason: `could not reach the provider: ${(err as Error).message}`.slice(0, 300), retryAfterMs: null, statusCode: null, latencyMs: Math.round(performance.now() - started) };
      }
      // NOTE: the message's state is written here, where the answer is: the job's own record follows.
      if (outcome.ok) await mark(job.payload.messageId, { status: 'sent', reason: null, provider_message_id: outcome.providerMessageId, sent_at: clock.now() });
      else await mark(job.payload.messageId, { status: outcome.retryable && nextSendDelayMs(job.attempts + 1, outcome.retryAfterMs) !== null ? 'queued' : 'failed', reason: `${outcome.reason} (${outcome.code})` });
      return outcome;
    },

    decide(job, _connection, outcome, nowMs) {
      if (outcome.ok) return { status: 'done' };
      const delayMs = outcome.retryable ? nextSendDelayMs(job.attempts + 1, outcome.retryAfterMs) : null;
      if (delayMs !== null) return { status: 'retry', nextAttemptAt: nowMs + delayMs };
      deps.log.warn({ appId: job.appId, channelId: job.payload.channelId, messageId: job.payload.messageId, code: outcome.code }, 'channel send failed');
      return { status: 'exhausted' };
    },

    attemptOf(outcome) {
      const detail: JobAttemptDetail = outcome.ok ? { providerMessageId: outcome.providerMessageId } : { code: outcome.code, retryable: outcome.retryable };
      return { statusCode: outcome.statusCode, error: outcome.ok ? null : outcome.reason, latencyMs: outcome.latencyMs, detail };
    },
  };
}

type UploadFailure = Extract<SendOutcome, { ok: false }> & { statusCode: number | null };

/** An upload the provider refused (or a file gone): the send's outcome, carried out of the try. */
class UploadFailed extends Error {
  constructor(readonly outcome: UploadFailure) {
    super(outcome.reason);
  }
}
