import type { ConversationChannel, MessageTemplate } from '@frontdesk/sdk-agent';
import { useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';
import { useNow } from '../../../app/use-now.ts';
import { Badge, Button, useToast } from '../../../ui/index.ts';
import { format } from '../../../app/locale.ts';
import { conversationStrings, type ConversationStrings } from '../locales/index.ts';

export const PROVIDER_LABELS = { whatsapp: 'WhatsApp', messenger: 'Messenger', telegram: 'Telegram', viber: 'Viber' } as const;

/** "5 h 12 min" / "12 min" / "less than a minute", in the catalogue's words. */
export function formatTimeLeft(ms: number, t: ConversationStrings['channelStrip']): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t.underAMinute;
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? format(t.hoursMinutes, { h: hours, m: minutes % 60 }) : format(t.minutes, { m: minutes });
}

/**
 * A messaging channel's strip above the composer: which provider, the customer-service window's
 * time left, and outside it the legal path: a WhatsApp template with its parameters, or a Messenger
 * message tagged HUMAN_AGENT (up to 7 days after the user's last message).
 */
export function ChannelStrip({ sessionId, channel, templates, isMine, onSent }: { sessionId: string; channel: ConversationChannel; templates: readonly MessageTemplate[]; isMine: boolean; onSent: () => void }) {
  const now = useNow(30_000);
  const t = conversationStrings().channelStrip;
  const label = PROVIDER_LABELS[channel.provider];
  const endsAt = channel.window.endsAt;
  const isOpen = endsAt === null || now < endsAt;
  const canTag = channel.provider === 'messenger' && channel.window.humanAgentTagEndsAt !== null && now < channel.window.humanAgentTagEndsAt;
  return (
    <div className={`wb-channel${isOpen ? '' : ' wb-channel--closed'}`} data-testid="channel-strip" data-provider={channel.provider}>
      <p className="wb-channel__status" role="status">
        <Badge tone="info" data-testid="channel-kind">{label}</Badge>{' '}
        {endsAt === null ? (
          <span>{format(t.noWindow, { provider: label })}</span>
        ) : isOpen ? (
          <span data-testid="channel-window">{format(t.timeLeft, { time: formatTimeLeft(endsAt - now, t) })}</span>
        ) : (
          <span data-testid="channel-window">{format(t.closed, { next: channel.provider === 'whatsapp' ? t.nextTemplate : canTag ? t.nextTagged : t.nextWait })}</span>
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
  const t = conversationStrings().channelStrip;
  const template = templates[index];
  if (!template) return <p className="wb-channel__hint">{t.noTemplate}</p>;
  const values = Array.from({ length: template.parameterCount }, (_, i) => parameters[i] ?? '');
  const preview = template.body.replace(/\{\{(\d+)\}\}/g, (whole, n: string) => values[Number(n) - 1] || whole);
  async function send() {
    setIsBusy(true);
    const result = await client.Chat.sendThroughChannel({ sessionId, message: { kind: 'template', clientId: crypto.randomUUID(), name: template!.name, language: template!.language, parameters: values } });
    setIsBusy(false);
    if (result.status === 'error') return toast({ message: format(t.templateNotSent, { error: result.errorMsg }), tone: 'danger' });
    setParameters([]);
    onSent();
  }
  return (
    <form className="wb-channel__form" data-testid="template-picker" onSubmit={(event) => { event.preventDefault(); void send(); }}>
      <label>
        {t.template}{' '}
        <select value={index} onChange={(event) => { setIndex(Number(event.target.value)); setParameters([]); }} data-testid="template-select">
          {templates.map((each, i) => <option key={`${each.name} ${each.language}`} value={i}>{each.name} ({each.language})</option>)}
        </select>
      </label>
      {values.map((value, i) => (
        <label key={i}>
          {`{{${i + 1}}}`}{' '}
          <input value={value} required maxLength={1000} onChange={(event) => setParameters(values.map((v, j) => (j === i ? event.target.value : v)))} data-testid="template-parameter" />
        </label>
      ))}
      <p className="wb-channel__preview" dir="auto">{preview}</p>
      <Button type="submit" variant="primary" size="sm" isBusy={isBusy} disabled={values.some((v) => !v.trim())} data-testid="template-send">{t.sendTemplate}</Button>
    </form>
  );
}

function TaggedSend({ sessionId, onSent }: { sessionId: string; onSent: () => void }) {
  const client = useClient();
  const toast = useToast();
  const [text, setText] = useState('');
  const [isBusy, setIsBusy] = useState(false);
  const cs = conversationStrings();
  async function send() {
    setIsBusy(true);
    const result = await client.Chat.sendThroughChannel({ sessionId, message: { kind: 'tagged', clientId: crypto.randomUUID(), text, tag: 'HUMAN_AGENT' } });
    setIsBusy(false);
    if (result.status === 'error') return toast({ message: format(cs.notSentWith, { error: result.errorMsg }), tone: 'danger' });
    setText('');
    onSent();
  }
  return (
    <form className="wb-channel__form" data-testid="tagged-send" onSubmit={(event) => { event.preventDefault(); void send(); }}>
      <input value={text} maxLength={2000} placeholder={cs.channelStrip.taggedPlaceholder} onChange={(event) => setText(event.target.value)} dir="auto" />
      <Button type="submit" variant="primary" size="sm" isBusy={isBusy} disabled={!text.trim()}>{cs.channelStrip.sendTagged}</Button>
    </form>
  );
}
