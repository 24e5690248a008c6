import { AgentReport, ChannelReport, CreateExportScheduleBody, CsatReport, ExportFileList, ExportSchedule, ExportScheduleList, IdParams, QueueReport, ReportConversationList, ReportConversationsQuery, ReportExportQuery, ReportQuery, Wallboard } from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { Analytics } from './analytics.service.ts';
import { CONTENT_TYPES } from './export-stream.ts';

const WallboardQuery = z.object({ tz: z.string().trim().min(1).max(64).optional(), serviceLevelSeconds: z.coerce.number().int().min(1).max(3600).optional() });

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
  http.get('/v1/reports/conversations', { preHandler: supervisor, schema: { tags, summary: 'Drill-down: the ended conversations behind a figure (a bucket of a queue, agent, channel or CSAT)', description: `${range}; queueId, agentId, channelId, rated=true as the reports time them`, querystring: ReportConversationsQuery, response: { 200: ReportConversationList } } }, (request) =>
    analytics.conversations(principalOf(request).appId, request.query),
  );
  http.get('/v1/reports/wallboard', { preHandler: supervisor, schema: { tags, summary: 'The live wallboard now (pushed to supervisors as `wallboard` frames after this)', description: 'tz: the zone of "today" for this app\'s pushed frames too; serviceLevelSeconds', querystring: WallboardQuery, response: { 200: Wallboard } } }, (request) =>
    analytics.wallboard(principalOf(request).appId, request.query),
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

  http.post('/v1/reports/export-schedules', { preHandler: supervisor, schema: { tags, summary: 'Export every local day or week, by a job, the period just ended', body: CreateExportScheduleBody, response: { 201: ExportSchedule } } }, async (request, reply) => {
    const principal = principalOf(request);
    const by = principal.kind === 'agent' ? principal.agentId : principal.kind === 'apiKey' ? principal.keyId : 'unknown';
    return reply.code(201).send(await analytics.createSchedule(principal.appId, by, request.body));
  });
  http.get('/v1/reports/export-schedules', { preHandler: supervisor, schema: { tags, summary: 'The scheduled exports', response: { 200: ExportScheduleList } } }, async (request) => ({
    schedules: await analytics.listSchedules(principalOf(request).appId),
  }));
  http.delete('/v1/reports/export-schedules/:id', { preHandler: supervisor, schema: { tags, summary: 'Stop a scheduled export (its files stay)', params: IdParams } }, async (request, reply) => {
    await analytics.deleteSchedule(principalOf(request).appId, request.params.id);
    return reply.code(204).send();
  });
  http.get('/v1/reports/export-files', { preHandler: supervisor, schema: { tags, summary: 'Files the scheduled exports wrote, newest first', response: { 200: ExportFileList } } }, async (request) => ({
    files: await analytics.listFiles(principalOf(request).appId),
  }));
  http.get('/v1/reports/export-files/:id', { preHandler: supervisor, schema: { tags, summary: 'Download a file a scheduled export wrote', params: IdParams } }, async (request, reply) => {
    const file = await analytics.openFile(principalOf(request).appId, request.params.id);
    return reply.header('content-type', CONTENT_TYPES[file.format]).header('content-length', file.sizeBytes).header('content-disposition', `attachment; filename="${file.fileName}"`).send(file.body);
  });
}
