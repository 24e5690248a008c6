import { z } from 'zod';

/** Used when a channel lists no hand-off keywords of its own. */
export const DEFAULT_HAND_OFF_KEYWORDS: readonly string[] = ['转人工', '人工', 'human', 'agent'];

export const Faq = z.object({
  id: z.string().min(1).max(64),
  question: z.string().trim().min(1).max(500),
  /** Words an admin expects visitors to use; weighed most when matching. */
  keywords: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  answer: z.string().trim().min(1).max(5000),
  /** The language the FAQ is written in ('zh', 'en', …); for the admin console, matching ignores it. */
  locale: z.string().min(2).max(16).optional(),
});
export type Faq = z.infer<typeof Faq>;

/** Per-channel bot settings (SPEC M10). Like Huawei's web channel, the bot is off until turned on. */
export const BotSettings = z.object({
  enabled: z.boolean().default(false),
  name: z.string().trim().min(1).max(64),
  avatarUrl: z.url().max(2048).optional(),
  /** Sent when the bot does not understand. */
  defaultReply: z.string().trim().min(1).max(2000),
  /** Sent by the shell's timer when the visitor's session times out; the core does not use it. */
  timeoutReply: z.string().trim().min(1).max(2000),
  handOffKeywords: z.array(z.string().trim().min(1).max(64)).max(50).default([...DEFAULT_HAND_OFF_KEYWORDS]),
  /** Sent when the visitor is handed to a human. */
  handOffText: z.string().trim().min(1).max(2000),
  faqs: z
    .array(Faq)
    .max(2000)
    .default([])
    .superRefine((faqs, ctx) => {
      const seen = new Set<string>();
      for (const [i, faq] of faqs.entries()) {
        if (seen.has(faq.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate FAQ id "${faq.id}"` });
        seen.add(faq.id);
      }
    }),
});
export type BotSettings = z.infer<typeof BotSettings>;
