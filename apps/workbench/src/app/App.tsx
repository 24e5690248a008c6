import type { AgentClient } from '@frontdesk/sdk-agent';
import { useEffect, useRef, useState } from 'react';
import { ToastProvider } from '../ui/index.ts';
import { LoginScreen } from '../modules/auth/components/LoginScreen.tsx';
import { authStrings } from '../modules/auth/locales/index.ts';
import { forgetSession, resumeSession, signInWithToken, type ClientOptions } from '../modules/auth/state/sign-in.ts';
import { CallsProvider } from '../modules/calls/components/CallsProvider.tsx';
import { SessionsProvider } from '../modules/inbox/components/SessionsProvider.tsx';
import { AppShell } from '../modules/shell/components/AppShell.tsx';
import { FloatingFrame } from '../modules/shell/components/FloatingFrame.tsx';
import { ClientProvider } from './client-context.tsx';

export interface AppProps {
  /** A session token from the SDK login; without it the agent signs in with a password. */
  token?: string;
  /** Embedded in another page: `host` is a floating panel, shown and hidden with a floating button. */
  floating?: boolean;
  isEmbedded: boolean;
  host: HTMLElement;
  /** Options for the SDK client when mounted by the SDK login. */
  clientOptions?: ClientOptions;
}

type Phase = { name: 'starting' } | { name: 'signed-out'; notice: string | null } | { name: 'signed-in'; client: AgentClient };

/** Signs the agent in (password, SDK token, or the session kept by this browser) and shows the workbench. */
export function App({ token, floating = false, isEmbedded, host, clientOptions }: AppProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'starting' });
  const hasStarted = useRef(false);

  useEffect(() => {
    if (hasStarted.current) return;
    hasStarted.current = true;
    void (token ? signInWithToken(token, clientOptions) : resumeSession()).then((result) =>
      setPhase(result.ok ? { name: 'signed-in', client: result.client } : { name: 'signed-out', notice: result.message || null }),
    );
  }, [token, clientOptions]);

  const client = phase.name === 'signed-in' ? phase.client : null;
  useEffect(() => {
    if (!client) return;
    const offKicked = client.on('kickedOut', () => {
      forgetSession();
      setPhase({ name: 'signed-out', notice: authStrings().signedInElsewhere });
    });
    const offExpired = client.on('tokenExpired', () => {
      forgetSession();
      setPhase({ name: 'signed-out', notice: authStrings().sessionExpired });
    });
    return () => {
      offKicked();
      offExpired();
    };
  }, [client]);

  async function signOut() {
    if (!client) return;
    // Forgotten here first, so a reload during the logout request never resumes the session.
    forgetSession();
    await client.logout().catch(() => undefined);
    setPhase({ name: 'signed-out', notice: authStrings().signedOut });
  }

  let content;
  if (phase.name === 'starting') content = <p className="wb-splash" role="status">{authStrings().starting}</p>;
  else if (phase.name === 'signed-out')
    content = (
      <LoginScreen
        notice={phase.notice}
        onSignedIn={(signedIn) => setPhase({ name: 'signed-in', client: signedIn })}
      />
    );
  else
    content = (
      <ClientProvider client={phase.client}>
        <SessionsProvider>
          <CallsProvider>
            <AppShell isEmbedded={isEmbedded} onSignOut={() => void signOut()} />
          </CallsProvider>
        </SessionsProvider>
      </ClientProvider>
    );

  return (
    <ToastProvider>
      {floating ? <FloatingFrame host={host} client={client}>{content}</FloatingFrame> : content}
    </ToastProvider>
  );
}
