import type { AdminApi } from '@frontdesk/sdk-agent';
import { useEffect, useMemo, useState } from 'react';
import { Button, Field } from '../../../ui/index.ts';
import { useLoad } from '../hooks/useLoad.ts';
import { FormAlert } from './FormAlert.tsx';
import { format } from '../../../app/locale.ts';
import { adminStrings } from '../locales/index.ts';

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The snippet a business pastes into its pages for one channel (docs: apps/widget/src/loader.ts). */
export function widgetSnippet(serverUrl: string, appId: string, channelId: string): string {
  return `<script type="module" src="${attribute(serverUrl)}/widget/loader.js" data-app-id="${attribute(appId)}" data-channel-id="${attribute(channelId)}" async></script>`;
}

function simulatorPage(snippet: string, channelName: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Try it: ${attribute(channelName)}</title>
<style>body{margin:0;font:15px/1.5 system-ui,sans-serif;color:#334;background:linear-gradient(#f7f9fc,#e9eef6);min-height:100vh}
main{max-width:560px;margin:0 auto;padding:32px 20px}h1{font-size:20px;margin:0 0 8px}p{margin:0 0 12px;color:#556}</style>
</head><body><main><h1>Your page</h1><p>This page stands for a page of your site with the widget of the channel “${attribute(channelName)}”.</p>
<p>Open the chat with the button at the bottom; you are a visitor, the conversation reaches your agents.</p></main>
${snippet}
</body></html>`;
}

/** "Try it" (Huawei step 7): the widget of a channel on a sample page, in a frame or a new window, as a visitor. */
export function TryItPage({ api, channelId: initialChannelId }: { api: AdminApi; channelId?: string }) {
  const app = useLoad(() => api.app.get());
  const channels = useLoad(() => api.channels.list());
  const [channelId, setChannelId] = useState(initialChannelId ?? '');
  const [frameKey, setFrameKey] = useState(0);
  const t = adminStrings().tryIt;
  const channel = channels.data?.find((c) => c.id === channelId) ?? channels.data?.find((c) => c.isDefault);

  useEffect(() => {
    if (!channelId && channel) setChannelId(channel.id);
  }, [channel, channelId]);

  const snippet = app.data && channel ? widgetSnippet(window.location.origin, app.data.id, channel.id) : '';
  const page = useMemo(() => (snippet && channel ? simulatorPage(snippet, channel.name) : ''), [snippet, channel]);

  function openWindow() {
    const url = URL.createObjectURL(new Blob([page], { type: 'text/html' }));
    window.open(url, '_blank', 'noopener,width=480,height=720');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  return (
    <section className="fd-admin-page" aria-labelledby="tryit-title">
      <h2 id="tryit-title">{t.title}</h2>
      <FormAlert messages={[app.error, channels.error].filter((m): m is string => Boolean(m))} />
      <div className="fd-admin-row">
        <Field label={t.channel}>
          <select value={channel?.id ?? ''} onChange={(e) => setChannelId(e.target.value)}>
            {(channels.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </Field>
        <Button onClick={() => setFrameKey((k) => k + 1)}>{t.reload}</Button>
        <Button onClick={openWindow} disabled={!page}>{t.openWindow}</Button>
      </div>
      {snippet && (
        <Field label={t.snippet} hint={t.snippetHint}>
          <textarea readOnly value={snippet} rows={2} className="fd-admin-code" onFocus={(e) => e.currentTarget.select()} />
        </Field>
      )}
      {page && <iframe key={`${channel?.id}-${frameKey}`} className="fd-admin-tryit" title={format(t.frameTitle, { channel: channel?.name ?? t.theChannel })} srcDoc={page} />}
    </section>
  );
}
