import type { SdkResult } from '@frontdesk/sdk-agent';
import { useRef, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { formatDuration, visitorLabel } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { useNow } from '../../../app/use-now.ts';
import { Button, Icon, useToast, type IconName } from '../../../ui/index.ts';
import { useCallsStore } from '../hooks/use-calls.ts';
import { inviteOutcome, partyKey, remoteParties, ringingInvitee } from '../state/call-parties.ts';
import { callStrings } from '../locales/index.ts';
import { callErrorText, endReasonText, inviteOutcomeText, peerName, peerOf } from '../state/call-labels.ts';
import { ownLeg, type CallEntry } from '../state/calls-store.ts';
import { supervisionNotices } from '../state/call-supervisors.ts';
import { useAgentDirectory } from '../../conversation/hooks/use-agent-names.ts';
import { TransferDialog } from '../../conversation/components/TransferDialog.tsx';
import { AddPartyDialog, type SentInvite } from './AddPartyDialog.tsx';
import { CallTiles } from './CallTiles.tsx';
import { DevicePicker, savedSpeaker } from './DevicePicker.tsx';
import { ScreenShareControls } from './ScreenShareControls.tsx';
import { playAll, StreamView } from './StreamView.tsx';

type Mode = 'calling' | 'connecting' | 'active' | 'held' | 'ended';

/**
 * The agent's call: every other party as a tile (the visitor's video, or initial for a voice call; with
 * a third party or more, a grid, each tile named), the agent's own picture in a corner, who and how
 * long, and the controls: microphone, camera, hold, transfer, consult, add participant (the invite's
 * ring and outcome shown), devices (microphone, camera, speaker), hang up (a third party leaves). An
 * ended call says why and how long it lasted, until closed.
 */
export function CallWindow({ entry, placement, canOpen, onOpen }: { entry: CallEntry; placement: 'floating' | 'pane'; canOpen: boolean; onOpen: (conversationId: string) => void }) {
  const client = useClient();
  const store = useCallsStore();
  const directory = useAgentDirectory();
  const toast = useToast();
  const s = callStrings();
  const ref = useRef<HTMLElement>(null);
  const [isSmall, setIsSmall] = useState(false);
  const [isDevicesOpen, setIsDevicesOpen] = useState(false);
  const [isTransferOpen, setIsTransferOpen] = useState(false);
  const [isConsultOpen, setIsConsultOpen] = useState(false);
  const [isAddOpen, setIsAddOpen] = useState(false);
  /** The last invite sent from this window: its ring, then how it ended, until the next one or closed. */
  const [sent, setSent] = useState<SentInvite | null>(null);
  const [isBlocked, setIsBlocked] = useState(false);
  const [speakerId, setSpeakerId] = useState(savedSpeaker);
  /** The last snapshot's or photo's outcome, shown in the window (a photo the visitor's browser cannot take says so). */
  const [capture, setCapture] = useState<{ tone: 'info' | 'danger'; text: string } | null>(null);
  const { call } = entry;
  const me = client.Agent.me()?.id ?? null;
  const myLeg = ownLeg(call, me);
  // The other party: the visitor, or the colleague of an internal call (the same window either way).
  const visitor = peerOf(call, me);
  const isVideo = call.kind === 'video';
  // An internal call (a colleague): no visitor to picture, transfer, consult about or ask for a screen.
  const isVisitorCall = call.direction !== 'internal';
  const mode: Mode =
    call.phase === 'ended' ? 'ended' : call.phase === 'held' ? 'held' : visitor?.leg === 'ringing' || visitor?.leg === 'invited' ? 'calling' : call.phase === 'active' ? 'active' : 'connecting';
  const isLive = mode !== 'ended';
  const now = useNow(1000, mode === 'active' || mode === 'held');
  const name = peerName(call, me, entry.nickname);
  const isMicMuted = myLeg?.micMuted ?? false;
  const isCameraOff = myLeg?.cameraOff ?? false;
  const parties = remoteParties(call, me);
  const isMain = call.mainAgentId === me;
  const firstStream = parties.map((p) => entry.remotes.get(partyKey({ role: p.role, id: p.userId }))).find((stream) => stream !== undefined) ?? null;
  const showsVideo = isVideo && isLive && firstStream !== null;
  /** A party's name on its tile: the call's visitor as the header names it, a colleague from the team, another visitor by its label. */
  const nameOf = (party: { role: 'agent' | 'visitor'; userId: string }) =>
    party.role === 'agent' ? (directory.get(party.userId) ?? s.roleAgent) : party.userId === call.visitorId ? name : visitorNameOf(party.userId);
  const visitorNameOf = (visitorId: string) => {
    const view = client.Chat.list().find((v) => v.conversation.visitorId === visitorId);
    return visitorLabel(visitorId, null, view?.conversation.visitorDetails?.name);
  };
  const ringing = isMain ? ringingInvitee(call) : undefined;
  const outcome = sent ? inviteOutcome(call, sent.seq) : undefined;
  const inviteNotice = ringing
    ? { state: 'ringing', text: format(s.inviteRinging, { name: sent && ringing.seq === sent.seq ? sent.name : nameOf(ringing) }) }
    : sent && outcome && outcome !== 'ringing'
      ? { state: outcome, text: inviteOutcomeText(outcome, sent.name, s) }
      : null;

  async function run(action: () => Promise<SdkResult<unknown>>) {
    const result = await action();
    if (result.status === 'error') toast({ message: callErrorText(result.errorCode, result.errorMsg, s), tone: 'danger' });
  }
  const sessionId = call.id;
  async function takeCapture(kind: 'snapshot' | 'photo') {
    setCapture(kind === 'photo' ? { tone: 'info', text: s.photoAsking } : null);
    const result = await (kind === 'snapshot' ? client.Call.snapshot({ sessionId }) : client.Call.takePhoto({ sessionId }));
    if (result.status === 'success') setCapture({ tone: 'info', text: kind === 'snapshot' ? s.snapshotSaved : s.photoSaved });
    else setCapture({ tone: 'danger', text: callErrorText(result.errorCode, result.errorMsg, s) });
  }
  /** What the call is doing now, in words (a consult shows instead of the duration). */
  function statusOf(): string {
    if (mode === 'calling') return format(s.calling, { name });
    if (mode === 'connecting') return s.connecting;
    if (mode === 'held') return s.onHold;
    if (mode === 'active' && call.consult) return call.consult.phase === 'three_way' ? s.threeWay : s.consulting;
    if (mode === 'active') return formatDuration((now - (call.connectedAt ?? now)) / 1000);
    const ended = call.connectedAt !== null ? format(s.endedAfter, { duration: formatDuration(((call.endedAt ?? now) - call.connectedAt) / 1000) }) : s.ended;
    return `${ended}: ${endReasonText(call, me, s)}`;
  }
  const status = statusOf();

  const control = (label: string, icon: IconName, onClick: () => void, options: { isPressed?: boolean; testId?: string } = {}) => (
    <Button className="wb-call__control" variant="secondary" aria-label={label} title={label} aria-pressed={options.isPressed} onClick={onClick} data-testid={options.testId}>
      <Icon name={icon} size="20px" />
    </Button>
  );

  return (
    <section
      ref={ref}
      className={`wb-call wb-call--${placement} wb-call--${call.kind} wb-call--${mode}${isSmall ? ' wb-call--small' : ''}`}
      aria-label={format(s.windowLabel, { name })}
      data-testid="call-window"
      data-call-id={call.id}
      data-call-mode={mode}
    >
      <header className="wb-call__header">
        <Icon name={isVideo ? 'video' : 'phone'} />
        <div className="wb-call__who">
          <strong>{name}</strong>
          <span className="wb-call__state" role={mode === 'ended' ? 'alert' : 'status'} data-testid="call-status">{status}</span>
        </div>
        {canOpen && placement === 'floating' && call.conversationId !== null && (
          <Button size="sm" variant="ghost" onClick={() => onOpen(call.conversationId!)}>{s.openConversation}</Button>
        )}
        {isLive && (
          <Button size="sm" variant="ghost" aria-label={isSmall ? s.expand : s.minimize} title={isSmall ? s.expand : s.minimize} onClick={() => setIsSmall(!isSmall)}>
            <Icon name={isSmall ? 'expand' : 'shrink'} />
          </Button>
        )}
      </header>
      {isLive && (
        <div className="wb-call__stage">
          <CallTiles
            parties={parties}
            remotes={entry.remotes}
            nameOf={nameOf}
            isVideo={isVideo}
            isRinging={mode === 'calling'}
            ringingName={name}
            speakerId={speakerId}
            onBlocked={setIsBlocked}
          />
          {isVideo && entry.local && !isCameraOff && <StreamView stream={entry.local} kind="video" isMuted className="wb-call__self" testId="call-self-video" />}
          {parties.length <= 1 && visitor?.micMuted && <span className="wb-call__flag">{s.visitorMuted}</span>}
          {isBlocked && (
            <button type="button" className="wb-call__play" onClick={() => (playAll(ref.current), setIsBlocked(false))}>{s.playMedia}</button>
          )}
        </div>
      )}
      {entry.mediaError && isLive && (
        <p className="wb-call__error" role="alert">{callErrorText(entry.mediaError.code, entry.mediaError.message, s)}</p>
      )}
      {inviteNotice && isLive && (
        <p className={`wb-call__invite wb-call__invite--${inviteNotice.state}`} role="status" data-testid="call-invite" data-state={inviteNotice.state}>
          <span>{inviteNotice.text}</span>
          {inviteNotice.state !== 'ringing' && (
            <Button size="sm" variant="ghost" onClick={() => setSent(null)} aria-label={s.close} title={s.close}><Icon name="close" /></Button>
          )}
        </p>
      )}
      {capture && isLive && (
        <p className={capture.tone === 'danger' ? 'wb-call__error' : 'wb-call__note'} role={capture.tone === 'danger' ? 'alert' : 'status'} data-testid="call-capture-notice">{capture.text}</p>
      )}
      {isLive &&
        supervisionNotices(entry.supervisors, (id) => directory.get(id), s).map((notice) => (
          <p key={notice.supervisorId} className={`wb-call__supervisor wb-call__supervisor--${notice.mode}`} role="status" data-testid="call-supervisor" data-mode={notice.mode}>
            <Icon name={notice.mode === 'whisper' ? 'mic' : 'phone'} /> {notice.text}
          </p>
        ))}
      {isLive && isVisitorCall && <ScreenShareControls sessionId={sessionId} canShare={mode === 'active'} />}
      {isDevicesOpen && isLive && <DevicePicker isVideo={isVideo} speakerId={speakerId} onSpeaker={setSpeakerId} />}
      <div className="wb-call__controls">
        {isLive ? (
          <>
            {control(isMicMuted ? s.unmute : s.mute, isMicMuted ? 'micOff' : 'mic', () => void run(() => (isMicMuted ? client.Call.unmuteMic({ sessionId }) : client.Call.muteMic({ sessionId }))), { isPressed: isMicMuted, testId: 'call-mute' })}
            {isVideo && control(isCameraOff ? s.cameraOn : s.cameraOff, isCameraOff ? 'videoOff' : 'video', () => void run(() => (isCameraOff ? client.Video.unmuteVideo({ sessionId }) : client.Video.muteVideo({ sessionId }))), { isPressed: isCameraOff, testId: 'call-camera' })}
            {(mode === 'active' || mode === 'held') && (isMain || !isVisitorCall) &&
              control(mode === 'held' ? s.unhold : s.hold, mode === 'held' ? 'play' : 'pause', () => void run(() => (mode === 'held' ? client.Call.unHold({ sessionId }) : client.Call.hold({ sessionId }))), { isPressed: mode === 'held', testId: 'call-hold' })}
            {isVisitorCall && isVideo && mode === 'active' && showsVideo && control(s.snapshot, 'camera', () => void takeCapture('snapshot'), { testId: 'call-snapshot' })}
            {isVisitorCall && isVideo && mode === 'active' && control(s.takePhoto, 'image', () => void takeCapture('photo'), { testId: 'call-take-photo' })}
            {isVisitorCall && mode === 'active' && call.mainAgentId === me && !call.consult && control(s.transfer, 'forward', () => setIsTransferOpen(true), { testId: 'call-transfer' })}
            {isVisitorCall && mode === 'active' && call.mainAgentId === me && !call.consult && control(s.consult, 'chat', () => setIsConsultOpen(true), { testId: 'call-consult' })}
            {isVisitorCall && mode === 'active' && isMain && !call.consult && control(s.addParticipant, 'userPlus', () => setIsAddOpen(true), { testId: 'call-add-party' })}
            {mode === 'active' && call.mainAgentId === me && call.consult?.phase === 'talking' && (
              <Button size="sm" onClick={() => void run(() => client.Call.completeConsult({ sessionId }))} data-testid="call-consult-complete">{s.completeConsult}</Button>
            )}
            {mode === 'active' && call.mainAgentId === me && call.consult && call.consult.phase !== 'three_way' && (
              <Button size="sm" variant="secondary" onClick={() => void run(() => client.Call.cancelConsult({ sessionId }))} data-testid="call-consult-cancel">{s.cancelConsult}</Button>
            )}
            {control(s.devices, 'sliders', () => setIsDevicesOpen(!isDevicesOpen), { isPressed: isDevicesOpen, testId: 'call-devices' })}
            <Button variant="danger" className="wb-call__hangup" onClick={() => void run(() => client.Call.hungUp({ sessionId }))} data-testid="call-hang-up">
              <Icon name="phone" size="18px" /> {mode === 'calling' ? s.cancel : isVisitorCall && !isMain ? s.leaveCall : s.hangUp}
            </Button>
          </>
        ) : (
          <Button onClick={() => store.dismiss(call.id)} data-testid="call-close">{s.close}</Button>
        )}
      </div>
      <TransferDialog sessionId={call.id} subject="call" isOpen={isTransferOpen} onClose={() => setIsTransferOpen(false)} onTransferred={() => setIsTransferOpen(false)} />
      {isVisitorCall && isMain && <AddPartyDialog call={call} isOpen={isAddOpen} onClose={() => setIsAddOpen(false)} onInvited={setSent} />}
      <TransferDialog sessionId={call.id} subject="consult" isOpen={isConsultOpen} onClose={() => setIsConsultOpen(false)} onTransferred={() => setIsConsultOpen(false)} />
    </section>
  );
}
