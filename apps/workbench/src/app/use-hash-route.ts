import { useCallback, useEffect, useState } from 'react';

/** The workbench's screens, in the URL hash so a reload (and the static server) keeps them. */
export type Route = { screen: 'inbox'; sessionId: string | null } | { screen: 'history'; conversationId: string | null } | { screen: 'supervisor' } | { screen: 'wallboard' } | { screen: 'reports' } | { screen: 'admin' };

export function parseRoute(hash: string): Route {
  const [screen, id] = hash.replace(/^#\/?/, '').split('/');
  if (screen === 'supervisor') return { screen: 'supervisor' };
  if (screen === 'history') return { screen: 'history', conversationId: id ? decodeURIComponent(id) : null };
  if (screen === 'wallboard') return { screen: 'wallboard' };
  if (screen === 'reports') return { screen: 'reports' };
  if (screen === 'admin') return { screen: 'admin' };
  return { screen: 'inbox', sessionId: id ? decodeURIComponent(id) : null };
}

export function hrefOf(route: Route): string {
  if (route.screen === 'inbox') return route.sessionId ? `#/inbox/${encodeURIComponent(route.sessionId)}` : '#/inbox';
  if (route.screen === 'history') return route.conversationId ? `#/history/${encodeURIComponent(route.conversationId)}` : '#/history';
  return `#/${route.screen}`;
}

/**
 * Routing by hash. When embedded (mounted into a CRM page), the host page's hash is not ours:
 * the route then lives in memory only.
 */
export function useHashRoute(isEmbedded: boolean): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(() => (isEmbedded ? { screen: 'inbox', sessionId: null } : parseRoute(window.location.hash)));
  useEffect(() => {
    if (isEmbedded) return;
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, [isEmbedded]);
  const navigate = useCallback(
    (next: Route) => {
      if (isEmbedded) setRoute(next);
      else window.location.hash = hrefOf(next);
    },
    [isEmbedded],
  );
  return [route, navigate];
}
