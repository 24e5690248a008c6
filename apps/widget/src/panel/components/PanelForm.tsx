import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

/** The inputs of the visitor's own details, the same in every form that asks for them. */
export const DETAIL_INPUTS = {
  name: { type: 'text', autoComplete: 'name', maxLength: 100 },
  email: { type: 'email', autoComplete: 'email', maxLength: 254 },
  phone: { type: 'tel', autoComplete: 'tel', maxLength: 32 },
} as const;

export interface PanelFormProps {
  /** Its class beside `pop form`, and the id of its title (`fd-<kind>-title`). */
  kind: string;
  testId: string;
  title: string;
  submitLabel: string;
  /** Sends the form; the submit button stays disabled until it settles. */
  onSubmit: () => Promise<unknown>;
  /** A button before the submit one (cancel). */
  extraButton?: ComponentChildren;
  children: ComponentChildren;
}

/** A form of the panel that the visitor fills in before the chat goes on (pre-chat, leave a message). */
export function PanelForm({ kind, testId, title, submitLabel, onSubmit, extraButton, children }: PanelFormProps) {
  const [sending, setSending] = useState(false);
  return (
    <form
      class={`pop form ${kind}`}
      aria-labelledby={`fd-${kind}-title`}
      data-testid={testId}
      onSubmit={async (e) => {
        e.preventDefault();
        setSending(true);
        try {
          await onSubmit();
        } finally {
          setSending(false);
        }
      }}
    >
      <h3 id={`fd-${kind}-title`}>{title}</h3>
      {children}
      <div class="row">
        {extraButton}
        <button type="submit" class="chip primary" disabled={sending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
