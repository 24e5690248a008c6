import { Cdr, CdrList, DataPushDeliveryList, DataPushSettings, IdParams, ListCdrsQuery, ListDataPushDeliveriesQuery, PutDataPushBody, SessionIdParams } from '@frontdesk/protocol';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { Reports } from './reports.service.ts';

/** CDR reconciliation (supervisors and up) and the TCCC data push settings (admins), within the caller's app. */
export function registerReportsRoutes(http: HttpServer, { reports, auth }: { reports: Reports; auth: AuthHooks }) {
  const supervisor = auth.staff('supervisor');
  const admin = auth.staff('admin');
  const tags = ['reports'];

  http.get('/v1/cdrs', { preHandler: supervisor, schema: { tags, summary: 'CDRs of sessions that ended in [from, to) (ms), oldest first', querystring: ListCdrsQuery, response: { 200: CdrList } } }, (request) =>
    reports.listCdrs(principalOf(request).appId, request.query),
  );

  http.get('/v1/cdrs/:sessionId', { preHandler: supervisor, schema: { tags, summary: "One session's CDR", params: SessionIdParams, response: { 200: Cdr } } }, (request) =>
    reports.getCdr(principalOf(request).appId, request.params.sessionId),
  );

  http.get('/v1/data-push', { preHandler: admin, schema: { tags, summary: 'The TCCC data push settings (secrets are never shown)', response: { 200: DataPushSettings } } }, (request) =>
    reports.getDataPush(principalOf(request).appId),
  );

  http.put(
    '/v1/data-push',
    { preHandler: admin, schema: { tags, summary: 'Set the TCCC data push: each CDR is POSTed to {url}?action=cdr&version=1', body: PutDataPushBody, response: { 200: DataPushSettings } } },
    (request) => reports.putDataPush(principalOf(request).appId, request.body),
  );

  http.get(
    '/v1/data-push/deliveries',
    { preHandler: admin, schema: { tags, summary: 'The data push delivery log, newest first, with every attempt', querystring: ListDataPushDeliveriesQuery, response: { 200: DataPushDeliveryList } } },
    (request) => reports.listPushDeliveries(principalOf(request).appId, request.query),
  );

  http.post(
    '/v1/data-push/deliveries/:id/replay',
    { preHandler: admin, schema: { tags, summary: 'Push a CDR again from its first attempt (same push UUID)', params: IdParams } },
    async (request, reply) => {
      await reports.replayPushDelivery(principalOf(request).appId, request.params.id);
      return reply.code(202).send();
    },
  );
}
