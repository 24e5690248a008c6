import { usePanel } from '../App.tsx';

const SCREEN_ICON = (
  <svg viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
    <rect x="3" y="4" width="18" height="12" rx="2" />
    <path d="M8 20h8M12 16v4" />
  </svg>
);

/** The header button that starts a co-browse (the visitor's consent is the click itself). */
export function CobrowseButton() {
  const { t, model, view } = usePanel();
  const session = model.cobrowse.view.session;
  const isActive = session !== null && session.status !== 'ended';
  if (!view.ready || view.conversation?.status !== 'open' || view.channel?.cobrowse?.enabled === false || isActive) return null;
  return (
    <button type="button" class="icon" data-cobrowse="start" aria-label={t.cobrowseStart} title={t.cobrowseStart} onClick={model.cobrowse.start}>
      {SCREEN_ICON}
    </button>
  );
}

/**
 * What the visitor decides in a co-browse: an agent's proposal (allow or not), the agent's request
 * for control (allow or keep it), and while it is on, that it is on and how to stop it.
 */
export function CobrowseCard() {
  const { t, model } = usePanel();
  const cobrowse = model.cobrowse;
  const session = cobrowse.view.session;
  if (!session || session.status === 'ended') return null;
  if (session.status === 'proposed') {
    return <ConsentCard label={t.cobrowseStart} testId="cobrowse-consent" text={t.cobrowseProposal} allowLabel={t.cobrowseAccept} onAllow={cobrowse.accept} refuseLabel={t.cobrowseReject} onRefuse={cobrowse.reject} />;
  }
  if (session.status === 'control-requested') {
    return <ConsentCard label={t.cobrowseGrant} testId="cobrowse-control-request" text={t.cobrowseControlRequest} allowLabel={t.cobrowseGrant} onAllow={cobrowse.grantControl} refuseLabel={t.cobrowseDeny} onRefuse={cobrowse.denyControl} />;
  }
  const isControlled = session.status === 'control-granted';
  return (
    <p class="banner cobrowse-on" role="status" data-testid="cobrowse-on">
      <span>{isControlled ? t.cobrowseControlOn : t.cobrowseOn}</span>
      <button type="button" onClick={isControlled ? cobrowse.revokeControl : cobrowse.end}>
        {isControlled ? t.cobrowseStopControl : t.cobrowseEnd}
      </button>
    </p>
  );
}

/** One question to the visitor (a proposal, a request for control): allow it or not. */
function ConsentCard(props: { label: string; testId: string; text: string; allowLabel: string; onAllow: () => void; refuseLabel: string; onRefuse: () => void }) {
  return (
    <section class="cobrowse-card" role="alertdialog" aria-label={props.label} data-testid={props.testId}>
      <p>{props.text}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={props.onAllow}>
          {props.allowLabel}
        </button>
        <button type="button" onClick={props.onRefuse}>
          {props.refuseLabel}
        </button>
      </div>
    </section>
  );
}
