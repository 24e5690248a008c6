import type { VisitorClient } from '@frontdesk/sdk-visitor';
import { useEffect, useState } from 'preact/hooks';
import type { ScreenShareStrings } from '../../locales/calls/screen-share.ts';
import { StreamMedia } from './MediaView.tsx';

/**
 * Screen share in the widget's call screen: the consent card when the agent asks to see the screen
 * ("Share my screen" opens the browser's picker; "Not now" tells the agent), the "you are sharing"
 * bar with Stop while the visitor shares, and the agent's shared screen when the agent shares.
 * NOTE: nothing is shared without the visitor's click on Share and its choice in the browser's picker.
 */
export function ScreenShareCard({ client, callId, st }: { client: VisitorClient; callId: string; st: ScreenShareStrings }) {
  const [isInvited, setInvited] = useState(false);
  const [own, setOwn] = useState<MediaStream | null>(null);
  const [agentScreen, setAgentScreen] = useState<MediaStream | null>(null);
  const [hasFailed, setFailed] = useState(false);

  useEffect(() => {
    const offs = [
      client.on('screenShare', (e) => e.callId === callId && e.event === 'invited' && (setInvited(true), setFailed(false))),
      client.on('localScreen', (e) => e.callId === callId && setOwn(e.stream)),
      client.on('remoteScreen', (e) => e.callId === callId && e.party.role === 'agent' && setAgentScreen(e.stream)),
    ];
    return () => offs.forEach((off) => off());
  }, [client, callId]);

  const share = () => {
    setInvited(false);
    client.shareScreen(callId).catch((err: { code?: string }) => {
      // A cancelled picker is a "not now"; a browser that cannot share says so to the agent too.
      const isRefused = err?.code === 'FD_SDK_MEDIA_PERMISSION_DENIED';
      if (!isRefused) setFailed(true);
      void client.declineScreenShare({ callId, reason: isRefused ? 'refused' : 'unavailable' }).catch(() => {});
    });
  };
  const notNow = () => {
    setInvited(false);
    void client.declineScreenShare({ callId }).catch(() => {});
  };

  return (
    <>
      {agentScreen && <StreamMedia stream={agentScreen} kind="video" muted className="call-screen" />}
      {isInvited && !own && (
        <div class="call-share" role="alertdialog" aria-label={st.invite} data-screen-share="invite">
          <p>{st.invite}</p>
          <button type="button" class="chip primary" onClick={share}>
            {st.share}
          </button>
          <button type="button" class="chip" onClick={notNow}>
            {st.notNow}
          </button>
        </div>
      )}
      {own && (
        <div class="call-share" role="status" data-screen-share="sharing">
          <p>{st.sharing}</p>
          <button type="button" class="chip" onClick={() => void client.stopScreenShare(callId).catch(() => {})}>
            {st.stop}
          </button>
        </div>
      )}
      {hasFailed && !own && (
        <p class="call-trouble" role="alert">
          {st.failed}
        </p>
      )}
    </>
  );
}
