import { useState } from 'react';
import { Button } from '../../../ui/index.ts';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';

export interface SecretOnceProps {
  label: string;
  /** The secret, known only right after it was created or rotated; undefined afterwards. */
  secret: string | undefined;
  onDismiss?: () => void;
  /** Under the secret; by default it says the secret is shown only now. */
  note?: string;
}

/** A secret answered once by the server: shown in full with a copy button until dismissed, masked otherwise. */
export function SecretOnce({ label, secret, onDismiss, note }: SecretOnceProps) {
  const [copied, setCopied] = useState(false);
  const t = adminStrings().secret;
  if (secret === undefined) {
    return (
      <span className="fd-admin-secret fd-admin-secret--masked" aria-label={format(t.hidden, { label })}>
        ••••••••••••
      </span>
    );
  }
  return (
    <span className="fd-admin-secret" role="group" aria-label={label}>
      <code data-testid="secret-value">{secret}</code>
      <Button
        size="sm"
        onClick={() => {
          void navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false));
        }}
      >
        {copied ? t.copied : t.copy}
      </Button>
      {onDismiss && <Button size="sm" variant="ghost" onClick={onDismiss}>{t.hide}</Button>}
      <span className="fd-field__hint">{note ?? t.shownOnce}</span>
    </span>
  );
}
