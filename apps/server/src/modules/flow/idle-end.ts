import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Channel } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import type { Logger } from '../../platform/logger.ts';

const IDLE_SWEEP_MS = 30_000;
const IDLE_SWEEP_PAGE = 500;

/** An open conversation silent since `lastActivityAt`. */
export interface IdleCandidate {
  appId: string;
  id: string;
  channelId: string | null;
  isWithBot: boolean;
  lastActivityAt: number;
}

/**
 * Idle end (SPEC M11): every 30 s of clock time, conversations silent for their channel's idle time
 * end with the channel's end text (the bot's timeout reply while the bot has them). The sweep walks
 * every candidate (silent for at least the shortest idle time of a channel with idle end on) a page
 * at a time, a page per turn of the event loop, reading each channel once per sweep.
 * NOTE: it read from 1 minute (the shortest idle time one can set) in one turn: in the loaded bench
 * server (19,509 open conversations, idle end at the default 20 minutes, none to end), 40 pages and
 * stalls of 88–104 ms every 30 s in which no message moved.
 */
export function createIdleEnd(deps: {
  clock: Clock;
  log: Logger;
  getChannel: (appId: string, channelId: string) => Promise<Channel>;
  /** The shortest idle time of a channel with idle end on (minutes); undefined: no channel has it on. */
  shortestIdleEndMinutes: () => Promise<number | undefined>;
  /** Candidates the longest silent first, a page after `after` (the last of the page before). */
  idleConversations: (beforeMs: number, after: IdleCandidate | undefined, limit: number) => Promise<IdleCandidate[]>;
  /** Ends the conversation with `notice` unless its visitor wrote since `idleSinceMs`. */
  endIfIdle: (candidate: IdleCandidate, idleSinceMs: number, notice: { senderType: 'bot' | 'system'; text: string }) => Promise<void>;
}) {
  const { clock, log } = deps;
  let cancelSweep: (() => void) | undefined;
  let closed = false;

  async function sweep(): Promise<void> {
    const now = clock.now();
    const shortestMinutes = await deps.shortestIdleEndMinutes();
    if (shortestMinutes === undefined) return;
    const channelsSeen = new Map<string, Promise<Channel | undefined>>();
    const channelOf = (appId: string, channelId: string) => {
      const key = `${appId} ${channelId}`;
      if (!channelsSeen.has(key)) channelsSeen.set(key, deps.getChannel(appId, channelId).catch(() => undefined));
      return channelsSeen.get(key)!;
    };
    for (let after: IdleCandidate | undefined; ; ) {
      const page = await deps.idleConversations(now - shortestMinutes * 60_000, after, IDLE_SWEEP_PAGE);
      for (const candidate of page) {
        const channel = candidate.channelId ? await channelOf(candidate.appId, candidate.channelId) : undefined;
        if (!channel?.idleEnd.enabled) continue;
        const idleSinceMs = now - channel.idleEnd.minutes * 60_000;
        if (candidate.lastActivityAt >= idleSinceMs) continue;
        const notice = candidate.isWithBot ? { senderType: 'bot' as const, text: channel.bot.timeoutReply } : { senderType: 'system' as const, text: channel.idleEnd.text };
        await deps.endIfIdle(candidate, idleSinceMs, notice);
      }
      if (page.length < IDLE_SWEEP_PAGE) return;
      after = page.at(-1)!;
      // SQLite reads a page within the turn: let sends and timers run between two.
      await nextTurn();
    }
  }

  function loop(): void {
    if (closed) return;
    cancelSweep = clock.at(clock.now() + IDLE_SWEEP_MS, () => {
      sweep()
        .catch((err) => log.warn({ err }, 'idle sweep failed'))
        .finally(loop);
    });
  }

  return {
    start: loop,
    close(): void {
      closed = true;
      cancelSweep?.();
    },
  };
}
