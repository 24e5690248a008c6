import type { Call, Message } from '@frontdesk/sdk-visitor';
import { format, type Strings } from '../locales/index.ts';

/** A line of the transcript about a call: it started, or it ended (how long, and why). */
export interface CallLine {
  key: string;
  at: number;
  text: string;
}

/** 75 000 → "1:15"; 3 725 000 → "1:02:05". */
export function durationText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Why a call ended, in the visitor's words. */
export function endReasonText(call: Call, t: Strings): string {
  switch (call.endReason) {
    case 'visitor_hung_up':
      return t.callReasonYouHungUp;
    case 'cancelled':
      return t.callReasonYouCancelled;
    case 'agent_hung_up':
      return t.callReasonAgentHungUp;
    case 'agent_hung_up_before_answer':
      return t.callReasonAgentCancelled;
    case 'visitor_refused':
      return t.callReasonYouDeclined;
    case 'visitor_busy':
      return t.callReasonBusy;
    case 'visitor_timeout':
      return t.callReasonMissed;
    case 'released_by_routing':
      return t.callReasonNobody;
    case 'peer_lost':
      return t.callReasonLost;
    case 'media_failure':
    case 'visitor_error':
    // An internal call's reasons (agent to agent): never a visitor's call.
    case 'callee_refused':
    case 'callee_busy':
    case 'callee_timeout':
    case 'callee_error':
    case 'callee_hung_up':
    case null:
      return t.callReasonFailed;
  }
}

export const kindText = (call: Pick<Call, 'kind'>, t: Strings) => (call.kind === 'video' ? t.callVideo : t.callAudio);

/** What the call screen and the transcript say of an ended call: "Video call ended (2:31): the agent hung up". */
export function endedText(call: Call, t: Strings): string {
  const kind = kindText(call, t);
  const reason = endReasonText(call, t);
  if (call.connectedAt === null) return format(t.callNotConnected, { kind, reason });
  return format(t.callEnded, { kind, reason, duration: durationText((call.endedAt ?? call.connectedAt) - call.connectedAt) });
}

/** The transcript's lines for calls: when each started (its media connected) and when it ended. */
export function callLines(calls: readonly Call[], t: Strings): CallLine[] {
  const lines: CallLine[] = [];
  for (const call of calls) {
    if (call.connectedAt !== null) lines.push({ key: `${call.id}:started`, at: call.connectedAt, text: format(t.callStarted, { kind: kindText(call, t) }) });
    if (call.phase === 'ended') lines.push({ key: `${call.id}:ended`, at: call.endedAt ?? call.createdAt, text: endedText(call, t) });
  }
  return lines.sort((a, b) => a.at - b.at);
}

/** A photo the agent took with the visitor's camera (`isTaken`), or asked for and could not get. */
export interface PhotoNotice {
  key: string;
  at: number;
  isTaken: boolean;
}

/** The transcript's lines for calls and for the photos taken during them, by time. */
export function transcriptLines(calls: readonly Call[], photos: readonly PhotoNotice[], t: Strings): CallLine[] {
  const notices = photos.map((p) => ({ key: p.key, at: p.at, text: p.isTaken ? t.callPhotoTaken : t.callPhotoFailed }));
  return [...callLines(calls, t), ...notices].sort((a, b) => a.at - b.at);
}

/** Messages (in seq order) with the call lines placed among them by time. */
export function interleave(messages: readonly Message[], lines: readonly CallLine[]): ({ message: Message } | { line: CallLine })[] {
  const out: ({ message: Message } | { line: CallLine })[] = [];
  let next = 0;
  for (const message of messages) {
    while (next < lines.length && lines[next]!.at < message.createdAt) out.push({ line: lines[next++]! });
    out.push({ message });
  }
  while (next < lines.length) out.push({ line: lines[next++]! });
  return out;
}
