import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useClient, useClientEvent } from '../../../app/client-context.tsx';
import { hrefOf, useHashRoute, type Route } from '../../../app/use-hash-route.ts';
import { Button } from '../../../ui/index.ts';
import { useUnreadTotal } from '../../inbox/hooks/use-sessions.ts';
import { CallDock } from '../../calls/components/CallDock.tsx';
import { ColleagueCallButton } from '../../calls/components/ColleagueCallDialog.tsx';
import { InboxScreen } from '../../inbox/components/InboxScreen.tsx';
import { OfferBar } from '../../offers/components/OfferBar.tsx';
import { unlockSound } from '../../offers/state/ringtone.ts';
import { StatusSwitch } from '../../status/components/StatusSwitch.tsx';
import { ConnectionBanner } from './ConnectionBanner.tsx';
import { SettingsMenu } from './SettingsMenu.tsx';
import { MyAvatar } from '../../avatar/components/MyAvatar.tsx';
import { ShortcutsOverlay } from '../../shortcuts/components/ShortcutsOverlay.tsx';
import { useShortcuts } from '../../shortcuts/hooks/use-shortcuts.ts';
import { useMessageAlerts } from '../../notifications/hooks/use-message-alerts.ts';
import { showFaviconCount } from '../../notifications/state/favicon-badge.ts';
import { format } from '../../../app/locale.ts';
import { shellStrings } from '../locales/index.ts';
import { inboxStrings } from '../../inbox/locales/index.ts';

// Loaded when opened: agents never download the supervisor board or the admin console.
const SupervisorBoard = lazy(() => import('../../supervisor/components/SupervisorBoard.tsx').then((m) => ({ default: m.SupervisorBoard })));
const HistoryScreen = lazy(() => import('../../history/components/HistoryScreen.tsx').then((m) => ({ default: m.HistoryScreen })));
const WallboardScreen = lazy(() => import('../../reports/components/WallboardScreen.tsx').then((m) => ({ default: m.WallboardScreen })));
const ReportsScreen = lazy(() => import('../../reports/components/ReportsScreen.tsx').then((m) => ({ default: m.ReportsScreen })));
const AdminConsole = lazy(() => import('../../admin/components/AdminConsole.tsx').then((m) => ({ default: m.AdminConsole })));

export interface AppShellProps {
  isEmbedded: boolean;
  onSignOut: () => void;
}

/** The signed-in workbench: top bar (tabs by role, status, settings), offers, and the current screen. */
export function AppShell({ isEmbedded, onSignOut }: AppShellProps) {
  const client = useClient();
  const me = client.Agent.me();
  const role = me?.role ?? 'agent';
  const [route, navigate] = useHashRoute(isEmbedded);
  const canSupervise = role === 'supervisor' || role === 'admin';
  const canAdminister = role === 'admin';

  // Browsers allow sound only after a gesture: the agent's first click or key (also after a reload).
  useEffect(() => {
    const stopListening = () => {
      window.removeEventListener('pointerdown', unlock, true);
      window.removeEventListener('keydown', unlock, true);
    };
    const unlock = () => {
      unlockSound();
      stopListening();
    };
    window.addEventListener('pointerdown', unlock, true);
    window.addEventListener('keydown', unlock, true);
    return stopListening;
  }, []);

  // A transfer to this agent or an accepted offer opens the conversation (an internal call has none).
  useClientEvent('userAccessed', ({ sessionId }) => {
    if (client.Call.get({ sessionId })?.direction === 'internal') return;
    if (route.screen === 'inbox' && !route.sessionId) navigate({ screen: 'inbox', sessionId });
  });

  const isSupervisorScreen = route.screen === 'supervisor' || route.screen === 'wallboard' || route.screen === 'reports';
  const screen: Route = (isSupervisorScreen && !canSupervise) || (route.screen === 'admin' && !canAdminister) ? { screen: 'inbox', sessionId: null } : route;
  const [isHelpOpen, setIsHelpOpen] = useState(false);
  useShortcuts((shortcut) => shortcut === 'help' && setIsHelpOpen(true));
  // A visitor's new message in one of the agent's conversations that is not on screen: chime, notify.
  useMessageAlerts(screen.screen === 'inbox' ? screen.sessionId : null, (sessionId) => navigate({ screen: 'inbox', sessionId }));
  const tabs: { route: Route; label: string; isShown: boolean }[] = [
    { route: { screen: 'inbox', sessionId: null }, label: shellStrings().inbox, isShown: true },
    { route: { screen: 'history', conversationId: null }, label: shellStrings().history, isShown: true },
    { route: { screen: 'supervisor' }, label: shellStrings().supervisor, isShown: canSupervise },
    { route: { screen: 'wallboard' }, label: shellStrings().wallboard, isShown: canSupervise },
    { route: { screen: 'reports' }, label: shellStrings().reports, isShown: canSupervise },
    { route: { screen: 'admin' }, label: shellStrings().admin, isShown: canAdminister },
  ];

  return (
    <div className="wb-shell">
      <header className="wb-topbar">
        <span className="wb-topbar__brand">Frontdesk</span>
        <nav className="wb-tabs" aria-label={shellStrings().screens}>
          {tabs.filter((tab) => tab.isShown).map((tab) => (
            <a
              key={tab.label}
              href={isEmbedded ? undefined : hrefOf(tab.route)}
              role={isEmbedded ? 'button' : undefined}
              tabIndex={0}
              className={`wb-tab${tab.route.screen === screen.screen ? ' wb-tab--active' : ''}`}
              aria-current={tab.route.screen === screen.screen ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                navigate(tab.route);
              }}
            >
              {tab.label}
              {tab.route.screen === 'inbox' && <UnreadCount updatesTitle={!isEmbedded} />}
            </a>
          ))}
        </nav>
        <div className="wb-topbar__right">
          <StatusSwitch />
          <ColleagueCallButton />
          <SettingsMenu />
          <MyAvatar />
          <span className="wb-topbar__me" title={me?.email}>{me?.name || me?.email}</span>
          <Button size="sm" variant="ghost" onClick={onSignOut} data-testid="sign-out">{shellStrings().signOut}</Button>
        </div>
      </header>
      <ShortcutsOverlay isOpen={isHelpOpen} onClose={() => setIsHelpOpen(false)} />
      <ConnectionBanner />
      <OfferBar onAccepted={(sessionId) => navigate({ screen: 'inbox', sessionId })} />
      <CallDock openConversationId={screen.screen === 'inbox' ? screen.sessionId : null} onOpen={(sessionId) => navigate({ screen: 'inbox', sessionId })} />
      <main className="wb-main">
        {screen.screen === 'inbox' && <InboxScreen sessionId={screen.sessionId} onOpen={(sessionId) => navigate({ screen: 'inbox', sessionId })} />}
        <Suspense fallback={<p className="wb-splash" role="status">{shellStrings().loading}</p>}>
          {screen.screen === 'history' && <HistoryScreen conversationId={screen.conversationId} onOpen={(conversationId) => navigate({ screen: 'history', conversationId })} />}
          {screen.screen === 'supervisor' && <SupervisorBoard client={client} />}
          {screen.screen === 'wallboard' && <WallboardScreen client={client} />}
          {screen.screen === 'reports' && <ReportsScreen client={client} />}
          {screen.screen === 'admin' && <AdminConsole client={client} />}
        </Suspense>
      </main>
    </div>
  );
}

/**
 * The inbox tab's unread count (and the page title). Its own component: the count changes with
 * every message, and only this should re-render then, not the shell.
 */
function UnreadCount({ updatesTitle }: { updatesTitle: boolean }) {
  const unreadTotal = useUnreadTotal();
  // The title at most every 250 ms: setting it costs the browser far more than the render.
  const latest = useRef(unreadTotal);
  latest.current = unreadTotal;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    if (!updatesTitle || timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      document.title = latest.current > 0 ? format(shellStrings().titleWithCount, { count: latest.current }) : shellStrings().title;
      showFaviconCount(latest.current);
    }, 250);
  }, [unreadTotal, updatesTitle]);
  useEffect(() => () => {
    if (timer.current !== null) clearTimeout(timer.current);
  }, []);
  return unreadTotal > 0 ? <span className="wb-tab__count" aria-label={format(inboxStrings().unread, { count: unreadTotal })}>{unreadTotal}</span> : null;
}
