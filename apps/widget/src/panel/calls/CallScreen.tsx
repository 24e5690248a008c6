import type { Call } from '@frontdesk/sdk-visitor';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CALL_STRINGS } from '../../locales/calls/index.ts';
import { format } from '../../locales/index.ts';
import { adoptStyles } from '../../shadow-styles.ts';
import { usePanel } from '../App.tsx';
import { ownLeg, type CallStage } from '../call-model.ts';
import { isInvitedGuest, partyKey, remoteParties } from '../call-parties.ts';
import { durationText, endedText, kindText } from '../call-transcript.ts';
import { useCallView } from '../use-call-view.ts';
import { callErrorText, isRetryable } from './call-errors.ts';
import { ICONS } from './call-icons.tsx';
import { startRinging, stopRinging } from './call-ringtone.ts';
import { CALL_CSS } from './call-styles.ts';
import { DeviceMenu } from './DeviceMenu.tsx';
import { SCREEN_SHARE_STRINGS } from '../../locales/calls/screen-share.ts';
import { ScreenShareCard } from './ScreenShareCard.tsx';
import { playAll, StreamMedia } from './MediaView.tsx';
import { PartyGrid } from './PartyGrid.tsx';

/** What the screen is showing, from the call model's stage and the visitor's own leg. */
type Mode = 'preparing' | 'error' | 'outgoing' | 'incoming' | 'connecting' | 'active' | 'held' | 'ended';

function modeOf(stage: CallStage, visitorId: string | null): Mode {
  if (stage.name === 'preparing' || stage.name === 'error') return stage.name;
  if (stage.name !== 'call') return 'ended';
  const { call } = stage;
  const leg = ownLeg(call, visitorId)?.leg;
  if (call.phase === 'ended') return 'ended';
  if (leg === 'ringing') return 'incoming';
  // NOTE: answered, then no agent holds it: the agent transferred the call; the visitor waits on hold, not ringing.
  if (call.acceptedAt !== null && call.mainAgentId === null) return 'held';
  // The agent consults a colleague: the visitor is on hold, hearing nobody.
  if (call.consult != null && call.consult.phase !== 'three_way') return 'held';
  if (call.phase === 'requested' || call.phase === 'queued' || call.phase === 'ringing') return 'outgoing';
  if (call.phase === 'held') return 'held';
  if (call.phase === 'connecting' || leg === 'connecting') return 'connecting';
  return 'active';
}

const agentOf = (call: Call) => call.participants.find((p) => p.role === 'agent' && p.userId === call.mainAgentId) ?? call.participants.find((p) => p.role === 'agent' && p.leg !== 'left');

const styled = new WeakSet<Node>();

/**
 * The call screen, under the panel's header (a chunk of its own, loaded with the first call): the
 * camera and microphone opening, the call ringing either way (cancel; accept or decline), the call
 * (the agent's video, or their initial for a voice call, the visitor's own picture, mute, camera,
 * devices, full screen, hang up), and how it ended or why it could not start. On a phone it fills
 * the panel, with the chat a tap away.
 */
export function CallScreen() {
  const { t, options, model, view } = usePanel();
  const ct = CALL_STRINGS[options.locale];
  const calls = useCallView(model.calls);
  const { stage } = calls;
  const ref = useRef<HTMLElement>(null);
  const [now, setNow] = useState(Date.now());
  const [isDevicesOpen, setDevicesOpen] = useState(false);
  const [isBlocked, setBlocked] = useState(false);
  const [isChatShown, setChatShown] = useState(false);
  const [isFullScreen, setFullScreen] = useState(false);
  const mode = modeOf(stage, model.calls.visitorId);
  const call = stage.name === 'call' ? stage.call : null;
  const kind = call?.kind ?? (stage.name === 'preparing' || stage.name === 'error' ? stage.kind : null) ?? 'audio';
  const agent = call ? agentOf(call) : undefined;
  const agentName = (agent && view.agents[agent.userId]?.name) || t.agent;
  const isLive = mode === 'active' || mode === 'held' || mode === 'connecting';
  const { micMuted, cameraOff } = model.calls.flags();
  const visitorId = model.calls.visitorId;
  // The agent invited others: every other party is a tile of a grid (one alone keeps the whole stage).
  const parties = call && isLive ? remoteParties(call, visitorId) : [];
  const isGrid = parties.length > 1;
  const isGuest = call !== null && isInvitedGuest(call, visitorId);
  const partyName = (party: { role: 'agent' | 'visitor'; userId: string }) => (party.role === 'agent' ? view.agents[party.userId]?.name || t.agent : ct.roleGuest);

  useEffect(() => {
    const root = ref.current?.getRootNode();
    if (root && !styled.has(root) && root instanceof ShadowRoot) {
      styled.add(root);
      adoptStyles(root, CALL_CSS);
    }
  }, []);
  useEffect(() => {
    if (call && agent && call.conversationId !== null) model.learnAgents(call.conversationId, [agent.userId, ...parties.filter((p) => p.role === 'agent').map((p) => p.userId)]);
  }, [call?.id, agent?.userId, parties.length]);
  useEffect(() => {
    if (mode !== 'active' && mode !== 'held') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [mode]);
  useEffect(() => {
    if (mode !== 'incoming') return;
    startRinging();
    return stopRinging;
  }, [mode]);
  useEffect(() => {
    const root = ref.current?.getRootNode() as ShadowRoot | undefined;
    const onChange = () => setFullScreen(!!root?.fullscreenElement);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  useEffect(() => {
    if (!isLive && isFullScreen) void document.exitFullscreen?.().catch(() => {});
  }, [isLive]);

  const canFullScreen = isLive && kind === 'video' && typeof document !== 'undefined' && document.fullscreenEnabled === true;
  const toggleFullScreen = () => (isFullScreen ? void document.exitFullscreen().catch(() => {}) : void ref.current?.requestFullscreen().catch(() => {}));
  const remoteCameraOff = agent?.cameraOff === true;
  const agentStream = agent ? (calls.remotes.get(partyKey({ role: 'agent', id: agent.userId })) ?? null) : null;
  // NOTE: one party alone: the agent's stream, else any (the agent left the picture to whom it invited).
  const soloStream = agentStream ?? [...calls.remotes.values()][0] ?? null;
  const showsVideo = kind === 'video' && isLive && !isGrid && soloStream !== null && !remoteCameraOff;

  let status: string;
  switch (mode) {
    case 'preparing':
      status = kind === 'video' ? ct.preparingVideo : ct.preparingAudio;
      break;
    case 'error':
      status = callErrorText(stage.name === 'error' ? stage.code : '', kind, ct);
      break;
    case 'outgoing':
      status = call?.phase === 'queued' ? ct.waiting : ct.calling;
      break;
    case 'incoming':
      status = isGuest ? format(ct.invitedBy, { name: agentName }) : format(ct.incoming, { name: agentName });
      break;
    case 'connecting':
      status = ct.connecting;
      break;
    case 'held':
      status = call?.mainAgentId === null ? ct.transferring : ct.onHold;
      break;
    case 'active':
      status = format(ct.duration, { duration: durationText(now - (call?.connectedAt ?? now)) });
      break;
    case 'ended':
      status = call ? endedText(call, t) : ct.ended;
      break;
  }

  const button = (label: string, icon: preact.JSX.Element, onClick: () => void, tone = '', pressed?: boolean) => (
    <button type="button" class={`call-btn ${tone}`} aria-label={label} title={label} aria-pressed={pressed} onClick={onClick}>
      {icon}
    </button>
  );

  return (
    <section
      ref={ref}
      class={`call ${kind} mode-${mode}${isChatShown ? ' compact' : ''}${isFullScreen ? ' full' : ''}`}
      role="region"
      aria-label={ct.callLabel}
      data-call-mode={mode}
    >
      <div class="call-stage">
        {isGrid ? (
          <PartyGrid parties={parties} remotes={calls.remotes} nameOf={partyName} roleOf={(p) => (p.role === 'agent' ? ct.roleAgent : ct.roleGuest)} isVideo={kind === 'video'} label={ct.participants} mutedText={ct.remoteMuted} onBlocked={setBlocked} />
        ) : showsVideo ? (
          <StreamMedia stream={soloStream} kind="video" className="remote" onBlocked={setBlocked} />
        ) : (
          <div class={`call-face${mode === 'incoming' || mode === 'outgoing' || mode === 'preparing' ? ' ringing' : ''}`}>
            <span class="call-avatar" aria-hidden="true">
              {Array.from(agentName.trim())[0]?.toUpperCase() ?? '?'}
            </span>
            <span class="call-name">{mode === 'incoming' || isLive || mode === 'ended' ? agentName : kindText({ kind }, t)}</span>
            {isLive && remoteCameraOff && kind === 'video' && <span class="call-flag">{ct.remoteCameraOff}</span>}
          </div>
        )}
        {/* A voice call (or a video call whose picture is off) still plays the agent's sound. */}
        {isLive && !isGrid && !showsVideo && <StreamMedia stream={soloStream} kind="audio" className="remote" onBlocked={setBlocked} />}
        {kind === 'video' && isLive && calls.local && !cameraOff && <StreamMedia stream={calls.local} kind="video" muted className="self" />}
        {isLive && !isGrid && agent?.micMuted && <span class="call-flag muted">{ct.remoteMuted}</span>}
        <p class="call-status" role={mode === 'error' || mode === 'ended' ? 'alert' : 'status'}>
          {mode === 'incoming' && <strong>{isGuest ? (kind === 'video' ? ct.invitedVideo : ct.invitedAudio) : kindText({ kind }, t)} · </strong>}
          {status}
        </p>
        {isBlocked && isLive && (
          <button type="button" class="call-play" onClick={() => (playAll(ref.current), setBlocked(false))}>
            {ct.playMedia}
          </button>
        )}
      </div>
      {calls.mediaError && isLive && (
        <p class="call-trouble" role="alert">
          {callErrorText(calls.mediaError, kind, ct)}
        </p>
      )}
      {isLive && call && model.calls.sdk && <ScreenShareCard client={model.calls.sdk} callId={call.id} st={SCREEN_SHARE_STRINGS[options.locale]} />}
      {isDevicesOpen && isLive && <DeviceMenu calls={model.calls} ct={ct} isVideo={kind === 'video'} onClose={() => setDevicesOpen(false)} />}
      <div class="call-controls">
        {mode === 'incoming' && (
          <>
            {button(ct.decline, ICONS.hangUp, () => void model.calls.refuse(), 'danger')}
            {button(ct.accept, kind === 'video' ? ICONS.camera : ICONS.accept, () => void model.calls.accept(), 'success')}
          </>
        )}
        {(isLive || mode === 'outgoing') && button(micMuted ? ct.unmute : ct.mute, micMuted ? ICONS.micOff : ICONS.mic, () => void model.calls.setMicMuted(!micMuted), micMuted ? 'off' : '', micMuted)}
        {isLive && kind === 'video' && button(cameraOff ? ct.cameraOn : ct.cameraOff, cameraOff ? ICONS.cameraOff : ICONS.camera, () => void model.calls.setCameraOff(!cameraOff), cameraOff ? 'off' : '', cameraOff)}
        {isLive && button(ct.devices, ICONS.devices, () => setDevicesOpen(!isDevicesOpen), '', isDevicesOpen)}
        {canFullScreen && button(isFullScreen ? ct.exitFullScreen : ct.fullScreen, isFullScreen ? ICONS.exitFullScreen : ICONS.fullScreen, toggleFullScreen)}
        {isLive && !isFullScreen && <span class="phone-only">{button(isChatShown ? ct.showCall : ct.showChat, isChatShown ? ICONS.call : ICONS.chat, () => setChatShown(!isChatShown), '', isChatShown)}</span>}
        {(isLive || mode === 'outgoing' || mode === 'preparing') && button(isLive ? ct.hangUp : ct.cancel, ICONS.hangUp, () => void model.calls.hangUp(), 'danger')}
        {mode === 'error' && stage.name === 'error' && isRetryable(stage.code) && (
          <button type="button" class="chip primary" onClick={() => void model.calls.start(kind)}>
            {ct.tryAgain}
          </button>
        )}
        {(mode === 'ended' || mode === 'error') && (
          <button type="button" class="chip" onClick={() => model.calls.dismiss()}>
            {ct.close}
          </button>
        )}
      </div>
    </section>
  );
}
