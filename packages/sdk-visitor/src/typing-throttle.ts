/**
 * The visitor's typing indicator on the wire: at most one `typing: true` frame per `throttleMs`,
 * and a `typing: false` by itself after two intervals without a keystroke (or at once on `stop`),
 * sent only if a `true` went out.
 */
export class TypingThrottle {
  private sentAt = 0;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly throttleMs: number,
    /** The open conversation, if any. */
    private readonly conversationId: () => string | null,
    /** Writes the frame if connected; false when it could not. */
    private readonly notify: (frame: { type: 'typing'; conversationId: string; isTyping: boolean; draft?: string | undefined }) => boolean,
  ) {}

  /** `draft`: the text so far, for a channel with typing preview (it goes with the throttled frames). */
  typing(draft?: string): void {
    const conversationId = this.conversationId();
    if (!conversationId) return;
    const now = Date.now();
    if (now - this.sentAt >= this.throttleMs && this.notify({ type: 'typing', conversationId, isTyping: true, draft })) this.sentAt = now;
    clearTimeout(this.stopTimer);
    this.stopTimer = setTimeout(() => this.stop(), this.throttleMs * 2);
  }

  stop(): void {
    clearTimeout(this.stopTimer);
    const conversationId = this.conversationId();
    if (this.sentAt === 0 || !conversationId) return;
    this.sentAt = 0;
    this.notify({ type: 'typing', conversationId, isTyping: false });
  }

  /** Forgets the timer (the client is closing); sends nothing. */
  cancel(): void {
    clearTimeout(this.stopTimer);
  }
}
