import type { Locale } from '../launcher.ts';

/** The call screen's screen share strings, per locale (bundled with the call screen). */
export interface ScreenShareStrings {
  invite: string;
  share: string;
  notNow: string;
  sharing: string;
  stop: string;
  failed: string;
  agentScreen: string;
}

export const SCREEN_SHARE_STRINGS: Record<Locale, ScreenShareStrings> = {
  en: {
    invite: 'The agent asks to see your screen. You choose what to share, and you can stop at any time.',
    share: 'Share my screen',
    notNow: 'Not now',
    sharing: 'You are sharing your screen.',
    stop: 'Stop sharing',
    failed: 'Your screen could not be shared.',
    agentScreen: "The agent's screen",
  },
  zh: {
    invite: '客服请求查看你的屏幕。由你选择共享的内容，你可以随时停止。',
    share: '共享我的屏幕',
    notNow: '暂不',
    sharing: '你正在共享屏幕。',
    stop: '停止共享',
    failed: '无法共享你的屏幕。',
    agentScreen: '客服的屏幕',
  },
  ar: {
    invite: 'يطلب الموظف رؤية شاشتك. أنت تختار ما تشاركه، ويمكنك الإيقاف في أي وقت.',
    share: 'مشاركة شاشتي',
    notNow: 'ليس الآن',
    sharing: 'أنت تشارك شاشتك.',
    stop: 'إيقاف المشاركة',
    failed: 'تعذّرت مشاركة شاشتك.',
    agentScreen: 'شاشة الموظف',
  },
  es: {
    invite: 'El agente pide ver tu pantalla. Tú eliges qué compartir y puedes detenerlo en cualquier momento.',
    share: 'Compartir mi pantalla',
    notNow: 'Ahora no',
    sharing: 'Estás compartiendo tu pantalla.',
    stop: 'Dejar de compartir',
    failed: 'No se pudo compartir tu pantalla.',
    agentScreen: 'La pantalla del agente',
  },
  pt: {
    invite: 'O agente pede para ver sua tela. Você escolhe o que compartilhar e pode parar a qualquer momento.',
    share: 'Compartilhar minha tela',
    notNow: 'Agora não',
    sharing: 'Você está compartilhando sua tela.',
    stop: 'Parar de compartilhar',
    failed: 'Não foi possível compartilhar sua tela.',
    agentScreen: 'A tela do agente',
  },
  fr: {
    invite: "L'agent demande à voir votre écran. Vous choisissez ce que vous partagez et pouvez arrêter à tout moment.",
    share: 'Partager mon écran',
    notNow: 'Pas maintenant',
    sharing: 'Vous partagez votre écran.',
    stop: 'Arrêter le partage',
    failed: "Votre écran n'a pas pu être partagé.",
    agentScreen: "L'écran de l'agent",
  },
};
