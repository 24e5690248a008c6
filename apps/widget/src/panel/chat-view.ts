import type { ChannelPublicView, ConnectionState, Conversation, Message, MessageStatusEvent, QueuePositionData } from '@frontdesk/sdk-visitor';

/** What the panel shows (ChatModel keeps it), and the pure steps that change it. */

/** A message the visitor sent that the server has not stored yet (or refused). */
export interface OutgoingItem {
  clientId: string;
  kind: MessageStatusEvent['kind'];
  text: string;
  status: 'pending' | 'failed' | 'uploading';
  /** 0–100 while a file uploads. */
  percent?: number;
  errorCode?: string;
  /** The limit a file was refused for, in bytes (FD_FILE_TOO_LARGE). */
  limitBytes?: number;
  createdAt: number;
}

/** An agent as the visitor sees them. */
export interface ShownAgent {
  name: string;
  /** The full URL of their avatar, when they have one. */
  avatarUrl: string | null;
}

export interface ChatView {
  connection: ConnectionState;
  /** Set once the first connection is up; before it the panel shows "connecting". */
  ready: boolean;
  channel: ChannelPublicView | null;
  conversation: Conversation | null;
  /** Stored messages of the shown conversation, by seq, each once. */
  messages: Message[];
  outgoing: OutgoingItem[];
  /** Who of the other side is typing now: 'agent' or 'bot'. */
  typing: 'agent' | 'bot' | null;
  /** The agent has read the visitor's messages up to this seq. */
  agentReadSeq: number;
  queue: QueuePositionData | null;
  rated: { stars: number; comment: string } | null;
  /** A failure to show (an error code; the panel maps it to a localized sentence). */
  error: string | null;
  /** The conversation's agents by agent id, as they become known (null while looked up, or when that failed). */
  agents: Readonly<Record<string, ShownAgent | null>>;
  /** The channel's pre-chat form waits for the visitor's answers before a conversation is opened. */
  preChat: boolean;
}

/** What the leave-a-message form sends. */
export interface LeftMessageInput {
  name: string;
  email?: string;
  phone?: string;
  message: string;
}

export const INITIAL_CHAT_VIEW: ChatView = {
  connection: 'idle',
  ready: false,
  channel: null,
  conversation: null,
  messages: [],
  outgoing: [],
  typing: null,
  agentReadSeq: 0,
  queue: null,
  rated: null,
  error: null,
  agents: {},
  preChat: false,
};

/**
 * The visitor's unstored sends after a status event that is not `sent` (pending again, or failed).
 * A send already among the stored messages stays out: the server stored it and its acknowledgement is on
 * its way (a send restored from the page's outbox can be in the history that was just read).
 */
export function withStatus(view: Pick<ChatView, 'outgoing' | 'messages'>, event: MessageStatusEvent, now: number): OutgoingItem[] {
  const { outgoing } = view;
  if (view.messages.some((m) => m.clientId === event.clientId)) return outgoing.filter((item) => item.clientId !== event.clientId);
  const existing = outgoing.find((item) => item.clientId === event.clientId);
  const item: OutgoingItem = {
    clientId: event.clientId,
    kind: event.kind,
    text: event.text,
    status: event.status === 'failed' ? 'failed' : existing?.status === 'uploading' ? 'uploading' : 'pending',
    percent: existing?.percent,
    errorCode: event.error?.code,
    createdAt: existing?.createdAt ?? now,
  };
  return existing ? outgoing.map((o) => (o === existing ? item : o)) : [...outgoing, item];
}

export function newClientId(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
