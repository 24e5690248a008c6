import type { Agent, Call } from '@frontdesk/protocol';
import { useRef, useState } from 'react';
import { Button } from '../../../ui/index.ts';
import { playAll, StreamView } from '../../calls/components/StreamView.tsx';
import type { CallSupervisionControls } from '../hooks/use-call-supervision.ts';
import { supervisionStrings } from '../locales/index.ts';
import { shortId } from '../state/format.ts';
import { SupervisionControls } from './SupervisionControls.tsx';

/**
 * The supervisor's view of the call it supervises (SPEC M28): each party's picture (a video call)
 * and sound, the modes (switched in place), the take-over and stop. What the supervisor hears is
 * what the server forwards to it: the visitor, the agent, and supervisors who speak.
 */
export function SupervisedCall({ call, agents, controls }: { call: Call | undefined; agents: readonly Agent[]; controls: CallSupervisionControls }) {
  const s = supervisionStrings();
  const { state } = controls;
  const root = useRef<HTMLElement | null>(null);
  const [isBlocked, setIsBlocked] = useState(false);
  if (state.callId === null) return null;
  const agentName = (id: string) => agents.find((a) => a.id === id)?.name ?? shortId(id);
  const label = (role: string, id: string) => (role === 'visitor' ? `${s.callVisitor} ${shortId(id)}` : agentName(id));
  const isVideo = call?.kind === 'video';
  const mainAgent = call?.mainAgentId ? agentName(call.mainAgentId) : '';
  return (
    <section className="fd-sup-call" aria-label={s.supervisedCall} ref={(el) => void (root.current = el)} data-testid="supervised-call">
      <header className="fd-sup-call-header">
        <h2>{s.supervisedCall}</h2>
        <span>{state.mode ? { monitor: s.monitorCall, whisper: s.whisperCall, barge: s.bargeCall }[state.mode] : s.callTakenOver}</span>
      </header>
      <div className="fd-sup-call-streams">
        {state.streams.length === 0 && <p className="fd-sup-muted">{s.connecting}</p>}
        {state.streams.map(({ party, stream }) => (
          <figure key={`${party.role}:${party.id}`} className="fd-sup-call-party" data-testid={`supervised-${party.role}`}>
            <StreamView stream={stream} kind={isVideo ? 'video' : 'audio'} className={isVideo ? 'fd-sup-call-video' : 'fd-sup-call-audio'} onBlocked={setIsBlocked} />
            <figcaption>{label(party.role, party.id)}</figcaption>
          </figure>
        ))}
      </div>
      {isBlocked && <Button size="sm" onClick={() => playAll(root.current)}>{s.clickToHear}</Button>}
      <div className="fd-sup-call-actions">
        {state.mode !== null && (
          <SupervisionControls mode={state.mode} agentName={mainAgent} canTakeOver takeOverText={{ title: s.takeOverCallTitle, body: s.takeOverCallBody }} onSwitch={(m) => void controls.setMode(state.callId!, m)} onTakeOver={() => controls.takeOver()} />
        )}
        <Button size="sm" onClick={() => void controls.stop()} data-testid="stop-supervising">{state.mode ? s.stopCall : s.leaveCall}</Button>
      </div>
    </section>
  );
}
