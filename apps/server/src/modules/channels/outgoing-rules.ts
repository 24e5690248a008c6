import type { Message } from '@frontdesk/protocol';
import type { ChannelWindow, OutboundMessage } from './adapters/channel-adapter.ts';

/**
 * The outgoing rules of messaging channels, in one place (pure):
 * - only what people of ours wrote for the user leaves: agents' messages (a supervisor who barged
 *   in writes as an agent), the bot's answers and the texts of system notices (off hours, idle end);
 * - never the user's own messages (no echo), never a system code (joins, closes), and never an
 *   internal note or a supervisor's whisper — these are not messages at all, so nothing here can
 *   carry one;
 * - outside the window, an agent's free-form message is refused; the bot's and the system's are
 *   left unsent (the user is not waiting for them).
 */
export function outboundOf(message: Message, to: string, fileUrl: (fileId: string) => string): OutboundMessage | null {
  if (message.senderType === 'visitor') return null;
  if (message.senderType === 'system' && message.kind !== 'text') return null;
  if (message.kind === 'system') return null;
  if (message.kind === 'location' && message.location) {
    return { kind: 'location', to, latitude: message.location.latitude, longitude: message.location.longitude, name: message.location.name, address: message.location.address };
  }
  if ((message.kind === 'image' || message.kind === 'file') && message.file) {
    return { kind: 'media', to, mediaKind: message.kind, fileId: message.file.id, mimeType: message.file.mimeType, url: fileUrl(message.file.id), fileName: message.file.name, caption: null };
  }
  if (message.kind === 'text') return { kind: 'text', to, text: message.text };
  return null;
}

export type WindowVerdict = { send: true } | { send: false; refuse: boolean; reason: string };

/** Whether a free-form message may go now; an agent's outside the window is refused with the reason. */
export function windowVerdict(window: ChannelWindow, nowMs: number, sender: Message['senderType'], provider: string): WindowVerdict {
  if (window.endsAt === null || nowMs < window.endsAt) return { send: true };
  const since = new Date(window.endsAt - 24 * 3_600_000).toISOString();
  const path =
    provider === 'whatsapp'
      ? 'send an approved message template'
      : provider === 'messenger'
        ? window.humanAgentTagEndsAt !== null && nowMs < window.humanAgentTagEndsAt
          ? 'send it tagged HUMAN_AGENT (allowed up to 7 days after their last message)'
          : 'the HUMAN_AGENT tag has expired too (7 days)'
        : 'wait for the user to write again';
  const what = provider === 'viber' ? "Viber's session" : `${provider === 'whatsapp' ? 'WhatsApp' : 'Messenger'}'s 24-hour customer-service window`;
  return { send: false, refuse: sender === 'agent', reason: `outside ${what}: the user last wrote at ${since}; ${path}` };
}

/** Attempts of a send before it is shown as failed. */
export const MAX_SEND_ATTEMPTS = 8;

/**
 * When to try a refused send again: what the provider asked (Retry-After, Telegram's
 * retry_after), else 1 s, 2 s, 4 s… up to 5 minutes; null once the attempts are spent. Pure.
 */
export function nextSendDelayMs(attemptsSoFar: number, retryAfterMs: number | null): number | null {
  if (attemptsSoFar >= MAX_SEND_ATTEMPTS) return null;
  const backoff = Math.min(1000 * 2 ** (attemptsSoFar - 1), 300_000);
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** Sends per second a provider takes from one number, bot or account (WhatsApp: 80 per number). */
export const SENDS_PER_SECOND: Record<string, number> = { whatsapp: 80, messenger: 40, telegram: 30, viber: 40 };

/**
 * Pacing of sends to one user: WhatsApp's pair rate limit is about one message every 6 seconds to
 * the same user; a short burst (an agent's few quick lines) goes at once. Sends beyond it are
 * queued, not refused.
 */
export const PAIR_PACE: Partial<Record<string, { intervalMs: number; burst: number }>> = { whatsapp: { intervalMs: 6000, burst: 5 } };

/**
 * When a send to a user may run, and the user's pace after it (GCRA: `paceAt` is the theoretical
 * time of the next send; up to `burst` sends run at once, then one per `intervalMs`). Pure.
 */
export function pairPace(paceAt: number, nowMs: number, intervalMs: number, burst: number): { runAt: number; paceAt: number } {
  const theoretical = Math.max(paceAt, nowMs);
  return { runAt: Math.max(nowMs, theoretical - (burst - 1) * intervalMs), paceAt: theoretical + intervalMs };
}

