import { randomInt } from 'node:crypto';
import type { Clock } from '../../platform/clock.ts';
import { sha256Hex } from '../../platform/crypto/index.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import { CobrowseError } from './cobrowse.errors.ts';

/** Letters and digits that cannot be mistaken for each other when read out (no 0/O, 1/I/L). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** 8 characters of 31: about 40 bits; with single use and a 10-minute life, guessing one is hopeless. */
const CODE_LENGTH = 8;
export const CODE_TTL_MS = 10 * 60_000;

/** A code as typed: spaces and dashes ignored, any case. */
export const normalizeCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

/**
 * Short codes that tie the browser extension to a conversation: the agent creates one and reads it
 * out; the visitor types it into the extension, which redeems it once for a session of that
 * conversation's visitor. Only a digest is stored.
 */
export function createCobrowseCodes(deps: { storage: Storage; clock: Clock }) {
  const { storage, clock } = deps;
  return {
    async create(input: { appId: string; conversationId: string; visitorId: string; agentId: string }): Promise<{ code: string; expiresAt: number }> {
      const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
      const expiresAt = clock.now() + CODE_TTL_MS;
      await storage.db
        .insertInto('cobrowse_codes')
        .values({ code_hash: sha256Hex(`${input.appId}:${code}`), app_id: input.appId, conversation_id: input.conversationId, visitor_id: input.visitorId, created_by: input.agentId, expires_at: expiresAt, used_at: null })
        .execute();
      return { code, expiresAt };
    },

    /** The conversation and visitor of a valid, unused code of this app; the code is used up. */
    async redeem(appId: string, code: string): Promise<{ conversationId: string; visitorId: string }> {
      const now = clock.now();
      const hash = sha256Hex(`${appId}:${normalizeCode(code)}`);
      // One statement marks it used: two redemptions of one code cannot both succeed.
      const row = await storage.db
        .updateTable('cobrowse_codes')
        .set({ used_at: now })
        .where('code_hash', '=', hash)
        .where('app_id', '=', appId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['conversation_id', 'visitor_id'])
        .executeTakeFirst();
      if (!row) throw new CobrowseError('FD_COBROWSE_NOT_FOUND', 'this code is not valid (wrong, used or expired)');
      return { conversationId: row.conversation_id, visitorId: row.visitor_id };
    },
  };
}
