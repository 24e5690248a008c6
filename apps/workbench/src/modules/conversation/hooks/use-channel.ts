import type { ConversationChannel, MessageDelivery, MessageTemplate } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** The deliveries with the changed ones put in (by message id); a delivery not known yet is added. Pure. */
export function mergeDeliveries(current: readonly MessageDelivery[], changed: readonly MessageDelivery[]): MessageDelivery[] {
  const byId = new Map(current.map((d) => [d.messageId, d]));
  for (const d of changed) {
    const known = byId.get(d.messageId);
    // NOTE: events may cross a read of the whole list: the later write of a delivery wins.
    if (!known || known.updatedAt <= d.updatedAt) byId.set(d.messageId, d);
  }
  return [...byId.values()];
}

/**
 * A session's messaging channel (WhatsApp, Messenger, Telegram, Viber): the window and the
 * delivery of each message; null for a web chat. Read when the session opens and when a message
 * arrives (the window moves); delivery changes come live over the socket (`delivery` events).
 * The templates of a WhatsApp channel are read once.
 */
export function useChannel(sessionId: string, messageCount: number) {
  const client = useClient();
  const [channel, setChannel] = useState<ConversationChannel | null>(null);
  const [templates, setTemplates] = useState<MessageTemplate[]>([]);

  // NOTE: a web chat never becomes a channel's: once answered null, the session is not read again.
  const [isWebChat, setIsWebChat] = useState(false);
  const load = useCallback(async () => {
    const result = await client.Chat.getChannel({ sessionId });
    if (result.status !== 'success') return;
    setChannel(result.data);
    if (result.data === null) setIsWebChat(true);
  }, [client, sessionId]);

  useEffect(() => {
    setChannel(null);
    setIsWebChat(false);
  }, [sessionId]);
  useEffect(
    () =>
      client.on('delivery', ({ sessionId: changedIn, deliveries }) => {
        if (changedIn !== sessionId) return;
        setChannel((current) => current && { ...current, deliveries: mergeDeliveries(current.deliveries, deliveries) });
      }),
    [client, sessionId],
  );
  // Read when the session opens, and again on a new message (ours to send, or the user's opening the window again).
  // NOTE: one effect: two (open, message count) both fired on opening a session, reading it twice.
  useEffect(() => {
    if (!isWebChat) void load();
  }, [load, messageCount, isWebChat]);

  const channelId = channel?.provider === 'whatsapp' ? channel.channelId : null;
  useEffect(() => {
    if (!channelId) return setTemplates([]);
    void client.Chat.getChannelTemplates({ channelId }).then((result) => setTemplates(result.status === 'success' ? result.data.filter((t) => t.status === 'APPROVED') : []));
  }, [client, channelId]);

  return { channel, templates, reload: load };
}
