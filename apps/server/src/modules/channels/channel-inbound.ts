import { MAX_TEXT_LENGTH, type Conversation, type Message, type MessageLocation } from '@frontdesk/protocol';
import type { TxContext } from '../../events.ts';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import type { Logger } from '../../platform/logger.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { ADAPTERS } from './adapters/adapters.ts';
import type { ConnectionView, InboundContent, InboundEvent, Provider } from './adapters/channel-adapter.ts';
import { ChannelError } from './channels.errors.ts';
import type { Connections } from './connections.ts';
import { applyDeliveryStatus, applyWatermark } from './deliveries.ts';
import type { ChangedDelivery, DeliveryNotifier } from './delivery-notifier.ts';
import type { ProviderHttp } from './provider-http.ts';

/** What a channel needs of the modules that store conversations (wired in app.ts). */
export interface InboundPorts {
  /** A new visitor for a provider's user (identity). */
  createVisitor(appId: string, name: string): Promise<string>;
  /** The visitor's open conversation in the channel, opened if it has none (the flow routes it when it opens). */
  openConversation(appId: string, visitorId: string, channelId: string): Promise<Conversation>;
  /** Stores the visitor's text or place; `onStored` runs in its transaction. */
  appendText(appId: string, conversationId: string, visitorId: string, input: { clientId: string; kind: 'text' | 'location'; text: string; location?: MessageLocation }, onStored: (ctx: TxContext, message: Message) => Promise<void>): Promise<{ created: boolean }>;
  /** Stores the visitor's file (type checked like an upload); `onStored` runs in its transaction. */
  appendFile(appId: string, conversationId: string, visitorId: string, input: { clientId: string; name: string; declaredType: string | undefined; bytes: Buffer }, onStored: (ctx: TxContext, message: Message) => Promise<void>): Promise<{ created: boolean }>;
}

export interface ReceiveResult {
  stored: number;
  duplicates: number;
  statuses: number;
}

/** The record that a provider's message is stored (its primary key refuses a copy): compiled once (compiled-query.ts). */
const insertInbound = compiledOnce<Database['channel_inbound']>((db, r) =>
  db.insertInto('channel_inbound').values({ channel_id: r.channel_id, provider_message_id: r.provider_message_id, app_id: r.app_id, message_id: r.message_id, created_at: r.created_at } satisfies Database['channel_inbound']),
);

/** What a node keeps of a provider's user: its visitor, name, stored window start and last conversation here. */
interface KnownUser {
  visitorId: string;
  name: string;
  lastInboundAt: number;
  conversationId?: string | undefined;
}

/** Provider users whose visitor a node keeps in memory. */
const MAX_KNOWN_USERS = 10_000;
/** How stale the stored time of a user's last message may be (the window closes at most this early). */
const INBOUND_AT_GRANULARITY_MS = 60_000;

/** What kind of file a media message's name gets when the provider gave none. */
const DEFAULT_NAMES: Record<string, string> = { image: 'image', file: 'file', audio: 'audio', video: 'video' };

/**
 * The inbound path of messaging channels: the webhook's raw body goes to the provider's adapter
 * (signature first, then the documented shape); each user message opens or continues the one
 * conversation of (channel, user) through the conversation flow and is stored once, whatever the
 * provider's redeliveries and however many nodes receive it (the unique key of `channel_inbound`,
 * written in the message's transaction); statuses move our messages' delivery state forward.
 */
export function createChannelInbound(deps: { storage: Storage; clock: Clock; log: Logger; connections: Connections; ports: InboundPorts; http: ProviderHttp; deliveries: DeliveryNotifier }) {
  const { storage, clock, connections, ports } = deps;
  const { db } = storage;

  async function connectionFor(provider: Provider, channelId: string): Promise<ConnectionView> {
    const connection = await connections.byChannel(channelId);
    if (!connection || connection.provider !== provider) throw new ChannelError('FD_CHANNEL_NOT_FOUND', `no ${provider} channel ${channelId}`);
    return connection;
  }

  /**
   * `${channelId} ${externalId}` → the user's visitor and name, and the conversation this node last
   * stored one of their messages in. A user's visitor never changes once made (the primary key), so
   * every node may keep it; the conversation is only a guess (another node may have closed it): the
   * append checks it on the row it locks. The least recently used goes past the limit.
   */
  const known = new Map<string, KnownUser>();
  function remember(key: string, value: KnownUser): string {
    const before = known.get(key);
    known.delete(key);
    known.set(key, before?.visitorId === value.visitorId ? { ...value, conversationId: value.conversationId ?? before.conversationId } : value);
    if (known.size > MAX_KNOWN_USERS) known.delete(known.keys().next().value!);
    return value.visitorId;
  }

  /** The visitor of a provider's user, made on first sight; two nodes racing agree on one (the primary key). */
  async function visitorOf(connection: ConnectionView, externalId: string, userName: string | null): Promise<string> {
    const key = `${connection.channelId} ${externalId}`;
    const find = () => db.selectFrom('channel_contacts').select(['visitor_id', 'name', 'last_inbound_at']).where('channel_id', '=', connection.channelId).where('external_id', '=', externalId).executeTakeFirst();
    const cached = known.get(key);
    const found = cached ? { visitor_id: cached.visitorId, name: cached.name, last_inbound_at: cached.lastInboundAt } : await find();
    if (found) {
      if (userName && userName.slice(0, 200) !== found.name) {
        await db.updateTable('channel_contacts').set({ name: userName.slice(0, 200) }).where('channel_id', '=', connection.channelId).where('external_id', '=', externalId).execute();
        found.name = userName.slice(0, 200);
      }
      return remember(key, { visitorId: found.visitor_id, name: found.name, lastInboundAt: Number(found.last_inbound_at) });
    }
    const name = userName ?? externalId;
    const visitorId = await ports.createVisitor(connection.appId, name);
    const now = clock.now();
    try {
      await db
        .insertInto('channel_contacts')
        .values({ app_id: connection.appId, channel_id: connection.channelId, external_id: externalId, visitor_id: visitorId, name: name.slice(0, 200), last_inbound_at: now, send_pace_at: 0, created_at: now })
        .execute();
      return remember(key, { visitorId, name: name.slice(0, 200), lastInboundAt: now });
    } catch (err) {
      // NOTE: another node made this user's visitor first: its one is used (ours stays unused).
      const raced = storage.isUniqueViolation(err) ? await find() : undefined;
      if (!raced) throw err;
      return raced.visitor_id;
    }
  }

  /** Downloads a media message's bytes through the provider (WhatsApp: `GET /{media-id}`, then its URL; Telegram: getFile, then the file). */
  async function download(connection: ConnectionView, content: Extract<InboundContent, { kind: 'media' }>) {
    const adapter = ADAPTERS[connection.provider];
    const first = await deps.http(adapter.mediaRequest(content.media, connection), { followRedirects: content.media.kind === 'url' });
    if (first.status !== 200) throw new ChannelError('FD_CHANNEL_PROVIDER_FAILED', `the provider answered ${first.status} for a media`);
    const next = adapter.mediaNext(content.media, { status: first.status, body: first.body, contentType: first.headers['content-type'] ?? null }, connection);
    let answer = first;
    let mimeType = content.mimeType ?? first.headers['content-type'] ?? null;
    let fileName = content.fileName;
    if (!next.done) {
      answer = await deps.http(next.request, { followRedirects: true });
      if (answer.status !== 200) throw new ChannelError('FD_CHANNEL_PROVIDER_FAILED', `the provider answered ${answer.status} for a media download`);
      mimeType = content.mimeType ?? next.mimeType ?? answer.headers['content-type'] ?? null;
      fileName ??= next.fileName;
    }
    return { bytes: answer.body, mimeType: mimeType?.split(';')[0]?.trim() || undefined, name: fileName ?? DEFAULT_NAMES[content.mediaKind] ?? 'file' };
  }

  /**
   * Stores one user message once; false when it was stored before.
   * NOTE: when this node knows the user's open conversation (the common case: a chat goes on),
   * the message goes straight to it, with no read of `channel_inbound` or of the conversation
   * first: a copy is refused by the unique keys in the message's transaction (rolled back, so
   * nothing of it stays), and a conversation closed meanwhile is found closed on the row the
   * append locks. Otherwise the copy check comes first, so a copy never opens a conversation.
   */
  async function storeMessage(connection: ConnectionView, event: Extract<InboundEvent, { type: 'message' }>): Promise<boolean> {
    const key = `${connection.channelId} ${event.externalId}`;
    const storedBefore = async () =>
      (await db.selectFrom('channel_inbound').select('message_id').where('channel_id', '=', connection.channelId).where('provider_message_id', '=', event.providerMessageId).executeTakeFirst()) !== undefined;
    let guess = event.content.kind === 'media' ? undefined : known.get(key)?.conversationId;
    if (!guess && (await storedBefore())) return false;
    const visitorId = await visitorOf(connection, event.externalId, event.userName);
    const file = event.content.kind === 'media' ? await download(connection, event.content) : undefined;
    const clientId = `${connection.provider}:${event.providerMessageId}`.slice(0, 64);
    const onStored = async ({ tx }: TxContext, message: Message) => {
      const now = clock.now();
      await insertInbound(tx, { channel_id: connection.channelId, provider_message_id: event.providerMessageId, app_id: connection.appId, message_id: message.id, created_at: now });
      // NOTE: the window's start is written at most once a minute per user (an UPDATE fewer for
      // every message of a chat): the window may close up to a minute early, never late. What this
      // node wrote or read is never newer than the row, so skipping on it is safe with many nodes.
      const user = known.get(key);
      if (user && now - user.lastInboundAt < INBOUND_AT_GRANULARITY_MS) return;
      await tx.updateTable('channel_contacts').set({ last_inbound_at: now }).where('channel_id', '=', connection.channelId).where('external_id', '=', event.externalId).execute();
      if (user) user.lastInboundAt = now;
    };
    // A conversation closed between its open (or this node's last message in it) and the append: the open one is asked for again, once.
    for (let reopens = 1; ; ) {
      const conversation = guess ? { id: guess } : await ports.openConversation(connection.appId, visitorId, connection.channelId);
      try {
        const { content } = event;
        const result =
          content.kind === 'media'
            ? await ports.appendFile(connection.appId, conversation.id, visitorId, { clientId, name: file!.name, declaredType: file!.mimeType, bytes: file!.bytes }, onStored)
            : content.kind === 'text'
              ? await ports.appendText(connection.appId, conversation.id, visitorId, { clientId, kind: 'text', text: content.text.slice(0, MAX_TEXT_LENGTH) || ' ' }, onStored)
              : await ports.appendText(
                  connection.appId,
                  conversation.id,
                  visitorId,
                  {
                    clientId,
                    kind: 'location',
                    text: content.name ?? content.address ?? `${content.latitude}, ${content.longitude}`,
                    location: { latitude: content.latitude, longitude: content.longitude, name: content.name, address: content.address },
                  },
                  onStored,
                );
        const user = known.get(key);
        if (user?.visitorId === visitorId) user.conversationId = conversation.id;
        return result.created;
      } catch (err) {
        if (storage.isUniqueViolation(err)) return false;
        const gone = err instanceof DomainError && (err.code === 'FD_CONVERSATION_CLOSED' || (guess !== undefined && err.code === 'FD_CONVERSATION_NOT_FOUND'));
        if (!gone) throw err;
        if (guess) {
          // The guess is stale: the copy check comes first again, so a copy opens nothing.
          guess = undefined;
          const user = known.get(key);
          if (user) user.conversationId = undefined;
          if (await storedBefore()) return false;
        } else if (reopens-- === 0) throw err;
      }
    }
  }

  return {
    /** Meta's GET handshake: the challenge, or null when the verify token is wrong. */
    async handshake(provider: Provider, channelId: string, query: Record<string, string | undefined>): Promise<string | null> {
      const connection = await connectionFor(provider, channelId);
      return ADAPTERS[provider].verifyHandshake?.(query, connection) ?? null;
    },

    /** A webhook delivery: verified (SignatureError), parsed (PayloadError), stored; answered once stored. */
    async receive(provider: Provider, channelId: string, rawBody: Buffer, headers: Readonly<Record<string, string | string[] | undefined>>): Promise<ReceiveResult> {
      const connection = await connectionFor(provider, channelId);
      const events = ADAPTERS[provider].receive(rawBody, headers, connection);
      const result: ReceiveResult = { stored: 0, duplicates: 0, statuses: 0 };
      const changed: ChangedDelivery[] = [];
      for (const event of events) {
        if (event.type === 'message') {
          if (await storeMessage(connection, event)) result.stored++;
          else result.duplicates++;
        } else if (event.type === 'status') {
          changed.push(...(await applyDeliveryStatus(db, clock, connection.channelId, event.providerMessageId, event.status, event.reason)));
        } else {
          changed.push(...(await applyWatermark(db, clock, connection.channelId, event.externalId, event.status, event.upToMs)));
        }
      }
      result.statuses = changed.length;
      if (changed.length) await deps.deliveries.announce(changed);
      return result;
    },
  };
}

export type ChannelInbound = ReturnType<typeof createChannelInbound>;
