import { IdParams, RateConversationBody, Rating, RatingList, RatingsQuery } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { RatingsService } from './ratings.ts';

export function registerRatingRoutes(http: HttpServer, { ratings, auth }: { ratings: RatingsService; auth: AuthHooks }) {
  const tags = ['conversations'];

  http.put(
    '/v1/conversations/:id/rating',
    {
      preHandler: auth.anyone,
      schema: { tags, summary: "Visitor: rate the conversation (1–5 stars, optional comment), during or after it; the last rating wins", params: IdParams, body: RateConversationBody, response: { 200: Rating } },
    },
    (request) => ratings.rateConversation(principalOf(request), request.params.id, request.body),
  );

  http.get(
    '/v1/conversations/:id/rating',
    { preHandler: auth.anyone, schema: { tags, summary: "The conversation's rating (its visitor and the app's staff)", params: IdParams, response: { 200: Rating } } },
    (request) => ratings.getRating(principalOf(request), request.params.id),
  );

  http.get(
    '/v1/ratings',
    {
      preHandler: auth.anyone,
      schema: { tags, summary: "A conversation's rating as a list, empty while it has none (its visitor and the app's staff)", querystring: RatingsQuery, response: { 200: RatingList } },
    },
    async (request) => ({ ratings: await ratings.listRatings(principalOf(request), request.query.conversationId) }),
  );
}
