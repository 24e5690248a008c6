import type { Whisper } from '@frontdesk/protocol';
import { memo } from 'react';
import { formatClock } from '../../../app/format.ts';
import { format } from '../../../app/locale.ts';
import { supervisionStrings } from '../../supervisor/locales/index.ts';

/**
 * A supervisor's whisper in the agent's conversation (SPEC M28): in its own colour and labelled,
 * so the agent never takes it for something the visitor sees. Rendered as text only.
 */
export const WhisperBubble = memo(function WhisperBubble({ whisper, ownAgentId, agentName }: { whisper: Whisper; ownAgentId: string | null; agentName: (agentId: string) => string }) {
  const s = supervisionStrings();
  const from = whisper.supervisorId === ownAgentId ? s.yourWhisper : format(s.whisperFrom, { name: agentName(whisper.supervisorId) });
  return (
    <li className="wb-msg wb-msg--whisper" data-testid="whisper">
      <div className="wb-msg__meta">
        <span className="wb-msg__sender">{from} · {s.onlyYou}</span>
        <time dateTime={new Date(whisper.createdAt).toISOString()}>{formatClock(whisper.createdAt)}</time>
      </div>
      <div className="wb-msg__bubble">
        <p className="wb-msg__text" data-testid="whisper-text">{whisper.text}</p>
      </div>
    </li>
  );
});
