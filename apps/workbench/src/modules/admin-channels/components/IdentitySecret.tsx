import type { AdminApi } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { Button } from '../../../ui/index.ts';
import { errorInfo } from '../../admin/state/form-errors.ts';
import { SecretOnce } from '../../admin/components/SecretOnce.tsx';
import { adminStrings } from '../../admin/locales/index.ts';
import { channelAdminStrings } from '../locales/index.ts';

/** A channel's identity secret: masked; revealed on request or answered once by a rotation. */
export function IdentitySecret({ api, channelId }: { api: AdminApi; channelId: string }) {
  const [secret, setSecret] = useState<string>();
  const [isRotated, setRotated] = useState(false);
  const [error, setError] = useState<string>();
  const t = channelAdminStrings().identitySecret;
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
      <span className="fd-field__label">{t.label}</span>
      <SecretOnce label={t.label} secret={secret} onDismiss={() => setSecret(undefined)} note={isRotated ? t.rotatedNote : t.note} />
      {secret === undefined && <Button size="sm" onClick={() => void run(() => api.channels.identitySecret(channelId), false)}>{t.reveal}</Button>}
      <Button
        size="sm"
        variant="danger"
        onClick={() => {
          if (window.confirm(t.rotateConfirm)) void run(() => api.channels.rotateIdentitySecret(channelId), true);
        }}
      >
        {adminStrings().common.rotate}
      </Button>
      {error && <p className="fd-field__error" role="alert">{error}</p>}
    </div>
  );
}
