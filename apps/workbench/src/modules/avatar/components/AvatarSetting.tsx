import { useRef, useState } from 'react';
import { format } from '../../../app/locale.ts';
import { Button } from '../../../ui/index.ts';
import { useMyAvatar } from '../hooks/use-my-avatar.ts';
import { avatarStrings } from '../locales/index.ts';

/** Choose or remove the signed-in agent's picture (the server checks its type and size). */
export function AvatarSetting() {
  const t = avatarStrings();
  const { url, set, remove } = useMyAvatar();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="wb-avatar-setting" data-testid="avatar-setting">
      <strong>{t.avatar}</strong>
      <div className="wb-avatar-setting__row">
        {url && <img className="wb-avatar wb-avatar--large" src={url} alt="" width={40} height={40} />}
        <Button size="sm" onClick={() => input.current?.click()}>{t.choose}</Button>
        {url && <Button size="sm" variant="ghost" onClick={() => void remove()}>{t.remove}</Button>}
      </div>
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/gif,image/webp"
        hidden
        aria-label={t.choose}
        onChange={async (event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (!file) return;
          const failure = await set(file);
          setError(failure && format(t.failed, { error: failure }));
        }}
      />
      <p className="wb-panel__hint">{t.avatarHint}</p>
      {error && <p className="fd-field__error" role="alert">{error}</p>}
    </div>
  );
}
