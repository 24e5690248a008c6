import { useState, type FormEvent } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { authStrings } from '../locales/index.ts';
import { lastAppId, signInWithPassword, type SignInResult } from '../state/sign-in.ts';

export interface LoginScreenProps {
  onSignedIn: (client: Extract<SignInResult, { ok: true }>['client']) => void;
  /** Why the agent is here again (kicked out, session expired). */
  notice?: string | null;
}

/** Password sign-in: app id, email, password. */
export function LoginScreen({ onSignedIn, notice }: LoginScreenProps) {
  const [appId, setAppId] = useState(() => lastAppId() ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);
  const t = authStrings();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setIsBusy(true);
    setError(null);
    const result = await signInWithPassword({ appId: appId.trim(), email: email.trim(), password });
    setIsBusy(false);
    if (result.ok) onSignedIn(result.client);
    else setError(result.message);
  }

  return (
    <main className="wb-login">
      <form className="wb-login__card" onSubmit={submit} aria-labelledby="wb-login-title">
        <div className="wb-login__brand" aria-hidden="true">Frontdesk</div>
        <h1 id="wb-login-title">{t.title}</h1>
        {notice && <p className="wb-login__notice" role="status">{notice}</p>}
        <Field label={t.appId} hint={t.appIdHint}>
          <input name="appId" value={appId} onChange={(e) => setAppId(e.target.value)} required autoComplete="organization" autoCapitalize="off" spellCheck={false} />
        </Field>
        <Field label={t.email}>
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="username" autoFocus />
        </Field>
        <Field label={t.password} error={error}>
          <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" />
        </Field>
        <Button type="submit" variant="primary" isBusy={isBusy} className="wb-login__submit">
          {isBusy ? t.signingIn : t.signIn}
        </Button>
      </form>
    </main>
  );
}
