import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Button } from '../../../ui/index.ts';
import { errorInfo } from '../../admin/state/form-errors.ts';
import { SecretOnce } from '../../admin/components/SecretOnce.tsx';

/** A channel's identity secret: masked; revealed on request or answered once by a rotation. */
export function IdentitySecret({ api, channelId }: { api: AdminApi; channelId: string }) {
  const [secret, setSecret] = useState<string>();
  const [isRotated, setRotated] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (call: () => Promise<{ secret: string }>, rotated: boolean) => {
    setError(undefined);
    try {
      setSecret((await call()).secret);
      setRotated(rotated);
    } catch (err) {
      setError(errorInfo(err).message);
    }
  };
  return (
    <div className="fd-admin-secret-row">
      <span className="fd-field__label">Identity secret</span>
      <SecretOnce label="Identity secret" secret={secret} onDismiss={() => setSecret(undefined)} note={isRotated ? 'New secret: update your server, the old one no longer works.' : 'Your server signs user ids with it; keep it out of web pages.'} />
      {secret === undefined && <Button size="sm" onClick={() => void run(() => api.channels.identitySecret(channelId), false)}>Reveal</Button>}
      <Button
        size="sm"
        variant="danger"
        onClick={() => {
          if (window.confirm('Rotate the identity secret? Hashes and signatures made with the old one stop working at once.')) void run(() => api.channels.rotateIdentitySecret(channelId), true);
        }}
      >
        Rotate
      </Button>
      {error && <p className="fd-field__error" role="alert">{error}</p>}
    </div>
  );
}
