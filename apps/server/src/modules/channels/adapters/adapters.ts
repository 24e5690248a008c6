import type { ChannelAdapter, Provider } from './channel-adapter.ts';
import { messengerAdapter } from './messenger/messenger.adapter.ts';
import { telegramAdapter } from './telegram/telegram.adapter.ts';
import { viberAdapter } from './viber/viber.adapter.ts';
import { whatsappAdapter } from './whatsapp/whatsapp.adapter.ts';

/** Every provider's adapter, by provider name. */
export const ADAPTERS: Readonly<Record<Provider, ChannelAdapter>> = {
  whatsapp: whatsappAdapter,
  messenger: messengerAdapter,
  telegram: telegramAdapter,
  viber: viberAdapter,
};
