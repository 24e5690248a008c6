import { IdParams, Recording, RecordingLink, RecordingList, RecordingPolicy, RecordingPolicyList, RecordingPolicyScope, RenameRecordingBody, SetRecordingPolicyBody } from '@frontdesk/protocol';
import { z } from 'zod';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import { MAX_LINK_TTL_S, type RecordingsService } from './recordings.service.ts';

const FileName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

/**
 * REST surfaces of call recordings (SPEC M25): policies (admins), the app's recordings (staff),
 * signed links, and the signed download itself (no token: the link is the credential, until it expires).
 */
export function registerRecordingsRoutes(http: HttpServer, { recordings, auth }: { recordings: RecordingsService; auth: AuthHooks }) {
  const tags = ['recordings'];
  const staff = auth.staff('agent');
  const admin = auth.staff('admin');

  http.get(
    '/v1/recording-policies',
    { preHandler: staff, schema: { tags, summary: 'How the calls of each queue and channel are recorded (staff)', response: { 200: RecordingPolicyList } } },
    async (request) => ({ policies: await recordings.policies(principalOf(request)) }),
  );
  http.put(
    '/v1/recording-policies/:scope/:scopeId',
    {
      preHandler: admin,
      schema: { tags, summary: "Record a queue's or channel's calls: off, audio or audio_video, kept retentionDays (admins)", params: z.object({ scope: RecordingPolicyScope, scopeId: z.string().min(1).max(64) }), body: SetRecordingPolicyBody, response: { 200: RecordingPolicy } },
    },
    (request) => recordings.setPolicy(principalOf(request), request.params.scope, request.params.scopeId, request.body),
  );
  http.get(
    '/v1/recordings',
    {
      preHandler: staff,
      schema: { tags, summary: "The app's call recordings, newest first (staff)", querystring: z.object({ conversationId: z.string().min(1).max(64).optional(), limit: z.coerce.number().int().min(1).max(200).optional() }), response: { 200: RecordingList } },
    },
    async (request) => ({ recordings: await recordings.list(principalOf(request), request.query) }),
  );
  http.get('/v1/recordings/:id', { preHandler: staff, schema: { tags, summary: 'One call recording (staff)', params: IdParams, response: { 200: Recording } } }, (request) =>
    recordings.get(principalOf(request), request.params.id),
  );
  http.patch('/v1/recordings/:id', { preHandler: staff, schema: { tags, summary: 'Rename a recording (staff)', params: IdParams, body: RenameRecordingBody, response: { 200: Recording } } }, (request) =>
    recordings.rename(principalOf(request), request.params.id, request.body.name),
  );
  http.delete('/v1/recordings/:id', { preHandler: admin, schema: { tags, summary: 'Delete a recording and its files (admins)', params: IdParams, response: { 200: z.object({ ok: z.literal(true) }) } } }, async (request) => {
    await recordings.delete(principalOf(request), request.params.id);
    return { ok: true as const };
  });
  http.post(
    '/v1/recordings/:id/links',
    {
      preHandler: staff,
      schema: { tags, summary: 'A download link for one file of the recording (the mixed file by default) that expires (staff)', params: IdParams, body: z.object({ file: FileName.optional(), ttlSeconds: z.number().int().min(1).max(MAX_LINK_TTL_S).optional() }), response: { 200: RecordingLink } },
    },
    (request) => recordings.linkFor(principalOf(request), request.params.id, request.body),
  );
  http.get(
    '/v1/recording-files/:appId/:recordingId/:name',
    {
      schema: {
        tags,
        summary: 'Download a recording file through a signed link (no token; refused once expired)',
        params: z.object({ appId: z.string().min(1).max(64), recordingId: z.string().min(1).max(64), name: FileName }),
        querystring: z.object({ expires: z.string().max(20).optional(), signature: z.string().max(100).optional() }),
      },
    },
    async (request, reply) => {
      const file = await recordings.download(request.params, request.query);
      return reply
        .header('content-type', file.contentType)
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', `attachment; filename="${file.name}"`)
        .header('cache-control', 'private, no-store')
        .send(file.stream);
    },
  );
}
