import { AgentReport, ChannelReport, CsatReport, QueueReport, ReportExportQuery, ReportQuery } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { Analytics } from './analytics.service.ts';

/** Historical reports, for supervisors and admins, of the caller's app only. */
export function registerAnalyticsRoutes(http: HttpServer, { analytics, auth }: { analytics: Analytics; auth: AuthHooks }) {
  const supervisor = auth.staff('supervisor');
  const tags = ['reports'];
  const range = 'from, to: ms or ISO 8601 (wall time in tz without an offset); tz: IANA zone; interval: hour, day or week';

  http.get('/v1/reports/queues', { preHandler: supervisor, schema: { tags, summary: 'Per queue: offered, answered, abandoned, service level, speed of answer, handle and wrap-up time', description: range, querystring: ReportQuery, response: { 200: QueueReport } } }, (request) =>
    analytics.queues(principalOf(request).appId, request.query),
  );
  http.get('/v1/reports/agents', { preHandler: supervisor, schema: { tags, summary: 'Per agent: conversations and calls handled, response times, occupancy, time in each status, offers, CSAT', description: range, querystring: ReportQuery, response: { 200: AgentReport } } }, (request) =>
    analytics.agents(principalOf(request).appId, request.query),
  );
  http.get('/v1/reports/channels', { preHandler: supervisor, schema: { tags, summary: 'Per channel: volumes, bot-resolved share, hand-off rate', description: range, querystring: ReportQuery, response: { 200: ChannelReport } } }, (request) =>
    analytics.channels(principalOf(request).appId, request.query),
  );
  http.get('/v1/reports/csat', { preHandler: supervisor, schema: { tags, summary: 'CSAT: the count, average and distribution of ratings', description: range, querystring: ReportQuery, response: { 200: CsatReport } } }, (request) =>
    analytics.csat(principalOf(request).appId, request.query),
  );

  http.get(
    '/v1/reports/export',
    {
      preHandler: supervisor,
      schema: { tags, summary: 'One row per conversation (or call) of the range, as CSV or XLSX, streamed', description: `${range}; kind: conversations or calls; format: csv or xlsx`, querystring: ReportExportQuery },
    },
    async (request, reply) => {
      const { fileName, contentType, body } = await analytics.exportRows(principalOf(request).appId, request.query);
      return reply.header('content-type', contentType).header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(body);
    },
  );
}
