/**
 * A per-channel pace of sends on this node (a provider's per-number throughput: WhatsApp 80/s):
 * each send takes the next slot of its channel, `1000 / rate` ms after the previous one.
 *
 * NOTE: real time, not the injected clock: it paces network calls. With several nodes each keeps
 * its own pace; the provider's rate-limit answers (130429) are retried with backoff on top.
 */
export function createSendThrottle() {
  const nextSlotAt = new Map<string, number>();
  return {
    /** Resolves when this channel may send again. */
    async take(channelId: string, perSecond: number): Promise<void> {
      const now = Date.now();
      const slot = Math.max(now, nextSlotAt.get(channelId) ?? 0);
      nextSlotAt.set(channelId, slot + 1000 / perSecond);
      if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
    },
  };
}

export type SendThrottle = ReturnType<typeof createSendThrottle>;
