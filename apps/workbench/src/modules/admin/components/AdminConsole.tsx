import type { AgentClient } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useAdminApi } from '../hooks/useAdminApi.ts';
import adminCss from '../admin.css?inline';
import { useStyles } from '../../../ui/useStyles.ts';
import { AgentsPage } from '../../admin-agents/components/AgentsPage.tsx';
import { AppPage } from './AppPage.tsx';
import { AreasPage } from './AreasPage.tsx';
import { CannedResponsesPage } from './CannedResponsesPage.tsx';
import { ChannelsPage } from '../../admin-channels/components/ChannelsPage.tsx';
import { QueuesPage } from '../../admin-queues/components/QueuesPage.tsx';
import { TryItPage } from './TryItPage.tsx';
import { WebhooksPage } from './WebhooksPage.tsx';
import { WrapUpLabelsPage } from '../../admin-wrap-up/components/WrapUpLabelsPage.tsx';
import { adminStrings } from '../locales/index.ts';

export interface AdminConsoleProps {
  client: AgentClient;
}

const PAGES = ['app', 'agents', 'queues', 'areas', 'channels', 'canned', 'wrap-up', 'webhooks', 'try'] as const;
type PageId = (typeof PAGES)[number];

/** Admin console (SPEC M40): app and secrets, agents, queues, areas, channels, canned responses, wrap-up outcomes and tags, webhooks, and the widget simulator. */
export function AdminConsole({ client }: AdminConsoleProps) {
  useStyles('fd-admin-styles', adminCss);
  const api = useAdminApi(client);
  const [page, setPage] = useState<PageId>('queues');
  const [tryChannelId, setTryChannelId] = useState<string>();
  const t = adminStrings();

  return (
    <div className="fd-admin">
      <nav className="fd-admin-tabs" aria-label={t.sectionsLabel}>
        {PAGES.map((id) => (
          <button key={id} type="button" className="fd-admin-tab" aria-current={page === id ? 'page' : undefined} onClick={() => setPage(id)}>
            {t.tabs[id]}
          </button>
        ))}
      </nav>
      <div className="fd-admin-body">
        {page === 'app' && <AppPage api={api} />}
        {page === 'agents' && <AgentsPage api={api} />}
        {page === 'queues' && <QueuesPage api={api} />}
        {page === 'areas' && <AreasPage api={api} />}
        {page === 'channels' && (
          <ChannelsPage
            api={api}
            onTryIt={(channelId) => {
              setTryChannelId(channelId);
              setPage('try');
            }}
          />
        )}
        {page === 'canned' && <CannedResponsesPage api={api} />}
        {page === 'wrap-up' && <WrapUpLabelsPage api={api} />}
        {page === 'webhooks' && <WebhooksPage api={api} />}
        {page === 'try' && <TryItPage api={api} channelId={tryChannelId} />}
      </div>
    </div>
  );
}
