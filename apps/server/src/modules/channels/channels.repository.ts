import { ChannelBot, ChannelCalls, ChannelCobrowse, IdentityMode, IdleEnd, PreChatForm, QueueReminder, WorkingHours, type Channel, type ChannelFaq } from '@frontdesk/protocol';
import type { Database } from '../../platform/storage/schema.ts';
import type { DbOrTx } from '../../platform/storage/storage.ts';

export type ChannelRow = Database['channels'];
export type FaqRow = Database['faqs'];

/** The JSON-held settings of a channel, as stored. */
export type ChannelSettings = Pick<Channel, 'bot' | 'hours' | 'queueReminder' | 'idleEnd' | 'calls' | 'cobrowse' | 'preChatForm' | 'welcomeMessage'>;

/**
 * NOTE: settings are parsed with their schemas on the way out, so a field added later with a
 * default reads correctly from rows written before it existed.
 */
export function toChannel(row: ChannelRow): Channel {
  return {
    id: row.id,
    appId: row.app_id,
    name: row.name,
    isDefault: row.is_default === 1,
    queueId: row.queue_id,
    bot: ChannelBot.parse(JSON.parse(row.bot)),
    hours: row.hours === null ? null : WorkingHours.parse(JSON.parse(row.hours)),
    queueReminder: QueueReminder.parse(JSON.parse(row.queue_reminder)),
    idleEnd: IdleEnd.parse(JSON.parse(row.idle_end)),
    calls: ChannelCalls.parse(JSON.parse(row.calls)),
    cobrowse: ChannelCobrowse.parse(JSON.parse(row.cobrowse)),
    identity: { mode: IdentityMode.parse(row.identity_mode), validateUrl: row.identity_validate_url },
    typingPreview: row.typing_preview === 1,
    preChatForm: PreChatForm.parse(JSON.parse(row.pre_chat_form)),
    welcomeMessage: row.welcome_message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function settingsColumns(settings: ChannelSettings): Pick<ChannelRow, 'bot' | 'hours' | 'queue_reminder' | 'idle_end' | 'calls' | 'cobrowse' | 'pre_chat_form' | 'welcome_message'> {
  return {
    bot: JSON.stringify(settings.bot),
    hours: settings.hours === null ? null : JSON.stringify(settings.hours),
    queue_reminder: JSON.stringify(settings.queueReminder),
    idle_end: JSON.stringify(settings.idleEnd),
    calls: JSON.stringify(settings.calls),
    cobrowse: JSON.stringify(settings.cobrowse),
    pre_chat_form: JSON.stringify(settings.preChatForm),
    welcome_message: settings.welcomeMessage,
  };
}

export function toFaq(row: FaqRow): ChannelFaq {
  return {
    id: row.id,
    channelId: row.channel_id,
    question: row.question,
    keywords: JSON.parse(row.keywords) as string[],
    answer: row.answer,
    ...(row.locale === null ? {} : { locale: row.locale }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function selectChannelRow(db: DbOrTx, appId: string, channelId: string) {
  return db.selectFrom('channels').selectAll().where('app_id', '=', appId).where('id', '=', channelId);
}

export function selectDefaultChannelRow(db: DbOrTx, appId: string) {
  return db.selectFrom('channels').selectAll().where('app_id', '=', appId).where('is_default', '=', 1);
}

export async function selectFaqRows(db: DbOrTx, appId: string, channelId: string): Promise<FaqRow[]> {
  return db.selectFrom('faqs').selectAll().where('app_id', '=', appId).where('channel_id', '=', channelId).orderBy('created_at').orderBy('id').execute();
}

/**
 * Marks a change to a channel's FAQs, in the transaction that makes it: every node's cached
 * FAQ index compares this version. The update also locks the channel row, so FAQ changes of
 * one channel are serialized. false when the channel does not exist in this app.
 */
export async function bumpFaqVersion(tx: DbOrTx, appId: string, channelId: string): Promise<boolean> {
  const result = await tx
    .updateTable('channels')
    .set((eb) => ({ faq_version: eb('faq_version', '+', 1) }))
    .where('app_id', '=', appId)
    .where('id', '=', channelId)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
