import { isCobrowseLive } from '@frontdesk/protocol';
import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { format } from '../../../app/locale.ts';
import { Button, useToast } from '../../../ui/index.ts';
import { useStyles } from '../../../ui/useStyles.ts';
import cobrowseCss from '../cobrowse.css?inline';
import { useCobrowse } from '../hooks/use-cobrowse.ts';
import { cobrowseStrings } from '../locales/index.ts';
import { CobrowseView } from './CobrowseView.tsx';

/**
 * Co-browsing in a conversation: the agent holding it proposes one (or the visitor started it),
 * then watches the live mirror; a supervisor watches the same session (`canPropose` false).
 */
export function CobrowsePanel({ conversationId, canPropose, canControl }: { conversationId: string; canPropose: boolean; canControl: boolean }) {
  useStyles('fd-cobrowse-styles', cobrowseCss);
  const s = cobrowseStrings();
  const client = useClient();
  const toast = useToast();
  const session = useCobrowse(conversationId);
  const [isShown, setIsShown] = useState(true);
  const isLive = session !== null && isCobrowseLive(session.status);

  async function propose() {
    const result = await client.Cobrowse.propose({ sessionId: conversationId });
    if (result.status === 'error') toast({ message: format(s.failed, { reason: result.errorMsg ?? '' }), tone: 'danger' });
  }

  return (
    <div className="fd-cobrowse-panel" data-testid="cobrowse-panel">
      <div className="fd-cobrowse-panel__line">
        {canPropose && (!session || session.status === 'ended') && (
          <Button size="sm" title={s.proposeTitle} data-testid="cobrowse-propose" onClick={() => void propose()}>
            {s.propose}
          </Button>
        )}
        {session?.status === 'proposed' && <span role="status">{s.waiting}</span>}
        {session?.status === 'ended' && session.endReason === 'rejected' && <span role="status">{s.rejected}</span>}
        {isLive && (
          <Button size="sm" aria-pressed={isShown} data-testid="cobrowse-toggle" onClick={() => setIsShown((shown) => !shown)}>
            {isShown ? s.hide : s.watch}
          </Button>
        )}
      </div>
      {isLive && isShown && session && <CobrowseView session={session} canControl={canControl} />}
    </div>
  );
}
