import { RateConversationBody, type Rating, type RateConversationInput } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import type { Principal } from '../../platform/principal.ts';
import type { Database } from '../../platform/storage/schema.ts';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Events } from '../../events.ts';
import { ConversationError } from './conversations.errors.ts';
import type { ConversationsService } from './conversations.service.ts';

/**
 * Satisfaction ratings (CSAT, SPEC M11): 1–5 stars and an optional comment, given by the
 * conversation's visitor at any time during or after it. One rating per conversation: a new
 * one replaces the stars and the comment (the last one wins), `createdAt` stays the first.
 * Whoever may read the conversation (its visitor, the app's staff) may read its rating.
 */
export function createRatingsService({ storage, clock, events, conversations }: { storage: Storage; clock: Clock; events: Events; conversations: Pick<ConversationsService, 'readable'> }) {
  const { db } = storage;

  return {
    async rateConversation(principal: Principal, conversationId: string, input: RateConversationInput): Promise<Rating> {
      const conversation = await conversations.readable(principal, conversationId);
      if (principal.kind !== 'visitor') throw new ConversationError('FD_AUTH_FORBIDDEN', "only the conversation's visitor may rate it");
      const parsed = RateConversationBody.safeParse(input);
      if (!parsed.success) {
        throw new ConversationError('FD_REQ_INVALID', `invalid rating: ${parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ')}`);
      }
      const comment = parsed.data.comment ? parsed.data.comment : null;
      const now = clock.now();
      const row = await events.transaction(async ({ tx, emit }) => {
        const stored = await tx
          .insertInto('ratings')
          .values({
            conversation_id: conversation.id,
            app_id: principal.appId,
            visitor_id: principal.visitorId,
            stars: parsed.data.stars,
            comment,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.column('conversation_id').doUpdateSet({ stars: parsed.data.stars, comment, updated_at: now }))
          .returningAll()
          .executeTakeFirstOrThrow();
        await emit('conversation.rated', { appId: principal.appId, rating: toRating(stored), agentId: conversation.agentId });
        return stored;
      });
      return toRating(row);
    },

    /** The rating as a list (empty while there is none): a screen asks without an expected 404. */
    async listRatings(principal: Principal, conversationId: string): Promise<Rating[]> {
      await conversations.readable(principal, conversationId);
      const row = await db.selectFrom('ratings').selectAll().where('app_id', '=', principal.appId).where('conversation_id', '=', conversationId).executeTakeFirst();
      return row ? [toRating(row)] : [];
    },

    /** A conversation's rating, for the modules that derive data from it (reports rebuilding their rows). */
    async ratingOf(appId: string, conversationId: string): Promise<Rating | undefined> {
      const row = await db.selectFrom('ratings').selectAll().where('app_id', '=', appId).where('conversation_id', '=', conversationId).executeTakeFirst();
      return row ? toRating(row) : undefined;
    },

    async getRating(principal: Principal, conversationId: string): Promise<Rating> {
      await conversations.readable(principal, conversationId);
      const row = await db.selectFrom('ratings').selectAll().where('app_id', '=', principal.appId).where('conversation_id', '=', conversationId).executeTakeFirst();
      if (!row) throw new ConversationError('FD_RATING_NOT_FOUND', `conversation ${conversationId} has not been rated`);
      return toRating(row);
    },
  };
}

function toRating(row: Database['ratings']): Rating {
  return {
    conversationId: row.conversation_id,
    visitorId: row.visitor_id,
    stars: row.stars,
    comment: row.comment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type RatingsService = ReturnType<typeof createRatingsService>;
