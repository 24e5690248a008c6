import type { ConversationChannel, MessageTemplate } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { useNow } from '../../../app/use-now.ts';
import { Badge, Button, useToast } from '../../../ui/index.ts';

export const PROVIDER_LABELS = { whatsapp: 'WhatsApp', messenger: 'Messenger', telegram: 'Telegram', viber: 'Viber' } as const;

/** "5 h 12 min" / "12 min" / "less than a minute". */
export function formatTimeLeft(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
}

/**
 * A messaging channel's strip above the composer: which provider, the customer-service window's
 * time left, and outside it the legal path: a WhatsApp template with its parameters, or a Messenger
 * message tagged HUMAN_AGENT (up to 7 days after the user's last message).
 */
export function ChannelStrip({ sessionId, channel, templates, isMine, onSent }: { sessionId: string; channel: ConversationChannel; templates: readonly MessageTemplate[]; isMine: boolean; onSent: () => void }) {
  const now = useNow(30_000);
  const label = PROVIDER_LABELS[channel.provider];
  const endsAt = channel.window.endsAt;
  const isOpen = endsAt === null || now < endsAt;
  const canTag = channel.provider === 'messenger' && channel.window.humanAgentTagEndsAt !== null && now < channel.window.humanAgentTagEndsAt;
  return (
    <div className={`wb-channel${isOpen ? '' : ' wb-channel--closed'}`} data-testid="channel-strip" data-provider={channel.provider}>
      <p className="wb-channel__status" role="status">
        <Badge tone="info" data-testid="channel-kind">{label}</Badge>{' '}
        {endsAt === null ? (
          <span>No reply window on {label}.</span>
        ) : isOpen ? (
          <span data-testid="channel-window">{formatTimeLeft(endsAt - now)} left to reply freely</span>
        ) : (
          <span data-testid="channel-window">The reply window has closed: {channel.provider === 'whatsapp' ? 'send an approved template.' : canTag ? 'send a message tagged Human agent.' : 'wait for the customer to write again.'}</span>
        )}
      </p>
      {!isOpen && isMine && channel.provider === 'whatsapp' && <TemplatePicker sessionId={sessionId} templates={templates} onSent={onSent} />}
      {!isOpen && isMine && canTag && <TaggedSend sessionId={sessionId} onSent={onSent} />}
    </div>
  );
}

function TemplatePicker({ sessionId, templates, onSent }: { sessionId: string; templates: readonly MessageTemplate[]; onSent: () => void }) {
  const client = useClient();
  const toast = useToast();
  const [index, setIndex] = useState(0);
  const [parameters, setParameters] = useState<string[]>([]);
  const [isBusy, setIsBusy] = useState(false);
  const template = templates[index];
  if (!template) return <p className="wb-channel__hint">No approved template yet: an admin syncs them from WhatsApp.</p>;
  const values = Array.from({ length: template.parameterCount }, (_, i) => parameters[i] ?? '');
  const preview = template.body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => values[Number(n) - 1] || whole);
  async function send() {
    setIsBusy(true);
    const result = await client.Chat.sendThroughChannel({ sessionId, message: { kind: 'template', clientId: crypto.randomUUID(), name: template!.name, language: template!.language, parameters: values } });
    setIsBusy(false);
    if (result.status === 'error') return toast({ message: `Template not sent: ${result.errorMsg}`, tone: 'danger' });
    setParameters([]);
    onSent();
  }
  return (
    <form className="wb-channel__form" data-testid="template-picker" onSubmit={(event) => { event.preventDefault(); void send(); }}>
      <label>
        Template{' '}
        <select value={index} onChange={(event) => { setIndex(Number(event.target.value)); setParameters([]); }} data-testid="template-select">
          {templates.map((t, i) => <option key={`${t.name} ${t.language}`} value={i}>{t.name} ({t.language})</option>)}
        </select>
      </label>
      {values.map((value, i) => (
        <label key={i}>
          {`{{${i + 1}}}`}{' '}
          <input value={value} required maxLength={1000} onChange={(event) => setParameters(values.map((v, j) => (j === i ? event.target.value : v)))} data-testid="template-parameter" />
        </label>
      ))}
      <p className="wb-channel__preview" dir="auto">{preview}</p>
      <Button type="submit" variant="primary" size="sm" isBusy={isBusy} disabled={values.some((v) => !v.trim())} data-testid="template-send">Send template</Button>
    </form>
  );
}

function TaggedSend({ sessionId, onSent }: { sessionId: string; onSent: () => void }) {
  const client = useClient();
  const toast = useToast();
  const [text, setText] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  async function send() {
    setIsBusy(true);
    const result = await client.Chat.sendThroughChannel({ sessionId, message: { kind: 'tagged', clientId: crypto.randomUUID(), text, tag: 'HUMAN_AGENT' } });
    setIsBusy(false);
    if (result.status === 'error') return toast({ message: `Not sent: ${result.errorMsg}`, tone: 'danger' });
    setText('');
    onSent();
  }
  return (
    <form className="wb-channel__form" data-testid="tagged-send" onSubmit={(event) => { event.preventDefault(); void send(); }}>
      <input value={text} maxLength={2000} placeholder="A follow-up from a human agent" onChange={(event) => setText(event.target.value)} dir="auto" />
      <Button type="submit" variant="primary" size="sm" isBusy={isBusy} disabled={!text.trim()}>Send as Human agent</Button>
    </form>
  );
}
