import { stringsOf } from '../../../app/locale.ts';
import { en, type AgentAdminStrings } from './en.ts';
import { zh } from './zh.ts';

export type { AgentAdminStrings };
export const AGENT_ADMIN_STRINGS = { en, zh };

/** The agents screens' strings in the page's language. */
export const agentAdminStrings = (): AgentAdminStrings => stringsOf(AGENT_ADMIN_STRINGS);
