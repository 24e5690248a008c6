import { PRE_CHAT_FIELDS, UpdateChannelBody, type Channel, type IdentityMode, type PreChatFieldKey, type WorkingHours } from '@frontdesk/protocol';
import type { UpdateChannelInput } from '@frontdesk/sdk-agent';
import { issuesToFieldErrors, type FieldErrors } from '../../admin/state/form-errors.ts';
import { listOf, numberOrUndefined } from '../../admin/state/numbers.ts';

/** A channel's settings form (SPEC M10, M11, M3–M5, M22): numbers and lists as the text typed. */
export interface ChannelDraft {
  name: string;
  queueId: string;
  bot: {
    enabled: boolean;
    name: string;
    avatarUrl: string;
    defaultReply: string;
    timeoutReply: string;
    handOffKeywords: string;
    handOffText: string;
  };
  hours: WorkingHours | null;
  queueReminder: { enabled: boolean; intervalSeconds: string; text: string };
  idleEnd: { enabled: boolean; minutes: string; text: string };
  identity: { mode: IdentityMode; validateUrl: string };
  /** The calls the widget offers, and their queue ('' = none). */
  calls: { audio: boolean; video: boolean; queueId: string };
  /** Agents see the visitor's draft before it is sent. */
  typingPreview: boolean;
  /** The pre-chat form: on or off, and each field not asked, optional or required. */
  preChatForm: { enabled: boolean; fields: Record<PreChatFieldKey, PreChatFieldChoice> };
  /** '' = none. */
  welcomeMessage: string;
}

export type PreChatFieldChoice = 'off' | 'optional' | 'required';

export function draftOfChannel(channel: Channel): ChannelDraft {
  return {
    name: channel.name,
    queueId: channel.queueId ?? '',
    bot: {
      enabled: channel.bot.enabled,
      name: channel.bot.name,
      avatarUrl: channel.bot.avatarUrl ?? '',
      defaultReply: channel.bot.defaultReply,
      timeoutReply: channel.bot.timeoutReply,
      handOffKeywords: channel.bot.handOffKeywords.join(', '),
      handOffText: channel.bot.handOffText,
    },
    hours: channel.hours,
    queueReminder: { enabled: channel.queueReminder.enabled, intervalSeconds: String(channel.queueReminder.intervalSeconds), text: channel.queueReminder.text },
    idleEnd: { enabled: channel.idleEnd.enabled, minutes: String(channel.idleEnd.minutes), text: channel.idleEnd.text },
    identity: { mode: channel.identity?.mode ?? 'anonymous', validateUrl: channel.identity?.validateUrl ?? '' },
    calls: { audio: channel.calls.audio, video: channel.calls.video, queueId: channel.calls.queueId ?? '' },
    typingPreview: channel.typingPreview ?? false,
    preChatForm: {
      enabled: channel.preChatForm?.enabled ?? false,
      fields: Object.fromEntries(
        PRE_CHAT_FIELDS.map((key) => {
          const field = channel.preChatForm?.fields.find((f) => f.key === key);
          return [key, field ? (field.required ? 'required' : 'optional') : 'off'];
        }),
      ) as Record<PreChatFieldKey, PreChatFieldChoice>,
    },
    welcomeMessage: channel.welcomeMessage ?? '',
  };
}

/** The PATCH body: every setting the form shows. */
export function bodyOfChannelDraft(draft: ChannelDraft): UpdateChannelInput {
  return {
    name: draft.name.trim(),
    queueId: draft.queueId || null,
    bot: {
      enabled: draft.bot.enabled,
      name: draft.bot.name,
      avatarUrl: draft.bot.avatarUrl.trim() || null,
      defaultReply: draft.bot.defaultReply,
      timeoutReply: draft.bot.timeoutReply,
      handOffKeywords: listOf(draft.bot.handOffKeywords),
      handOffText: draft.bot.handOffText,
    },
    hours: draft.hours,
    queueReminder: { enabled: draft.queueReminder.enabled, intervalSeconds: numberOrUndefined(draft.queueReminder.intervalSeconds), text: draft.queueReminder.text },
    idleEnd: { enabled: draft.idleEnd.enabled, minutes: numberOrUndefined(draft.idleEnd.minutes), text: draft.idleEnd.text },
    identity: { mode: draft.identity.mode, validateUrl: draft.identity.validateUrl.trim() || null },
    calls: { audio: draft.calls.audio, video: draft.calls.video, queueId: draft.calls.queueId || null },
    typingPreview: draft.typingPreview,
    preChatForm: {
      enabled: draft.preChatForm.enabled,
      fields: PRE_CHAT_FIELDS.filter((key) => draft.preChatForm.fields[key] !== 'off').map((key) => ({ key, required: draft.preChatForm.fields[key] === 'required' })),
    },
    welcomeMessage: draft.welcomeMessage.trim() || null,
  };
}

/** The server's schema, run before sending. */
export function checkChannelBody(body: UpdateChannelInput, messages = { validateUrlRequired: 'token mode needs the validate URL of your server' }): FieldErrors {
  const result = UpdateChannelBody.safeParse(body);
  const errors = result.success ? {} : issuesToFieldErrors(result.error.issues);
  if (body.identity?.mode === 'token' && !body.identity.validateUrl) errors['identity.validateUrl'] = messages.validateUrlRequired;
  return errors;
}
