import type { ChannelPublicView } from '@frontdesk/protocol';

type Limits = ChannelPublicView['limits'];

/**
 * The largest file this client may send. NOTE: the server is the one source of the limit (its
 * `FRONTDESK_UPLOAD_MAX_BYTES`, published in the channel's public view); the embedder may lower it
 * (the `uploadMaxBytes` option), never raise it. A UI checks it before an upload so that a visitor
 * is not made to wait for megabytes to travel only to be refused; the server checks anyway.
 */
export class UploadLimit {
  private serverMaxBytes: number | null = null;

  constructor(
    /** The embedder's own limit, if any. */
    private readonly ownMaxBytes: number | undefined,
  ) {}

  /** Takes the server's limits from a channel public view. */
  learn(limits: Limits | undefined): void {
    if (limits && Number.isInteger(limits.uploadMaxBytes) && limits.uploadMaxBytes > 0) this.serverMaxBytes = limits.uploadMaxBytes;
  }

  /** The smaller of the server's (once known) and the embedder's; null when neither is known. */
  get maxBytes(): number | null {
    const own = this.ownMaxBytes !== undefined && this.ownMaxBytes > 0 ? Math.floor(this.ownMaxBytes) : null;
    if (this.serverMaxBytes === null) return own;
    return own === null ? this.serverMaxBytes : Math.min(own, this.serverMaxBytes);
  }
}
