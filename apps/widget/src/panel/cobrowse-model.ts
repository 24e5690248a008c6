import type { CobrowseCommand, CobrowseSession, VisitorClient } from '@frontdesk/sdk-visitor';
import type { PrivacyRules } from '@frontdesk/cobrowse/capture';
import type { Strings } from '../locales/index.ts';
import type { CaptureHandle } from '../cobrowse/cobrowse-capture.ts';

/** While a co-browse is live, the next page of the site resumes it (the loader mounts the panel hidden). */
export const COBROWSE_RESUME_KEY = 'frontdesk.cobrowse';

export interface CobrowseView {
  session: CobrowseSession | null;
  /** The capture is running in this page. */
  isCapturing: boolean;
}

/** NOTE: the protocol's `isCobrowseLive`, repeated: the panel does not load the protocol's runtime (zod). */
const LIVE = new Set(['live', 'control-requested', 'control-granted']);

/**
 * The visitor's side of a co-browse (SPEC M32): the session as the server says it stands, and the
 * page's capture, loaded and started only once the visitor consented (a lazy chunk), stopped when
 * it ends. A reconnect of the socket sends a fresh snapshot, never the rest of a broken one.
 */
export class CobrowseModel {
  view: CobrowseView = { session: null, isCapturing: false };
  #capture: Promise<CaptureHandle | null> | null = null;
  #unsubscribes: (() => void)[] = [];

  constructor(
    private readonly deps: {
      client: () => VisitorClient;
      conversationId: () => string | null;
      strings: () => Strings;
      rules: () => { rules: PrivacyRules; pausedPages: readonly string[] };
      changed: () => void;
      /** An agent proposes a co-browse or asks for control while the panel is hidden. */
      attention: () => void;
    },
  ) {}

  attach(client: VisitorClient): (() => void)[] {
    this.#unsubscribes = [
      client.on('cobrowse', (frame) => {
        if (frame.type === 'cobrowse') return this.onSession(frame.session);
        if (frame.sessionId !== this.view.session?.id) return;
        void this.#capture?.then((c) => (frame.type === 'cobrowse.input' ? c?.apply(frame.input) : c?.requestSnapshot()));
      }),
      client.on('state', ({ state, previous }) => state === 'open' && previous === 'reconnecting' && void this.#capture?.then((c) => c?.requestSnapshot())),
    ];
    return this.#unsubscribes;
  }

  /** After connecting: a session live before this page loaded continues here. */
  async resume(conversationId: string): Promise<void> {
    const sessions = await this.deps.client().cobrowse({ type: 'cobrowse.list', conversationId }).catch(() => []);
    const active = sessions.find((s) => s.status !== 'ended');
    if (active) this.onSession(active);
    else forgetResume();
  }

  start = () => this.#act(() => ({ type: 'cobrowse.start', conversationId: this.deps.conversationId() ?? '' }));
  accept = () => this.#act((sessionId) => ({ type: 'cobrowse.consent', sessionId, accept: true }));
  reject = () => this.#act((sessionId) => ({ type: 'cobrowse.consent', sessionId, accept: false }));
  end = () => this.#act((sessionId) => ({ type: 'cobrowse.end', sessionId }));
  grantControl = () => this.#act((sessionId) => ({ type: 'cobrowse.control', sessionId, action: 'grant' }));
  denyControl = () => this.#act((sessionId) => ({ type: 'cobrowse.control', sessionId, action: 'deny' }));
  revokeControl = () => this.#act((sessionId) => ({ type: 'cobrowse.control', sessionId, action: 'revoke' }));

  onSession(session: CobrowseSession): void {
    const current = this.view.session;
    if (current && current.id !== session.id && current.status !== 'ended' && session.createdAt < current.createdAt) return;
    const wasWaiting = current?.id === session.id ? current.status : null;
    this.view = { ...this.view, session };
    if ((session.status === 'proposed' && wasWaiting !== 'proposed') || (session.status === 'control-requested' && wasWaiting !== 'control-requested')) this.deps.attention();
    if (LIVE.has(session.status)) this.#ensureCapture(session);
    else this.#stopCapture();
    void this.#capture?.then((c) => c?.setControl(session.status === 'control-granted'));
    this.deps.changed();
  }

  destroy(): void {
    for (const off of this.#unsubscribes.splice(0)) off();
    this.#stopCapture();
  }

  #act(command: (sessionId: string) => Exclude<CobrowseCommand, { type: 'cobrowse.list' }>): void {
    this.deps.client().cobrowse(command(this.view.session?.id ?? '')).then(
      (session) => this.onSession(session),
      () => {},
    );
  }

  #ensureCapture(session: CobrowseSession): void {
    if (this.#capture) return;
    try {
      sessionStorage.setItem(COBROWSE_RESUME_KEY, session.id);
    } catch {
      // Storage refused (private mode): the co-browse ends with this page instead of following the visitor.
    }
    const t = this.deps.strings();
    const { rules, pausedPages } = this.deps.rules();
    this.#capture = import('../cobrowse/cobrowse-capture.ts').then(
      ({ startCapture }) =>
        startCapture({
          sessionId: session.id,
          send: (frame) => this.deps.client().cobrowseSend({ ...frame, type: 'cobrowse.data' }),
          rules,
          pausedPages,
          labels: { on: t.cobrowseOn, controlOn: t.cobrowseControlOn, end: t.cobrowseEnd, stopControl: t.cobrowseStopControl },
          end: this.end,
          revokeControl: this.revokeControl,
        }),
      (err) => {
        console.error('[frontdesk] the co-browse capture failed to load', err);
        return null;
      },
    );
    this.view = { ...this.view, isCapturing: true };
  }

  #stopCapture(): void {
    const capture = this.#capture;
    this.#capture = null;
    if (this.view.session?.status === 'ended' || !this.view.session) forgetResume();
    if (!capture) return;
    this.view = { ...this.view, isCapturing: false };
    void capture.then((c) => c?.stop());
  }
}

function forgetResume(): void {
  try {
    sessionStorage.removeItem(COBROWSE_RESUME_KEY);
  } catch {
    // Nothing stored.
  }
}
