import type { SupervisionMode } from '@frontdesk/protocol';
import { useState } from 'react';
import { format } from '../../../app/locale.ts';
import { Button, Dialog } from '../../../ui/index.ts';
import { supervisionStrings } from '../locales/index.ts';

const MODES: readonly SupervisionMode[] = ['monitor', 'whisper', 'barge'];

/** The supervision modes of a live chat (one pressed at a time, switched in place), and the take-over with its confirmation. */
export function SupervisionControls({ mode, agentName, canTakeOver, onSwitch, onTakeOver, takeOverText }: {
  mode: SupervisionMode | null;
  agentName: string;
  canTakeOver: boolean;
  /** The confirmation's title and body (a call's differ from a chat's). */
  takeOverText?: { title: string; body: string } | undefined;
  onSwitch: (mode: SupervisionMode) => void;
  onTakeOver: () => Promise<boolean>;
}) {
  const s = supervisionStrings();
  const [isConfirming, setIsConfirming] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  return (
    <div className="fd-sup-modes" role="group" aria-label={s.modes}>
      {MODES.map((m) => (
        <Button key={m} size="sm" variant={mode === m ? 'primary' : 'secondary'} aria-pressed={mode === m} onClick={() => onSwitch(m)} data-testid={`mode-${m}`}>
          {s[m]}
        </Button>
      ))}
      {canTakeOver && (
        <Button size="sm" variant="danger" onClick={() => setIsConfirming(true)} data-testid="take-over">{s.takeOver}</Button>
      )}
      <Dialog
        isOpen={isConfirming}
        title={takeOverText?.title ?? s.takeOverTitle}
        onClose={() => setIsConfirming(false)}
        footer={
          <>
            <Button onClick={() => setIsConfirming(false)}>{s.cancel}</Button>
            <Button
              variant="danger"
              isBusy={isBusy}
              data-testid="take-over-confirm"
              onClick={() => {
                setIsBusy(true);
                void onTakeOver().then(() => {
                  setIsBusy(false);
                  setIsConfirming(false);
                });
              }}
            >
              {s.takeOver}
            </Button>
          </>
        }
      >
        <p>{format(takeOverText?.body ?? s.takeOverBody, { agent: agentName })}</p>
      </Dialog>
    </div>
  );
}
