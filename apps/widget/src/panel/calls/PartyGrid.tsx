import type { Call } from '@frontdesk/sdk-visitor';
import { partyKey } from '../call-parties.ts';
import { StreamMedia } from './MediaView.tsx';

type Participant = Call['participants'][number];

/**
 * The other parties of a call with more than one (the agent invited someone): a small grid, one tile
 * each with its video or its initial, its name and role; each plays its own sound. A party leaving
 * takes its tile with it.
 */
export function PartyGrid({ parties, remotes, nameOf, roleOf, isVideo, label, mutedText, onBlocked }: {
  parties: readonly Participant[];
  remotes: ReadonlyMap<string, MediaStream>;
  nameOf: (party: Participant) => string;
  roleOf: (party: Participant) => string;
  isVideo: boolean;
  label: string;
  mutedText: string;
  onBlocked: (blocked: boolean) => void;
}) {
  return (
    <ul class="call-grid" aria-label={label} data-count={parties.length}>
      {parties.map((party) => {
        const key = partyKey({ role: party.role, id: party.userId });
        const stream = remotes.get(key) ?? null;
        const name = nameOf(party);
        const showsVideo = isVideo && stream !== null && !party.cameraOff;
        return (
          <li key={key} class="call-tile" data-party={key} data-has-video={showsVideo ? 'true' : 'false'}>
            {showsVideo ? (
              <StreamMedia stream={stream} kind="video" className="tile-video" onBlocked={onBlocked} />
            ) : (
              <>
                <span class="call-avatar" aria-hidden="true">{Array.from(name.trim())[0]?.toUpperCase() ?? '?'}</span>
                <StreamMedia stream={stream} kind="audio" className="tile-audio" onBlocked={onBlocked} />
              </>
            )}
            <span class="tile-label">
              {/* NOTE: another visitor is named by its role alone ("Guest"), not twice. */}
              {name === roleOf(party) ? name : `${name} · ${roleOf(party)}`}
              {party.micMuted && <> · {mutedText}</>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
