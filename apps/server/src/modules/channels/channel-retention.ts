import { pruneFinishedJobs } from '../../platform/jobs/index.ts';
import { deleteInBatches, deletedRows, PRUNE_BATCH } from '../../platform/pruning.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { CHANNEL_SEND_JOB } from './send-job.ts';

export interface ChannelPruneCounts {
  sends: number;
  attempts: number;
  inbound: number;
  outbound: number;
}

/**
 * Deletes the channels' records past retention, in batches under one lock (one node at a time):
 * finished send jobs with their attempts; the record of each provider message received (its
 * duplicate check: providers stop redelivering within days, retention is at least 7); the delivery
 * state of our messages, except those still queued (their send is open). The messages themselves
 * stay with their conversations.
 */
export async function pruneChannelRecords(storage: Storage, cutoffMs: number): Promise<ChannelPruneCounts> {
  const lockKey = 'channels.prune';
  const { jobs, attempts } = await pruneFinishedJobs(storage, { kind: CHANNEL_SEND_JOB, cutoffMs, lockKey });
  const counts: ChannelPruneCounts = { sends: jobs, attempts, inbound: 0, outbound: 0 };
  await deleteInBatches(storage, lockKey, async (tx) => {
    const keys = await tx.selectFrom('channel_inbound').select(['channel_id', 'provider_message_id']).where('created_at', '<', cutoffMs).orderBy('created_at').limit(PRUNE_BATCH).execute();
    for (const key of keys) {
      counts.inbound += deletedRows(await tx.deleteFrom('channel_inbound').where('channel_id', '=', key.channel_id).where('provider_message_id', '=', key.provider_message_id).executeTakeFirst());
    }
    return keys.length;
  });
  await deleteInBatches(storage, lockKey, async (tx) => {
    const ids = (await tx.selectFrom('channel_outbound').select('message_id').where('created_at', '<', cutoffMs).where('status', '!=', 'queued').orderBy('created_at').limit(PRUNE_BATCH).execute()).map((r) => r.message_id);
    if (ids.length > 0) counts.outbound += deletedRows(await tx.deleteFrom('channel_outbound').where('message_id', 'in', ids).executeTakeFirst());
    return ids.length;
  });
  return counts;
}
