import type { HttpClient } from './http.ts';
import type { ClientStore, StoredVisitorToken } from './store.ts';
import { VisitorSdkError, type VisitorClientOptions } from './types.ts';

/** A visitor token this close to its expiry is renewed before use. */
const TOKEN_RENEW_MARGIN_MS = 60_000;

/**
 * The visitor token: `POST /v1/visitor/session` with the page's identity and the stored token
 * (so the same visitor comes back), renewed before it expires or when the server refuses it.
 */
export class VisitorToken {
  private current: StoredVisitorToken | undefined;
  private pending: Promise<StoredVisitorToken> | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly store: ClientStore,
    private readonly options: Pick<VisitorClientOptions, 'appId' | 'channelId' | 'name' | 'identity'>,
  ) {
    this.current = store.loadToken();
  }

  get visitorId(): string | null {
    return this.current?.visitorId ?? null;
  }

  /** A usable token; `renew` asks for a new one even if the one held looks valid. */
  get(renew = false): Promise<StoredVisitorToken> {
    if (!renew && this.current && this.current.expiresAt - Date.now() > TOKEN_RENEW_MARGIN_MS) return Promise.resolve(this.current);
    const { appId, channelId, name, identity } = this.options;
    this.pending ??= this.http
      .request<{ token: string; expiresAt: number; visitor: { id: string } }>({
        method: 'POST',
        path: '/v1/visitor/session',
        body: {
          appId,
          ...(channelId ? { channelId } : {}),
          ...(name ? { name } : {}),
          ...(identity !== undefined ? { identity } : {}),
          ...(this.current ? { token: this.current.token } : {}),
        },
      })
      .then((reply) => {
        this.current = { token: reply.token, expiresAt: reply.expiresAt, visitorId: reply.visitor.id };
        this.store.saveToken(this.current);
        return this.current;
      })
      .finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Runs a REST call with the token; a refused token is renewed once. */
  async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    const held = await this.get();
    try {
      return await call(held.token);
    } catch (err) {
      if (!(err instanceof VisitorSdkError) || err.code !== 'FD_AUTH_TOKEN_INVALID') throw err;
      return call((await this.get(true)).token);
    }
  }
}
