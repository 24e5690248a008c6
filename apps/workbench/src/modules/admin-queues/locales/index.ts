import { stringsOf } from '../../../app/locale.ts';
import { en, type QueueStrings } from './en.ts';
import { zh } from './zh.ts';

export type { QueueStrings };
export const QUEUE_STRINGS = { en, zh };

/** The queue screens' strings in the page's language. */
export const queueStrings = (): QueueStrings => stringsOf(QUEUE_STRINGS);
