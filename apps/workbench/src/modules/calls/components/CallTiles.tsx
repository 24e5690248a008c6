import type { Call } from '@frontdesk/sdk-agent';
import { callStrings } from '../locales/index.ts';
import { partyKey } from '../state/call-parties.ts';
import { StreamView } from './StreamView.tsx';

type Participant = Call['participants'][number];

/**
 * The other parties of a call, one tile each: its video, or its initial (a voice call, its camera off,
 * no picture yet) with its sound. One party fills the stage; with a third party or more they share it
 * as a grid, each named with its role. A stream of nobody in the list (a supervisor barging in) is
 * still played, unseen.
 */
export function CallTiles({ parties, remotes, nameOf, isVideo, isRinging, ringingName, speakerId, onBlocked }: {
  parties: readonly Participant[];
  remotes: ReadonlyMap<string, MediaStream>;
  nameOf: (party: Participant) => string;
  isVideo: boolean;
  /** Nobody answered yet: the callee's initial pulses. */
  isRinging: boolean;
  ringingName: string;
  speakerId: string | undefined;
  onBlocked: (isBlocked: boolean) => void;
}) {
  const s = callStrings();
  const isGrid = parties.length > 1;
  const shown = new Set(parties.map((p) => partyKey({ role: p.role, id: p.userId })));
  const unseen = [...remotes].filter(([key]) => !shown.has(key));
  const face = (name: string, note: string | null, isPulsing: boolean) => (
    <div className={`wb-call__face${isPulsing ? ' wb-call__face--ringing' : ''}`}>
      <span aria-hidden="true">{Array.from(name.trim())[0]?.toUpperCase() ?? '?'}</span>
      {note && <small>{note}</small>}
    </div>
  );
  return (
    <div className="wb-call__tiles" data-count={Math.max(1, parties.length)}>
      {parties.length === 0 && <div className="wb-call__tile">{face(ringingName, null, isRinging)}</div>}
      {parties.map((party) => {
        const key = partyKey({ role: party.role, id: party.userId });
        const stream = remotes.get(key) ?? null;
        const name = nameOf(party);
        const showsVideo = isVideo && stream !== null && !party.cameraOff;
        const isVisitor = party.role === 'visitor';
        // NOTE: a lone visitor's tile keeps its words of old; in a grid the tile's label names the party.
        const cameraNote = isVideo && party.cameraOff ? (!isGrid && isVisitor ? s.visitorCameraOff : s.partyCameraOff) : null;
        return (
          <div key={key} className="wb-call__tile" data-testid="call-party" data-party={key} data-has-video={showsVideo ? 'true' : 'false'} aria-label={isGrid ? `${name} · ${isVisitor ? s.roleVisitor : s.roleAgent}` : undefined}>
            {showsVideo ? (
              <StreamView stream={stream} kind="video" speakerId={speakerId} className="wb-call__remote" onBlocked={onBlocked} testId="call-remote-video" />
            ) : (
              <>
                {face(name, cameraNote, false)}
                <StreamView stream={stream} kind="audio" speakerId={speakerId} className="wb-call__remote-audio" onBlocked={onBlocked} testId="call-remote-audio" />
              </>
            )}
            {isGrid && (
              <span className="wb-call__tile-label" data-testid="call-party-label">
                {name} · {isVisitor ? s.roleVisitor : s.roleAgent}
                {party.micMuted && <> · {s.partyMuted}</>}
              </span>
            )}
          </div>
        );
      })}
      {unseen.map(([key, stream]) => (
        <StreamView key={key} stream={stream} kind="audio" speakerId={speakerId} className="wb-call__remote-audio" onBlocked={onBlocked} />
      ))}
    </div>
  );
}
