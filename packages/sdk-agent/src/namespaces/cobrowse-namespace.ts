import type { CobrowseSession } from '@frontdesk/protocol';
import type { CobrowseRequestFrame } from '../leader-ops.ts';
import type { RestClient } from '../rest.ts';
import type { CobrowseNamespace } from '../types.ts';
import type { NamespaceContext } from './namespace-context.ts';

/** Co-browsing (SPEC M32): commands over the leader's socket (the data arrives as events), the list over REST. */
export function createCobrowseNamespace({ invoke, local }: NamespaceContext, rest: RestClient): CobrowseNamespace {
  const request = (frame: CobrowseRequestFrame) => invoke<CobrowseSession>('Cobrowse.request', frame);
  return {
    propose: ({ sessionId }) => request({ type: 'cobrowse.start', conversationId: sessionId }),
    view: ({ cobrowseId, viewing }) => request({ type: 'cobrowse.view', sessionId: cobrowseId, viewing }),
    requestControl: ({ cobrowseId }) => request({ type: 'cobrowse.control', sessionId: cobrowseId, action: 'request' }),
    releaseControl: ({ cobrowseId }) => request({ type: 'cobrowse.control', sessionId: cobrowseId, action: 'revoke' }),
    end: ({ cobrowseId }) => request({ type: 'cobrowse.end', sessionId: cobrowseId }),
    input: ({ cobrowseId, input }) => void invoke('Cobrowse.input', { type: 'cobrowse.input', sessionId: cobrowseId, input }),
    list: ({ sessionId }) => local(async () => (await rest.get<{ sessions: CobrowseSession[] }>(`/v1/conversations/${encodeURIComponent(sessionId)}/cobrowse`)).sessions),
  };
}
