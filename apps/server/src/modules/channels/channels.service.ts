import {
  ChannelBot,
  ChannelCalls,
  ChannelCobrowse,
  CreateChannelBody,
  CreateFaqBody,
  IDENTITY_SECRET_LENGTH,
  IdleEnd,
  MAX_FAQS_PER_CHANNEL,
  PreChatForm,
  QueueReminder,
  UpdateChannelBody,
  UpdateFaqBody,
  type Channel,
  type ChannelFaq,
  type ChannelPublicView,
  type CreateChannelInput,
  type CreateFaqInput,
  type UpdateChannelInput,
  type UpdateFaqInput,
} from '@frontdesk/protocol';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { isSealed, randomAlphanumeric, type SecretBox } from '../../platform/crypto/index.ts';
import { newId } from '../../platform/ids.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import { createFaqIndex, type FaqIndex } from '../bot/index.ts';
import { ChannelError } from './channels.errors.ts';
import {
  bumpFaqVersion,
  selectChannelRow,
  selectDefaultChannelRow,
  selectFaqRows,
  settingsColumns,
  toChannel,
  toFaq,
  type ChannelRow,
  type FaqRow,
} from './channels.repository.ts';
import { isWithinHours, nextOpening } from './hours.ts';

/** The name the default channel gets when an app's first visitor creates it. */
export const DEFAULT_CHANNEL_NAME = 'Default';

/** FAQ indexes kept per node; the least recently used is dropped past this. */
const MAX_CACHED_FAQ_INDEXES = 500;
/** How long a channel view read from the database is used before it is read again (see `cachedView`). */
const CHANNEL_CACHE_MS = 1000;

/** Validates a service call's input like the REST edge does, with the same kind of message. */
function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ');
  throw new ChannelError('FD_REQ_INVALID', `invalid ${what}: ${detail}`);
}

export function createChannelsService({
  storage,
  clock,
  queueExists,
  availability = async () => ({ state: 'online', agentsOnline: 1, expectedWaitSeconds: null }),
  checkValidateUrl = (url) => url,
  secretBox,
}: {
  storage: Storage;
  clock: Clock;
  queueExists: (appId: string, queueId: string) => Promise<boolean>;
  /** Who could answer a new visitor of this queue (any chat agent for null) now, without names (routing module). */
  availability?: (appId: string, queueId: string | null) => Promise<ChannelPublicView['availability']>;
  /** The SSRF check of a token-mode validate URL (identity module): answers it normalized or throws. */
  checkValidateUrl?: (url: string) => string;
  /** Keeps identity secrets encrypted in the table (AES-256-GCM, keyed from the server's token secret). */
  secretBox: SecretBox;
}) {
  const { db } = storage;
  /** A new identity secret, by seed 002 §2.4.1's rule for Huawei's secretKey: 43 characters of A–Z a–z 0–9. */
  const newIdentitySecret = () => randomAlphanumeric(IDENTITY_SECRET_LENGTH);

  /** A channel may only send conversations to a queue of its own app. */
  async function checkQueue(appId: string, queueId: string | null | undefined): Promise<void> {
    if (queueId && !(await queueExists(appId, queueId))) throw new ChannelError('FD_QUEUE_NOT_FOUND', `queue ${queueId} not found`);
  }
  /** `${appId} ${channelId}` → the index of the FAQs at `version` (a Map iterates oldest first: LRU). */
  const faqIndexes = new Map<string, { version: number; index: Promise<FaqIndex> }>();

  async function findChannelRow(appId: string, channelId: string): Promise<ChannelRow> {
    const row = await selectChannelRow(db, appId, channelId).executeTakeFirst();
    if (!row) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} not found`);
    return row;
  }

  async function insertChannel(appId: string, input: CreateChannelInput, isDefault: boolean): Promise<Channel> {
    const body = parseInput(CreateChannelBody, input, 'channel');
    await checkQueue(appId, body.queueId);
    await checkQueue(appId, body.calls.queueId);
    const now = clock.now();
    const row: ChannelRow = {
      id: newId('chan'),
      app_id: appId,
      name: body.name,
      is_default: isDefault ? 1 : 0,
      queue_id: body.queueId,
      ...settingsColumns(body),
      identity_mode: body.identity.mode,
      identity_validate_url: body.identity.validateUrl === null ? null : checkValidateUrl(body.identity.validateUrl),
      identity_secret: secretBox.seal(newIdentitySecret()),
      typing_preview: body.typingPreview ? 1 : 0,
      faq_version: 0,
      created_at: now,
      updated_at: now,
    };
    await db.insertInto('channels').values(row).execute();
    return toChannel(row);
  }

  /**
   * NOTE: the conversation flow reads a conversation's channel several times per message and per
   * hand-off (about five reads per conversation in bench/routing e2e). Views are kept for
   * CHANNEL_CACHE_MS: a change made on this node is seen at once, one made on another node within
   * that time. Secrets are never read from here.
   */
  const views = new Map<string, Map<string, { channel: Channel; untilMs: number }>>();
  const DEFAULT_KEY = '';
  function cachedView(appId: string, key: string): Channel | undefined {
    const hit = views.get(appId)?.get(key);
    return hit && hit.untilMs > performance.now() ? hit.channel : undefined;
  }
  function keepView(appId: string, key: string, channel: Channel): Channel {
    if (views.size >= 10_000) views.clear();
    let app = views.get(appId);
    if (!app) views.set(appId, (app = new Map()));
    app.set(key, { channel, untilMs: performance.now() + CHANNEL_CACHE_MS });
    return channel;
  }
  const forgetViews = (appId: string) => views.delete(appId);

  async function getChannel(appId: string, channelId: string): Promise<Channel> {
    return cachedView(appId, channelId) ?? keepView(appId, channelId, toChannel(await findChannelRow(appId, channelId)));
  }

  /** The channel, or the app's default one (created on first use, once under any concurrency). */
  async function resolveChannel(appId: string, channelId?: string): Promise<Channel> {
    if (channelId !== undefined) return getChannel(appId, channelId);
    const hit = cachedView(appId, DEFAULT_KEY);
    if (hit) return hit;
    const existing = () => selectDefaultChannelRow(db, appId).executeTakeFirst();
    const found = await existing();
    if (found) return keepView(appId, DEFAULT_KEY, toChannel(found));
    try {
      return await insertChannel(appId, { name: DEFAULT_CHANNEL_NAME }, true);
    } catch (err) {
      // Another request created it first: the unique index `channels_one_default` refused ours.
      const raced = storage.isUniqueViolation(err) ? await existing() : undefined;
      if (raced) return toChannel(raced);
      throw err;
    }
  }

  /** Runs `change` in a transaction that first bumps the channel's FAQ version (404 if no such channel). */
  async function changeFaqs<T>(appId: string, channelId: string, change: (tx: Tx) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (tx) => {
      if (!(await bumpFaqVersion(tx, appId, channelId))) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} not found`);
      return change(tx);
    });
  }

  return {
    resolveChannel,
    getChannel,

    /**
     * The shortest idle time (minutes) of any channel of any app with idle end on; undefined if
     * none has it on. The idle sweep reads only conversations silent at least this long.
     */
    async shortestIdleEndMinutes(): Promise<number | undefined> {
      // NOTE: distinct: most channels keep the default settings, so few to parse however many apps.
      const rows = await db.selectFrom('channels').select('idle_end').distinct().execute();
      let shortest: number | undefined;
      for (const row of rows) {
        const idleEnd = IdleEnd.parse(JSON.parse(row.idle_end));
        if (idleEnd.enabled && (shortest === undefined || idleEnd.minutes < shortest)) shortest = idleEnd.minutes;
      }
      return shortest;
    },

    /** The app's channels, oldest first; the default one is created if it does not exist yet. */
    async listChannels(appId: string): Promise<Channel[]> {
      await resolveChannel(appId);
      const rows = await db.selectFrom('channels').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').limit(1000).execute();
      return rows.map(toChannel);
    },

    createChannel: (appId: string, input: CreateChannelInput): Promise<Channel> => insertChannel(appId, input, false),

    /** Fields left out keep their value; bot, queueReminder and idleEnd merge field by field, hours are replaced. */
    async updateChannel(appId: string, channelId: string, patch: UpdateChannelInput): Promise<Channel> {
      const body = parseInput(UpdateChannelBody, patch, 'channel update');
      await checkQueue(appId, body.queueId);
      await checkQueue(appId, body.calls?.queueId);
      return db.transaction().execute(async (tx) => {
        // Locked, so two concurrent merges of the same settings do not lose one another.
        const row = await storage.forUpdate(selectChannelRow(tx, appId, channelId)).executeTakeFirst();
        if (!row) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} not found`);
        const current = toChannel(row);
        const values: Partial<ChannelRow> = { updated_at: Math.max(clock.now(), row.updated_at) };
        if (body.name !== undefined) values.name = body.name;
        if (body.queueId !== undefined) values.queue_id = body.queueId;
        const settings = { ...current };
        if (body.bot !== undefined) {
          const { avatarUrl, ...fields } = body.bot;
          const { avatarUrl: currentAvatarUrl, ...currentFields } = current.bot;
          const nextAvatarUrl = avatarUrl === undefined ? currentAvatarUrl : (avatarUrl ?? undefined);
          settings.bot = ChannelBot.parse({ ...currentFields, ...fields, ...(nextAvatarUrl === undefined ? {} : { avatarUrl: nextAvatarUrl }) });
        }
        if (body.hours !== undefined) settings.hours = body.hours;
        if (body.queueReminder !== undefined) settings.queueReminder = QueueReminder.parse({ ...current.queueReminder, ...body.queueReminder });
        if (body.idleEnd !== undefined) settings.idleEnd = IdleEnd.parse({ ...current.idleEnd, ...body.idleEnd });
        if (body.calls !== undefined) settings.calls = ChannelCalls.parse({ ...current.calls, ...body.calls });
        if (body.cobrowse !== undefined) settings.cobrowse = ChannelCobrowse.parse({ ...current.cobrowse, ...body.cobrowse });
        if (body.preChatForm !== undefined) settings.preChatForm = PreChatForm.parse({ ...current.preChatForm, ...body.preChatForm });
        if (body.welcomeMessage !== undefined) settings.welcomeMessage = body.welcomeMessage;
        if (body.identity?.mode !== undefined) values.identity_mode = body.identity.mode;
        if (body.typingPreview !== undefined) values.typing_preview = body.typingPreview ? 1 : 0;
        if (body.identity?.validateUrl !== undefined) values.identity_validate_url = body.identity.validateUrl === null ? null : checkValidateUrl(body.identity.validateUrl);
        Object.assign(values, settingsColumns(settings));
        await tx.updateTable('channels').set(values).where('app_id', '=', appId).where('id', '=', channelId).execute();
        return toChannel({ ...row, ...values });
      }).finally(() => forgetViews(appId));
    },

    /** Deletes a channel and its FAQs. The default channel cannot be deleted. */
    async deleteChannel(appId: string, channelId: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const row = await storage.forUpdate(selectChannelRow(tx, appId, channelId)).executeTakeFirst();
        if (!row) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} not found`);
        if (row.is_default === 1) throw new ChannelError('FD_CHANNEL_IS_DEFAULT', 'the default channel cannot be deleted');
        await tx.deleteFrom('faqs').where('app_id', '=', appId).where('channel_id', '=', channelId).execute();
        await tx.deleteFrom('channels').where('app_id', '=', appId).where('id', '=', channelId).execute();
      });
      faqIndexes.delete(`${appId} ${channelId}`);
      forgetViews(appId);
    },

    async listFaqs(appId: string, channelId: string): Promise<ChannelFaq[]> {
      await findChannelRow(appId, channelId);
      return (await selectFaqRows(db, appId, channelId)).map(toFaq);
    },

    async createFaq(appId: string, channelId: string, input: CreateFaqInput): Promise<ChannelFaq> {
      const body = parseInput(CreateFaqBody, input, 'FAQ');
      return changeFaqs(appId, channelId, async (tx) => {
        const { count } = await tx
          .selectFrom('faqs')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('app_id', '=', appId)
          .where('channel_id', '=', channelId)
          .executeTakeFirstOrThrow();
        if (Number(count) >= MAX_FAQS_PER_CHANNEL) throw new ChannelError('FD_FAQ_LIMIT_REACHED', `a channel holds at most ${MAX_FAQS_PER_CHANNEL} FAQs`);
        const now = clock.now();
        const row: FaqRow = {
          id: newId('faq'),
          app_id: appId,
          channel_id: channelId,
          question: body.question,
          keywords: JSON.stringify(body.keywords),
          answer: body.answer,
          locale: body.locale ?? null,
          created_at: now,
          updated_at: now,
        };
        await tx.insertInto('faqs').values(row).execute();
        return toFaq(row);
      });
    },

    /** Fields left out keep their value; `locale: null` removes it. */
    async updateFaq(appId: string, channelId: string, faqId: string, patch: UpdateFaqInput): Promise<ChannelFaq> {
      const body = parseInput(UpdateFaqBody, patch, 'FAQ update');
      return changeFaqs(appId, channelId, async (tx) => {
        const row = await tx.selectFrom('faqs').selectAll().where('app_id', '=', appId).where('channel_id', '=', channelId).where('id', '=', faqId).executeTakeFirst();
        if (!row) throw new ChannelError('FD_FAQ_NOT_FOUND', `FAQ ${faqId} not found`);
        const values: Partial<FaqRow> = { updated_at: Math.max(clock.now(), row.updated_at) };
        if (body.question !== undefined) values.question = body.question;
        if (body.keywords !== undefined) values.keywords = JSON.stringify(body.keywords);
        if (body.answer !== undefined) values.answer = body.answer;
        if (body.locale !== undefined) values.locale = body.locale;
        await tx.updateTable('faqs').set(values).where('app_id', '=', appId).where('id', '=', faqId).execute();
        return toFaq({ ...row, ...values });
      });
    },

    async deleteFaq(appId: string, channelId: string, faqId: string): Promise<void> {
      await changeFaqs(appId, channelId, async (tx) => {
        const result = await tx.deleteFrom('faqs').where('app_id', '=', appId).where('channel_id', '=', channelId).where('id', '=', faqId).executeTakeFirst();
        if (result.numDeletedRows !== 1n) throw new ChannelError('FD_FAQ_NOT_FOUND', `FAQ ${faqId} not found`);
      });
    },

    /**
     * The bot's search index over the channel's FAQs. Built once per FAQ version and kept in
     * memory; each call reads the channel's `faq_version` (one indexed row), so a change made
     * through any node is seen by every node on its next call.
     */
    async faqIndex(appId: string, channelId: string): Promise<FaqIndex> {
      const key = `${appId} ${channelId}`;
      const row = await db.selectFrom('channels').select('faq_version').where('app_id', '=', appId).where('id', '=', channelId).executeTakeFirst();
      if (!row) {
        faqIndexes.delete(key);
        throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} not found`);
      }
      const version = Number(row.faq_version);
      const cached = faqIndexes.get(key);
      if (cached && cached.version === version) {
        faqIndexes.delete(key);
        faqIndexes.set(key, cached);
        return cached.index;
      }
      // NOTE: the FAQs are read after the version, so the index is at least as new as the
      // version it is kept under; a change in between only causes one more rebuild.
      const index = selectFaqRows(db, appId, channelId).then((rows) => createFaqIndex(rows.map(toFaq)));
      // Versions only grow: a slower call that read an older version does not replace a newer entry.
      if (cached && cached.version > version) return index;
      const entry = { version, index };
      faqIndexes.delete(key);
      faqIndexes.set(key, entry);
      if (faqIndexes.size > MAX_CACHED_FAQ_INDEXES) faqIndexes.delete(faqIndexes.keys().next().value!);
      index.catch(() => {
        if (faqIndexes.get(key) === entry) faqIndexes.delete(key);
      });
      return index;
    },

    /**
     * The channel's identity secret (hmac and auth-v2 modes): admins only, never logged. Channels
     * made before identity modes existed get one on first use (once, under any concurrency).
     */
    async identitySecret(appId: string, channelId: string): Promise<string> {
      const row = await findChannelRow(appId, channelId);
      if (row.identity_secret !== null && isSealed(row.identity_secret)) return secretBox.open(row.identity_secret);
      // A channel made before identity modes existed gets one now; one stored in clear (before
      // secrets were encrypted) is sealed now, unchanged. Once, under any concurrency.
      const next = secretBox.seal(row.identity_secret ?? newIdentitySecret());
      let update = db.updateTable('channels').set({ identity_secret: next }).where('app_id', '=', appId).where('id', '=', channelId);
      update = row.identity_secret === null ? update.where('identity_secret', 'is', null) : update.where('identity_secret', '=', row.identity_secret);
      await update.execute();
      const sealed = (await findChannelRow(appId, channelId)).identity_secret;
      if (sealed === null) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} not found`);
      return secretBox.open(sealed);
    },

    /** Replaces the identity secret; hashes and signatures made with the old one stop working at once. */
    async rotateIdentitySecret(appId: string, channelId: string): Promise<string> {
      return this.setIdentitySecret(appId, channelId, newIdentitySecret());
    },

    /** Sets the identity secret the business already has (e.g. its Huawei secretKey); the old one stops working at once. */
    async setIdentitySecret(appId: string, channelId: string, secret: string): Promise<string> {
      const result = await db.updateTable('channels').set({ identity_secret: secretBox.seal(secret), updated_at: clock.now() }).where('app_id', '=', appId).where('id', '=', channelId).executeTakeFirst();
      if (result.numUpdatedRows !== 1n) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `channel ${channelId} not found`);
      return secret;
    },

    /** What a visitor's widget shows: the bot's name and avatar, and whether the channel is open at `nowMs`. */
    async publicView(appId: string, channelId: string | undefined, nowMs: number): Promise<Omit<ChannelPublicView, 'limits'>> {
      const channel = await resolveChannel(appId, channelId);
      const hours = channel.hours ?? undefined;
      const isOpen = isWithinHours(hours, nowMs);
      // NOTE: the widget must start even when routing cannot answer: then it says "online" as before.
      const available = await availability(appId, channel.queueId ?? null).catch(() => ({ state: 'online' as const, agentsOnline: 1, expectedWaitSeconds: null }));
      return {
        id: channel.id,
        name: channel.name,
        bot: { enabled: channel.bot.enabled, name: channel.bot.name, avatarUrl: channel.bot.avatarUrl ?? null },
        isOpen,
        isStaffed: available.state === 'online',
        availability: available,
        preChatForm: channel.preChatForm,
        welcomeMessage: channel.welcomeMessage,
        offHoursMessage: channel.hours?.offHoursMessage ?? null,
        nextOpeningAt: isOpen ? null : (nextOpening(hours, nowMs) ?? null),
        identityMode: channel.identity.mode,
        calls: { audio: channel.calls.audio, video: channel.calls.video },
        cobrowse: channel.cobrowse,
        ...(channel.typingPreview ? { typingPreview: true as const } : {}),
      };
    },
  };
}

export type ChannelsService = ReturnType<typeof createChannelsService>;
