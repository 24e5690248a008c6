import { z } from 'zod';
import { ChannelCalls, ChannelCallsPatch } from './calls.ts';
import { ChannelCobrowse, ChannelCobrowsePatch } from './cobrowse.ts';
import { ChannelIdentity, ChannelIdentityInput, ChannelIdentityPatch, IdentityMode } from './identity.ts';
import { Id, TimestampMs } from './model.ts';

/**
 * Web channels (SPEC M10 bot settings, M11 channel behaviour): the bot and its FAQs, working
 * hours, queue position reminders, idle end, the visitors' view of a channel, and the
 * satisfaction rating of a conversation. Create bodies fill a sensible default for every
 * field; update bodies carry no defaults, so a field left out keeps its stored value.
 */

// ---------------------------------------------------------------------------------------------
// Bot (M10)

/** Used when a channel lists no hand-off keywords of its own. */
export const DEFAULT_HAND_OFF_KEYWORDS: readonly string[] = ['转人工', '人工', 'human', 'agent'];

const FaqFields = {
  question: z.string().trim().min(1).max(500),
  /** Words an admin expects visitors to use; weighed most when matching. */
  keywords: z.array(z.string().trim().min(1).max(100)).max(50),
  answer: z.string().trim().min(1).max(5000),
  /** The language the FAQ is written in ('zh', 'en', …); for the admin console, matching ignores it. */
  locale: z.string().min(2).max(16),
};

export const Faq = z.object({
  id: z.string().min(1).max(64),
  question: FaqFields.question,
  keywords: FaqFields.keywords.default([]),
  answer: FaqFields.answer,
  locale: FaqFields.locale.optional(),
});
export type Faq = z.infer<typeof Faq>;

/** The most FAQs one channel holds (each is indexed in memory by every server node). */
export const MAX_FAQS_PER_CHANNEL = 2000;

const BotFields = {
  enabled: z.boolean(),
  name: z.string().trim().min(1).max(64),
  /** http(s) only: widgets put it in an <img>. */
  avatarUrl: z.url({ protocol: /^https?$/, message: 'avatarUrl must be an http(s) URL' }).max(2048),
  /** Sent when the bot does not understand. */
  defaultReply: z.string().trim().min(1).max(2000),
  /** Sent by the shell's timer when the visitor's session times out; the core does not use it. */
  timeoutReply: z.string().trim().min(1).max(2000),
  handOffKeywords: z.array(z.string().trim().min(1).max(64)).max(50),
  /** Sent when the visitor is handed to a human. */
  handOffText: z.string().trim().min(1).max(2000),
};

/** Per-channel bot settings (SPEC M10). Like Huawei's web channel, the bot is off until turned on. */
export const BotSettings = z.object({
  enabled: BotFields.enabled.default(false),
  name: BotFields.name,
  avatarUrl: BotFields.avatarUrl.optional(),
  defaultReply: BotFields.defaultReply,
  timeoutReply: BotFields.timeoutReply,
  handOffKeywords: BotFields.handOffKeywords.default([...DEFAULT_HAND_OFF_KEYWORDS]),
  handOffText: BotFields.handOffText,
  faqs: z
    .array(Faq)
    .max(MAX_FAQS_PER_CHANNEL)
    .default([])
    .superRefine((faqs, ctx) => {
      const seen = new Set<string>();
      for (const [i, faq] of faqs.entries()) {
        if (seen.has(faq.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate FAQ id "${faq.id}"` });
        seen.add(faq.id);
      }
    }),
});
export type BotSettings = z.infer<typeof BotSettings>;

/** A channel's bot: `BotSettings` without the FAQs, which are their own resource. */
export const ChannelBot = BotSettings.omit({ faqs: true });
export type ChannelBot = z.infer<typeof ChannelBot>;

export const DEFAULT_BOT = {
  name: '智能助手 Assistant',
  defaultReply: '抱歉，我没有理解您的问题。Sorry, I did not understand that.',
  timeoutReply: '您还在吗？Are you still there?',
  handOffText: '正在为您转接人工客服… Connecting you to an agent…',
} as const;

const ChannelBotInput = ChannelBot.extend({
  name: BotFields.name.default(DEFAULT_BOT.name),
  defaultReply: BotFields.defaultReply.default(DEFAULT_BOT.defaultReply),
  timeoutReply: BotFields.timeoutReply.default(DEFAULT_BOT.timeoutReply),
  handOffText: BotFields.handOffText.default(DEFAULT_BOT.handOffText),
});

/** Fields given are changed, the others kept; `avatarUrl: null` removes the avatar. */
const ChannelBotPatch = z
  .object({ ...BotFields, avatarUrl: BotFields.avatarUrl.nullable() })
  .partial();

/** A channel's FAQ, managed on its own (`/v1/channels/:id/faqs`). */
export const ChannelFaq = Faq.extend({ channelId: Id, keywords: FaqFields.keywords, createdAt: TimestampMs, updatedAt: TimestampMs });
export type ChannelFaq = z.infer<typeof ChannelFaq>;
export const CreateFaqBody = Faq.omit({ id: true });
export type CreateFaqInput = z.input<typeof CreateFaqBody>;
/** Fields given are changed; `locale: null` removes the locale. */
export const UpdateFaqBody = z.object({ ...FaqFields, locale: FaqFields.locale.nullable() }).partial();
export type UpdateFaqInput = z.input<typeof UpdateFaqBody>;
export const FaqList = z.object({ faqs: z.array(ChannelFaq) });

// ---------------------------------------------------------------------------------------------
// Working hours (M11). The server's pure core (`isWithinHours`, `nextOpening`) works on these.

export const MAX_PERIODS_PER_DAY = 4;

const START_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

function isCalendarDate(date: string): boolean {
  const match = DATE.exec(date);
  if (!match) return false;
  const day = new Date(0);
  day.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return day.toISOString().startsWith(date);
}

const knownTimeZones = new Set<string>();
function isTimeZone(timeZone: string): boolean {
  if (knownTimeZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return false;
  }
  if (knownTimeZones.size < 1000) knownTimeZones.add(timeZone);
  return true;
}

export const Period = z
  .object({
    start: z.string().regex(START_TIME, { message: 'start must be a time HH:mm from 00:00 to 23:59' }),
    end: z.string().regex(END_TIME, { message: 'end must be a time HH:mm from 00:01 to 24:00' }),
  })
  .refine((p) => !START_TIME.test(p.start) || !END_TIME.test(p.end) || minutesOf(p.end) > minutesOf(p.start), {
    message: 'a period must end after it starts; to stay open past midnight, end at 24:00 and start the next day at 00:00',
    path: ['end'],
  });
export type Period = z.infer<typeof Period>;

const Periods = z
  .array(Period)
  .max(MAX_PERIODS_PER_DAY, { message: `at most ${MAX_PERIODS_PER_DAY} periods a day` })
  .superRefine((periods, ctx) => {
    const sorted = periods.map((p, i) => ({ ...p, i })).sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    for (let k = 1; k < sorted.length; k++) {
      const [previous, next] = [sorted[k - 1]!, sorted[k]!];
      if (minutesOf(next.start) < minutesOf(previous.end)) {
        ctx.addIssue({
          code: 'custom',
          path: [next.i],
          message: `periods ${previous.start}–${previous.end} and ${next.start}–${next.end} overlap`,
        });
      }
    }
  });

export const DateException = z.object({
  date: z.string().refine(isCalendarDate, { message: 'date must be a calendar date YYYY-MM-DD' }),
  /** 'non-workday' for a holiday, 'workday' for a make-up workday (调休) on a weekend. */
  kind: z.enum(['workday', 'non-workday']),
});
export type DateException = z.infer<typeof DateException>;

/**
 * Working hours of a channel (Huawei web channel "座席工作时间"): up to 4 periods on workdays and
 * up to 4 on non-workdays, in the channel's IANA time zone, with date exceptions (holidays,
 * make-up workdays) and the message visitors get off hours. Periods are half-open wall-clock
 * [start, end); `end` may be '24:00'. See apps/server/src/modules/channels/hours.ts.
 */
export const WorkingHours = z.object({
  alwaysOpen: z.boolean().default(false),
  timeZone: z.string().superRefine((timeZone, ctx) => {
    if (!isTimeZone(timeZone)) ctx.addIssue({ code: 'custom', message: `unknown IANA time zone "${timeZone}"` });
  }),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  workdays: z
    .array(z.number().int().min(1, { message: 'a workday is an ISO weekday 1 (Monday) to 7 (Sunday)' }).max(7, { message: 'a workday is an ISO weekday 1 (Monday) to 7 (Sunday)' }))
    .refine((days) => new Set(days).size === days.length, { message: 'workdays must not repeat' })
    .default([1, 2, 3, 4, 5]),
  workdayPeriods: Periods,
  nonWorkdayPeriods: Periods.default([]),
  exceptions: z
    .array(DateException)
    .max(400)
    .superRefine((exceptions, ctx) => {
      const seen = new Set<string>();
      for (const [i, exception] of exceptions.entries()) {
        if (seen.has(exception.date)) ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `${exception.date} is listed twice` });
        seen.add(exception.date);
      }
    })
    .default([]),
  offHoursMessage: z.string().trim().min(1, { message: 'an off-hours message is required' }).max(1000),
});
export type WorkingHours = z.infer<typeof WorkingHours>;

// ---------------------------------------------------------------------------------------------
// Queue position reminders and idle end (M11)

/** Placeholders a reminder text may use: the visitor's position in the queue and the estimated wait. */
export const QUEUE_REMINDER_PLACEHOLDERS = ['{position}', '{waitMinutes}'] as const;

export const DEFAULT_QUEUE_REMINDER_TEXT = '您前面还有 {position} 位，预计等待 {waitMinutes} 分钟。You are number {position} in the queue, about {waitMinutes} min to wait.';
export const DEFAULT_IDLE_END_TEXT = '由于您长时间未回复，本次会话已结束。This conversation has ended because there was no reply for a while.';

const QueueReminderFields = {
  enabled: z.boolean(),
  intervalSeconds: z.number().int().min(5).max(600),
  text: z.string().trim().min(1).max(1000),
};
export const QueueReminder = z.object({
  enabled: QueueReminderFields.enabled.default(true),
  intervalSeconds: QueueReminderFields.intervalSeconds.default(10),
  text: QueueReminderFields.text.default(DEFAULT_QUEUE_REMINDER_TEXT),
});
export type QueueReminder = z.infer<typeof QueueReminder>;

const IdleEndFields = {
  enabled: z.boolean(),
  /** Minutes without a visitor message after which the conversation is ended. */
  minutes: z.number().int().min(1).max(1440),
  text: z.string().trim().min(1).max(1000),
};
export const IdleEnd = z.object({
  enabled: IdleEndFields.enabled.default(true),
  minutes: IdleEndFields.minutes.default(20),
  text: IdleEndFields.text.default(DEFAULT_IDLE_END_TEXT),
});
export type IdleEnd = z.infer<typeof IdleEnd>;

// ---------------------------------------------------------------------------------------------
// Visitor forms (M11): the pre-chat form and the welcome message

export const PRE_CHAT_FIELDS = ['name', 'email', 'phone'] as const;
export type PreChatFieldKey = (typeof PRE_CHAT_FIELDS)[number];

/**
 * A channel's optional pre-chat form: the fields the widget asks before the first message, in
 * order, each required or not. Off by default; the server refuses an open without a required answer.
 */
const PreChatFields = z
  .array(z.object({ key: z.enum(PRE_CHAT_FIELDS), required: z.boolean().default(false) }))
  .max(PRE_CHAT_FIELDS.length)
  .refine((fields) => new Set(fields.map((f) => f.key)).size === fields.length, { message: 'a pre-chat field is listed once' });
export const PreChatForm = z.object({
  enabled: z.boolean().default(false),
  fields: PreChatFields.default([
    { key: 'name', required: true },
    { key: 'email', required: false },
  ]),
});
export type PreChatForm = z.infer<typeof PreChatForm>;

/** The first words a visitor sees in the panel (shown by the widget, not stored as a message); null for none. */
export const WelcomeMessage = z.string().trim().min(1).max(1000).nullable();

// ---------------------------------------------------------------------------------------------
// Channels

/** In channel routes, names the app's default channel (created on first use). */
export const DEFAULT_CHANNEL_ALIAS = 'default';

const ChannelName = z.string().trim().min(1).max(100);

export const Channel = z.object({
  id: Id,
  appId: Id,
  name: z.string(),
  /** The channel visitors get when they name none. One per app; it cannot be deleted. */
  isDefault: z.boolean(),
  /** The skill queue a conversation of this channel enters when a human is needed. */
  queueId: Id.nullable(),
  bot: ChannelBot,
  /** null: always open. */
  hours: WorkingHours.nullable(),
  queueReminder: QueueReminder,
  idleEnd: IdleEnd,
  /** Audio and video calls from the widget (SPEC M22). */
  calls: ChannelCalls,
  /** Co-browsing (SPEC M32): on or off, and the privacy rules of the visitor's page. */
  cobrowse: ChannelCobrowse,
  /** How visitors of this channel are identified (see identity.ts); the secret is not part of it. */
  identity: ChannelIdentity,
  /** Agents see what the visitor is writing before it is sent (off by default: tell your visitors). */
  typingPreview: z.boolean(),
  preChatForm: PreChatForm,
  welcomeMessage: WelcomeMessage,
  createdAt: TimestampMs,
  updatedAt: TimestampMs,
});
export type Channel = z.infer<typeof Channel>;
export const ChannelList = z.object({ channels: z.array(Channel) });

export const CreateChannelBody = z.object({
  name: ChannelName,
  queueId: Id.nullable().default(null),
  bot: ChannelBotInput.prefault({}),
  hours: WorkingHours.nullable().default(null),
  queueReminder: QueueReminder.prefault({}),
  idleEnd: IdleEnd.prefault({}),
  calls: ChannelCalls.prefault({}),
  cobrowse: ChannelCobrowse.prefault({}),
  identity: ChannelIdentityInput.prefault({}),
  typingPreview: z.boolean().default(false),
  preChatForm: PreChatForm.prefault({}),
  welcomeMessage: WelcomeMessage.default(null),
});
export type CreateChannelInput = z.input<typeof CreateChannelBody>;

/**
 * Fields left out keep their value. `bot`, `queueReminder` and `idleEnd` are merged field by
 * field; `hours` is replaced whole (its periods are validated together), `null` = always open.
 */
export const UpdateChannelBody = z.object({
  name: ChannelName.optional(),
  queueId: Id.nullable().optional(),
  bot: ChannelBotPatch.optional(),
  hours: WorkingHours.nullable().optional(),
  queueReminder: z.object(QueueReminderFields).partial().optional(),
  idleEnd: z.object(IdleEndFields).partial().optional(),
  /** Merged field by field. */
  calls: ChannelCallsPatch.optional(),
  /** Merged field by field. */
  cobrowse: ChannelCobrowsePatch.optional(),
  /** Merged field by field; `validateUrl: null` removes it. */
  identity: ChannelIdentityPatch.optional(),
  typingPreview: z.boolean().optional(),
  /** Merged field by field; `fields` is replaced whole. */
  preChatForm: z.object({ enabled: z.boolean(), fields: PreChatFields }).partial().optional(),
  /** null removes it. */
  welcomeMessage: WelcomeMessage.optional(),
});
export type UpdateChannelInput = z.input<typeof UpdateChannelBody>;

/** What a visitor's widget may know of a channel. */
export const ChannelPublicView = z.object({
  id: Id,
  name: z.string(),
  bot: z.object({ enabled: z.boolean(), name: z.string(), avatarUrl: z.string().nullable() }),
  /** Within working hours now (computed by the server). */
  isOpen: z.boolean(),
  /**
   * An agent who serves this channel (its queue's; any chat agent for a channel without a queue)
   * is signed in and not resting or not ready now: the widget says "online" only then.
   */
  isStaffed: z.boolean(),
  /**
   * Who could answer now, without names: `online` when an agent serving the channel is free,
   * `away` when some are signed in but none is free (resting, not ready, full), `offline` when
   * nobody is signed in; the expected wait of a new visitor of its queue (null when unknown or not
   * queued). The widget offers the leave-a-message form when nobody is online or it is off hours.
   */
  availability: z.object({
    state: z.enum(['online', 'away', 'offline']),
    agentsOnline: z.number().int().nonnegative(),
    expectedWaitSeconds: z.number().int().nonnegative().nullable(),
  }),
  /** The channel's pre-chat form (`enabled: false` when it has none). */
  preChatForm: PreChatForm,
  welcomeMessage: WelcomeMessage,
  /** null when the channel has no working hours (always open). */
  offHoursMessage: z.string().nullable(),
  /** When it opens next, if closed now and it opens within 14 days; else null. */
  nextOpeningAt: TimestampMs.nullable(),
  /** How the widget must identify its visitor (`identity` of `POST /v1/visitor/session`). */
  identityMode: IdentityMode,
  /** The calls the widget offers (buttons in the panel). */
  calls: z.object({ audio: z.boolean(), video: z.boolean() }),
  /** Co-browsing: offered or not, and the rules the capture applies in the visitor's page. */
  cobrowse: ChannelCobrowse,
  /** Present (true) when the channel shows agents the visitor's draft: the widget then sends it with its typing. */
  typingPreview: z.literal(true).optional(),
  /**
   * Limits of this server a client must respect before it sends, so it can refuse early with the
   * right numbers. The server's configuration is their one source (`FRONTDESK_UPLOAD_MAX_BYTES`);
   * a client may apply lower ones of its own, never higher.
   */
  limits: z.object({
    /** The largest file upload the server accepts, in bytes. */
    uploadMaxBytes: z.number().int().positive(),
  }),
});
export type ChannelPublicView = z.infer<typeof ChannelPublicView>;

export const ChannelFaqParams = z.object({ id: Id, faqId: Id });

// ---------------------------------------------------------------------------------------------
// Satisfaction rating (M11): stars and an optional comment, any time during or after the
// conversation, by its visitor; the last one wins.

export const Rating = z.object({
  conversationId: Id,
  visitorId: Id,
  stars: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  /** When the conversation was first rated. */
  createdAt: TimestampMs,
  /** When the rating was last given. */
  updatedAt: TimestampMs,
});
export type Rating = z.infer<typeof Rating>;

/** `GET /v1/ratings?conversationId=`: a conversation's rating as a list, empty while it has none. */
export const RatingsQuery = z.object({ conversationId: Id });
export const RatingList = z.object({ ratings: z.array(Rating) });
export type RatingList = z.infer<typeof RatingList>;

export const RateConversationBody = z.object({
  stars: z.number().int().min(1).max(5),
  comment: z.string().trim().max(1000).optional(),
});
export type RateConversationInput = z.input<typeof RateConversationBody>;
