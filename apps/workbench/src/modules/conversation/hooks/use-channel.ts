import type { ConversationChannel, MessageTemplate } from '@frontdesk/sdk-agent';
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../../../app/client-context.tsx';

/** How often a messaging channel's deliveries and window are read again while the pane is open. */
const CHANNEL_REFRESH_MS = 5000;

/**
 * A session's messaging channel (WhatsApp, Messenger, Telegram, Viber): the window and the
 * delivery of each message, read again every few seconds; null for a web chat. The templates of a
 * WhatsApp channel are read once.
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
  useEffect(() => {
    if (isWebChat) return;
    void load();
    const timer = setInterval(() => void load(), CHANNEL_REFRESH_MS);
    return () => clearInterval(timer);
  }, [load, isWebChat]);
  // A new message (ours to send, or the user's opening the window again): read again now.
  useEffect(() => {
    if (messageCount > 0 && !isWebChat) void load();
  }, [load, messageCount, isWebChat]);

  const channelId = channel?.provider === 'whatsapp' ? channel.channelId : null;
  useEffect(() => {
    if (!channelId) return setTemplates([]);
    void client.Chat.getChannelTemplates({ channelId }).then((result) => setTemplates(result.status === 'success' ? result.data.filter((t) => t.status === 'APPROVED') : []));
  }, [client, channelId]);

  return { channel, templates, reload: load };
}
