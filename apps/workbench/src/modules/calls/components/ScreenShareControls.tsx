import { useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { Button } from '../../../ui/index.ts';
import { screenShareStrings } from '../locales/screen-share.ts';
import { StreamView } from './StreamView.tsx';

type Notice = 'invited' | 'declined' | 'closed' | 'failed' | null;

/**
 * Screen share in the agent's call window: the visitor's shared screen (a second video, apart from
 * the camera), "Ask for screen" (Easemob inviteShare: the visitor's page asks for consent) and the
 * agent's own "Share my screen" / "Stop sharing", with a line saying what happened.
 */
export function ScreenShareControls({ sessionId, canShare }: { sessionId: string; canShare: boolean }) {
  const client = useClient();
  const s = screenShareStrings();
  const [visitorScreen, setVisitorScreen] = useState<MediaStream | null>(null);
  const [ownScreen, setOwnScreen] = useState<MediaStream | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  useEffect(() => {
    const offs = [
      client.on('remoteScreen', (e) => e.sessionId === sessionId && e.party.role === 'visitor' && setVisitorScreen(e.stream)),
      client.on('localScreen', (e) => e.sessionId === sessionId && setOwnScreen(e.stream)),
      client.on('screenShare', (e) => {
        if (e.sessionId !== sessionId || e.by.role !== 'visitor') return;
        if (e.event === 'open') setNotice(null);
        if (e.event === 'declined') setNotice('declined');
        if (e.event === 'close') setNotice('closed');
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, sessionId]);

  const invite = async () => {
    const result = await client.Call.inviteShare({ sessionId });
    setNotice(result.status === 'success' ? 'invited' : 'failed');
  };
  const toggleOwn = async () => {
    const result = ownScreen ? await client.Call.stopScreenShare({ sessionId }) : await client.Call.shareScreen({ sessionId });
    if (result.status === 'error' && result.errorCode !== 'FD_SDK_MEDIA_PERMISSION_DENIED') setNotice('failed');
  };
  const text = ownScreen ? s.sharing : notice ? s[notice] : null;

  return (
    <div className="wb-call__screen" data-testid="call-screen-share">
      {visitorScreen && <StreamView stream={visitorScreen} kind="video" isMuted className="wb-call__screen-video" testId="call-visitor-screen" />}
      {text && (
        <p className={notice === 'failed' || notice === 'declined' ? 'wb-call__error' : 'wb-call__note'} role="status" data-testid="call-screen-notice">
          {text}
        </p>
      )}
      {canShare && (
        <div className="wb-call__screen-actions">
          {!visitorScreen && (
            <Button size="sm" variant="secondary" title={s.invite} onClick={() => void invite()} data-testid="call-invite-share">
              {s.inviteShort}
            </Button>
          )}
          <Button size="sm" variant="secondary" aria-pressed={ownScreen !== null} onClick={() => void toggleOwn()} data-testid="call-share-screen">
            {ownScreen ? s.stop : s.share}
          </Button>
        </div>
      )}
    </div>
  );
}
