import type { z } from 'zod';
import { AnyChatError } from './anychat.errors.ts';

export type Reply = Record<string, unknown>;
/** One gateway method: the app and the JSON body in, the reply's fields (besides return_code) out. */
export type Method = (appId: string, body: unknown) => Promise<Reply>;

/** A body as `schema` says, or BODY_INVALID (100703) naming what is wrong. */
export function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new AnyChatError('BODY_INVALID', `body: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return result.data;
}
