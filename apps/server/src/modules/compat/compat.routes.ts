import { ILL_FORMED_TEXT_MESSAGE, illFormedTextPath } from '@frontdesk/protocol';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { DomainError } from '../../platform/errors.ts';
import { principalOf, type AuthHooks } from '../../platform/http/auth.ts';
import type { HttpServer } from '../../platform/http/http-server.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { isMd5SignatureValid, isRsaPublicKey, isRsaSignatureValid, isTimestampFresh, parseAnyChatTimestamp } from './anychat-signature.ts';
import { AnyChatError, toAnyChatFailure, unexpectedFailure } from './anychat.errors.ts';
import { createAnyChatMethods, type AnyChatDeps } from './anychat.methods.ts';
import type { CompatSettings } from './compat.settings.ts';

const GatewayQuery = z.object({
  method: z.string().min(1).max(32),
  appid: z.string().min(1).max(64),
  timestamp: z.string(),
  signtype: z.string(),
  signstr: z.string().min(1).max(1024),
});

export function registerCompatRoutes(
  http: HttpServer,
  deps: AnyChatDeps & { tenancy: Pick<TenancyService, 'gatewaySecretOf'>; settings: CompatSettings; clock: Clock; auth: AuthHooks },
) {
  const { tenancy, settings, clock, auth } = deps;
  const methods = createAnyChatMethods(deps);

  async function handle(query: unknown, rawBody: string): Promise<Record<string, unknown>> {
    const params = GatewayQuery.safeParse(query);
    if (!params.success) throw new AnyChatError('PARAM_INVALID', 'method, appid, timestamp, signtype and signstr are required');
    const { method, appid, timestamp, signtype, signstr } = params.data;
    const secret = await tenancy.gatewaySecretOf(appid);
    if (secret === undefined) throw new AnyChatError('APPID_NOTEXIST', `appid ${appid} does not exist`);
    let signed: boolean;
    if (signtype.toUpperCase() === 'MD5') signed = isMd5SignatureValid(signstr, method, appid, timestamp, secret);
    else if (signtype.toUpperCase() === 'RSA') {
      const pem = await settings.anyChatRsaPublicKey(appid);
      signed = pem !== null && isRsaSignatureValid(signstr, method, appid, timestamp, pem);
    } else throw new AnyChatError('PARAM_INVALID', `signtype ${signtype} is not MD5 or RSA`);
    if (!signed) throw new AnyChatError('SIGVERIFYFAIL', 'signature verification failed');
    const at = parseAnyChatTimestamp(timestamp);
    if (at === undefined || !isTimestampFresh(at, clock.now())) throw new AnyChatError('SIGTIMEINVALID', 'timestamp is invalid or outside ±5 minutes (read as UTC+8)');
    const run = methods[method];
    if (!run) throw new AnyChatError('PROTOCOLFAIL', `unknown method ${method}`);
    let body: unknown = {};
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        throw new AnyChatError('BODY_INVALID', 'body is not JSON');
      }
      const illFormed = illFormedTextPath(body);
      if (illFormed) throw new AnyChatError('BODY_INVALID', `body.${illFormed.join('.')}: ${ILL_FORMED_TEXT_MESSAGE}`);
    }
    return run(appid, body);
  }

  // Own scope: the body is read raw (any content type, possibly empty) and errors never reach
  // the native `{ error }` handler — every reply is AnyChat's `{ return_code, return_msg }`.
  void http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post('/gateway', { schema: { hide: true } }, async (request, reply) => {
      try {
        const result = await handle(request.query, typeof request.body === 'string' ? request.body : '');
        return reply.code(200).send({ return_code: 'SUCCESS', return_msg: '', ...result });
      } catch (err) {
        // NOTE: seed 003 lists HTTP statuses but says its reply fields are "valid only on 200": a
        // client reads return_code only from a 200, so every answer is a 200, failures included.
        const failure = toAnyChatFailure(err);
        if (failure) return reply.code(200).send(failure.body);
        request.log.error({ err, method: (request.query as Record<string, unknown>)?.method }, 'anychat gateway: unexpected error');
        return reply.code(200).send(unexpectedFailure().body);
      }
    });
  });

  http.put(
    '/v1/compat/anychat',
    {
      preHandler: auth.staff('admin'),
      schema: {
        tags: ['compat'],
        summary: 'Set the RSA public key (PEM) that verifies AnyChat gateway requests signed with signtype=RSA; null clears it',
        body: z.object({ rsaPublicKeyPem: z.string().max(10_000).nullable() }),
        response: { 200: z.object({ rsaPublicKeyPem: z.string().nullable() }) },
      },
    },
    async (request) => {
      const pem = request.body.rsaPublicKeyPem;
      if (pem !== null && !isRsaPublicKey(pem)) throw new DomainError('FD_REQ_INVALID', 'rsaPublicKeyPem is not an RSA public key in PEM');
      await settings.setAnyChatRsaPublicKey(principalOf(request).appId, pem);
      return { rsaPublicKeyPem: pem };
    },
  );
}
