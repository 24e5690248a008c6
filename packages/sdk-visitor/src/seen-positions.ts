/** What to do with a message that arrived: show it, drop it (a repeat), or ask again from `resumeFrom` (a gap). */
export type Arrival = { deliver: true } | { deliver: false; resumeFrom?: number };

/**
 * Exactly-once display: per conversation, the newest seq delivered to the embedder (by events or
 * history), contiguous. A repeated seq is dropped (a resume overlaps what was seen); a gap asks the
 * server to send again from the last seq seen, once at a time per conversation.
 */
export class SeenPositions {
  private readonly positions = new Map<string, number>();
  private readonly resyncing = new Set<string>();

  /** conversationId → newest seq delivered: the hello's `resume`. */
  resume(): Record<string, number> {
    return Object.fromEntries(this.positions);
  }

  /** Starts following a conversation after `seq`, unless it is followed already; true when it was not. */
  follow(conversationId: string, seq: number): boolean {
    if (this.positions.has(conversationId)) return false;
    this.positions.set(conversationId, seq);
    return true;
  }

  /** A history page after `afterSeq` up to `lastSeq` counts as delivered when it continues what was seen. */
  historyRead(conversationId: string, afterSeq: number, lastSeq: number): void {
    const position = this.positions.get(conversationId);
    if (position !== undefined && afterSeq <= position && lastSeq > position) this.positions.set(conversationId, lastSeq);
  }

  /** Decides about a message that arrived, and moves the position when it is delivered. */
  arrived(conversationId: string, seq: number): Arrival {
    const position = this.positions.get(conversationId) ?? 0;
    if (!this.positions.has(conversationId)) this.positions.set(conversationId, 0);
    if (seq <= position) return { deliver: false };
    if (seq > position + 1) {
      if (this.resyncing.has(conversationId)) return { deliver: false };
      this.resyncing.add(conversationId);
      return { deliver: false, resumeFrom: position };
    }
    this.positions.set(conversationId, seq);
    return { deliver: true };
  }

  /** The resume asked for by a gap was answered (or failed): a later gap may ask again. */
  resumed(conversationId: string): void {
    this.resyncing.delete(conversationId);
  }
}
