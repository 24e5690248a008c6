import { useEffect, useState } from 'preact/hooks';
import type { Message } from '@frontdesk/sdk-visitor';
import { format } from '../../locales/index.ts';
import { Avatar, usePanel } from '../App.tsx';
import type { OutgoingItem } from '../chat-view.ts';
import { sizeText } from '../file-size.ts';
import { linkify, safeHref } from '@frontdesk/protocol/linkify';
import { mapLink } from '../location.ts';

type FileRef = NonNullable<Message['file']>;

const CLIP = (
  <svg class="glyph" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
    <path d="M21 11.5l-8.5 8.5a5 5 0 0 1-7-7l8.5-8.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3l7.5-7.5" />
  </svg>
);
const PIN = (
  <svg class="glyph" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
    <path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z" />
    <circle cx="12" cy="9.5" r="2.5" />
  </svg>
);

/**
 * Message text, always as text nodes; only strict http(s) URLs become links. NOTE: bubbles and
 * notices carry `dir="auto"`: each text takes the direction of its first strong character, so an
 * English sentence in the Arabic panel (or Arabic with Latin words in it) is not reordered.
 */
export function RichText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.href ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

function time(at: number, locale: string) {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at);
}

/**
 * System events the server writes as codes (`agent.joined`, `conversation.closed:…`), in the
 * visitor's language. A join or leave notice names its sender: the agent who joined or left, or a
 * supervisor barging in (`supervisor.joined`); `name` is that sender's (see MessageItem).
 */
function systemText(code: string, t: ReturnType<typeof usePanel>['t'], name: string | undefined): string | undefined {
  if (code === 'agent.joined' || code === 'supervisor.joined') return format(t.agentJoined, { name: name || t.agent });
  if (code === 'agent.left') return format(t.agentLeft, { name: name || t.agent });
  if (code === 'cobrowse.started') return t.cobrowseStarted;
  if (code === 'cobrowse.ended') return t.cobrowseEnded;
  if (code.startsWith('conversation.closed')) return t.conversationEnded;
  // Released by routing: nobody signed in or open (no_agent, off_hours), or all busy (wait_timeout, queue_full).
  if (code.startsWith('conversation.released:')) return /:(no_agent|off_hours)$/.test(code) ? t.releasedNoAgent : t.releasedBusy;
  return undefined;
}

export function MessageItem({ message, botName, botAvatar }: { message: Message; botName: string; botAvatar: string | null }) {
  const { t, options, view } = usePanel();
  if (message.kind === 'system') {
    // Notices stored before they carried their agent: a join names the conversation's agent.
    const namedId = message.senderId ?? (message.text === 'agent.joined' ? view.conversation?.agentId : null);
    const text = systemText(message.text, t, namedId ? view.agents[namedId]?.name : undefined);
    return text ? <li class={message.text.startsWith('conversation.released:') ? 'notice strong' : 'notice'}>{text}</li> : null;
  }
  if (message.senderType === 'system') {
    return (
      <li class="notice strong" dir="auto">
        <RichText text={message.text} />
      </li>
    );
  }
  const mine = message.senderType === 'visitor';
  const name = mine ? t.you : message.senderType === 'bot' ? botName : (message.senderId && view.agents[message.senderId]?.name) || t.agent;
  return (
    <li class={`msg ${message.senderType}`}>
      {!mine && <Avatar name={name} url={message.senderType === 'bot' ? botAvatar : (message.senderId && view.agents[message.senderId]?.avatarUrl) || null} />}
      <div class="body">
        <span class={mine ? 'sr' : 'name'}>{name}</span>
        <div class="bubble" dir="auto">
          <Content message={message} />
        </div>
        <span class="meta">
          <time dateTime={new Date(message.createdAt).toISOString()}>{time(message.createdAt, options.locale)}</time>
          {mine && ` · ${view.agentReadSeq >= message.seq ? t.read : t.sent}`}
        </span>
      </div>
    </li>
  );
}

function Content({ message }: { message: Message }) {
  const { t, options } = usePanel();
  if ((message.kind === 'image' || message.kind === 'file') && message.file) return <FileContent file={message.file} image={message.kind === 'image'} />;
  const location = message.kind === 'location' ? message.location : null;
  if (location) {
    const href = safeHref(mapLink(options.mapUrl, location));
    const label = location.name ?? `${location.latitude.toFixed(5)}, ${location.longitude.toFixed(5)}`;
    return (
      <span class="location">
        <strong>
          {PIN} {t.locationLabel}
        </strong>
        <span>{label}</span>
        {location.address && <span>{location.address}</span>}
        {href && (
          <a href={href} target="_blank" rel="noopener noreferrer">
            {t.locationOpen}
          </a>
        )}
      </span>
    );
  }
  return <RichText text={message.text} />;
}

/** Files are served only with the visitor's token, so they are fetched and shown as blob: URLs. */
function FileContent({ file, image }: { file: FileRef; image: boolean }) {
  const { t, model } = usePanel();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!image) return;
    let revoked = false;
    let objectUrl: string | undefined;
    model.fileBlob(file).then(
      (blob) => {
        if (revoked) return;
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => {},
    );
    return () => {
      revoked = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file.id]);

  const download = async () => {
    const blob = await model.fileBlob(file).catch(() => undefined);
    if (!blob) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = file.name;
    a.rel = 'noopener';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  if (image && url) {
    return (
      <button type="button" class="thumb" onClick={download} aria-label={format(t.download, { name: file.name })}>
        <img src={url} alt={format(t.imageAlt, { name: file.name })} />
      </button>
    );
  }
  return (
    <button type="button" class="file" onClick={download} aria-label={format(t.download, { name: file.name })}>
      {CLIP}
      <span>
        {file.name} ({sizeText(file.sizeBytes)})
      </span>
    </button>
  );
}

/** A message on its way: sending, uploading with progress, or refused (tap to retry). */
export function OutgoingMessage({ item }: { item: OutgoingItem }) {
  const { t, model } = usePanel();
  const limitBytes = item.limitBytes ?? model.uploadMaxBytes;
  const failure =
    item.errorCode === 'FD_FILE_TOO_LARGE' && limitBytes !== null
      ? format(t.fileTooLarge, { name: item.text, limit: sizeText(limitBytes) })
      : item.kind === 'file' || item.kind === 'image'
        ? format(t.uploadFailed, { name: item.text })
        : t.failed;
  return (
    <li class={`msg visitor ${item.status}`} aria-busy={item.status !== 'failed'}>
      <div class="body">
        <span class="sr">{t.you}</span>
        <div class="bubble" dir="auto">
          {item.kind === 'location' ? t.locationLabel : item.text}
          {item.status === 'uploading' && (
            <>
              <span class="sr">{format(t.uploading, { name: item.text, percent: item.percent ?? 0 })}</span>
              <span class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={item.percent ?? 0} aria-label={item.text}>
                <i style={{ width: `${item.percent ?? 0}%` }} />
              </span>
            </>
          )}
        </div>
        <span class="meta">
          {item.status === 'failed' ? (
            <button type="button" class="failed" onClick={() => model.retry(item.clientId)}>
              {failure}
            </button>
          ) : item.status === 'uploading' ? (
            `${item.percent ?? 0}%`
          ) : (
            t.sending
          )}
        </span>
      </div>
    </li>
  );
}
