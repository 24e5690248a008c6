import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Config } from './config/config.ts';
import { createGateway } from './gateway/gateway.ts';
import { createCompatSettings, registerCompatRoutes, registerVtcRoutes } from './modules/compat/index.ts';
import { createChannelsService, createWebChannel, registerChannelRoutes, type WebChannel } from './modules/channels/index.ts';
import { createConversationsService, createNotesService, createRatingsService, registerConversationRoutes, registerNoteRoutes, registerRatingRoutes } from './modules/conversations/index.ts';
import { createCannedResponsesService, registerCannedResponseRoutes } from './modules/canned-responses/index.ts';
import { checkValidateUrl, createAgentSessions, createIdentityService, createSdkLogin, createTokenSigner, registerIdentityRoutes, registerSdkLoginRoutes } from './modules/identity/index.ts';
import { createRoutingService, createRoutingShell, registerRoutingRoutes, webhookEventsOf } from './modules/routing/index.ts';
import { createTenancyService, registerTenancyRoutes } from './modules/tenancy/index.ts';
import { createPresence, registerPresenceRoutes } from './modules/presence/index.ts';
import { createTransparentChannel, registerTransparentRoutes } from './modules/transparent/index.ts';
import { createOutbox, createWebhooks, registerWebhookRoutes } from './modules/webhooks/index.ts';
import { createReports, recordEndedConversations, registerReportsRoutes } from './modules/reports/index.ts';
import { registerDemoRoutes } from './demo/demo.routes.ts';
import { registerStaticApps } from './platform/http/static-apps.ts';
import { registerRestCors } from './platform/http/cors.ts';
import { createInProcessBus, type Bus } from './platform/bus.ts';
import { createPostgresBus, type MessageRef } from './platform/postgres-bus.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { DomainError } from './platform/errors.ts';
import { createAuthHooks } from './platform/http/auth.ts';
import { createHttpServer } from './platform/http/http-server.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { openStorage, type Storage } from './platform/storage/storage.ts';

export interface AppOverrides {
  clock?: Clock;
  log?: Logger;
  bus?: Bus;
}

/**
 * The composition root: platform first, then each module with its dependencies passed
 * in, then HTTP and the WebSocket gateway. Tests build the same graph with test config.
 */
export async function buildApp(config: Config, overrides: AppOverrides = {}) {
  const log = overrides.log ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const storage: Storage = await openStorage({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    sqliteSync: config.sqliteSync,
  });
  // Several nodes share PostgreSQL: events reach the clients of every node through it.
  const loadMessage = async (ref: MessageRef) => {
    const conversation = await conversations.findConversation(ref.appId, ref.conversationId);
    const [message] = await conversations.messagesAfter(ref.appId, ref.conversationId, ref.seq - 1, 1);
    return conversation && message ? { conversation, message } : undefined;
  };
  const bus = overrides.bus ?? (storage.dialect === 'postgres' ? await createPostgresBus({ storage, log, loadMessage }) : createInProcessBus());

  // Events for business backends are written in the transaction of their change, delivered by workers.
  // Each conversation.closed event also leaves a CDR-write job (reports, on platform/jobs) in the same transaction.
  const outbox = recordEndedConversations(createOutbox({ clock }));
  // Requests to business backends (webhooks, data push): the SSRF guard's exceptions and the timeout.
  const outbound = { allowPrivateTargets: config.webhookAllowPrivateTargets, allowedTargets: config.webhookAllowedTargets, fetchTimeoutMs: config.webhookTimeoutMs, retentionMs: config.deliveryLogRetentionMs };
  // AnyChat-format subscriptions (SPEC M36) sign their notifies with the app's gateway secret (read when sending).
  const webhooks = createWebhooks({ storage, clock, log, ...outbound, secretOf: (appId) => tenancy.gatewaySecretOf(appId) });
  const tenancy = createTenancyService({ storage, clock });
  const tokens = await createTokenSigner({ storage, clock, configuredSecret: config.jwtSecret });
  // Visitor identity modes (SPEC M2–M5): a channel's settings and secret are read when a session starts.
  const targetPolicy = { allowPrivateTargets: config.webhookAllowPrivateTargets, allowedTargets: config.webhookAllowedTargets };
  const identity = createIdentityService({
    storage,
    clock,
    tokens,
    tenancy,
    publicUrl: config.publicUrl,
    sessions: createAgentSessions({ storage, clock, bus }),
    log,
    channelOf: (appId, channelId) => channels.resolveChannel(appId, channelId),
    identitySecretOf: (appId, channelId) => channels.identitySecret(appId, channelId),
    targetPolicy,
    tokenValidateTimeoutMs: config.webhookTimeoutMs,
    maxThirdPartyUsersPerApp: config.vtcMaxUsersPerApp,
  });
  const channels = createChannelsService({
    storage,
    clock,
    queueExists: (appId, queueId) => routing.queueExists(appId, queueId),
    checkValidateUrl: (url) => checkValidateUrl(url, targetPolicy),
  });
  const conversations = createConversationsService({
    storage,
    bus,
    clock,
    filesDir: path.join(config.dataDir, 'files'),
    uploadMaxBytes: config.uploadMaxBytes,
    agentOf: (appId, agentId) => identity.getAgent(appId, agentId),
    channelOf: async (appId, channelId, visitorId) => {
      const channel = await channels.resolveChannel(appId, channelId);
      await identity.assertVisitorMayUseChannel(appId, visitorId, { id: channel.id, identityMode: channel.identity.mode });
      return { id: channel.id, botEnabled: channel.bot.enabled };
    },
    hooks: () => webChannel.hooks,
    outbox,
  });
  // Routing decisions reach conversations in the routing transaction, and this node's clients
  // (the gateway, queue reminders) after commit or after replaying another node's log entries.
  const shell = createRoutingShell({
    storage,
    clock,
    log,
    port: () => ({
      apply: async (tx, decided) => {
        await outbox.enqueue(tx, webhookEventsOf(decided));
        return conversations.routingPort.apply(tx, decided);
      },
      announce: (decided) => {
        gateway.onRouting(decided);
        webChannel.onDecisions(decided.appId, decided.actions);
      },
    }),
  });
  const routing = createRoutingService({
    storage,
    clock,
    shell,
    agentProfile: (appId, agentId) => identity.getAgent(appId, agentId),
    channelsUsingQueue: async (appId, queueId) => (await channels.listChannels(appId)).filter((c) => c.queueId === queueId).map((c) => c.name),
  });
  const webChannel: WebChannel = createWebChannel({
    clock,
    log,
    channels,
    conversations,
    routing,
    notifyVisitor: (appId, visitorId, frame) => gateway.notifyVisitor(appId, visitorId, frame),
  });
  const ratings = createRatingsService({ storage, clock, conversations, outbox });
  const reports = createReports({
    storage,
    clock,
    log,
    ...outbound,
    sources: {
      findConversation: (appId, id) => conversations.findConversation(appId, id),
      conversationRouting: (appId, id) => routing.conversationRouting(appId, id),
      queuesOf: (appId) => routing.listQueues(appId),
      agentOf: (appId, agentId) => identity.getAgent(appId, agentId),
    },
  });

  const http = await createHttpServer({ log, bodyLimitBytes: 1024 * 1024 });
  const auth = createAuthHooks(identity.resolvePrincipal);
  registerRestCors(http);
  http.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await storage.ping();
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
  registerTenancyRoutes(http, { tenancy, auth });
  registerIdentityRoutes(http, { identity, auth });
  registerSdkLoginRoutes(http, { sdkLogin: createSdkLogin({ storage, clock, identity, publicUrl: config.publicUrl }), auth });
  registerConversationRoutes(http, { conversations, auth, uploadMaxBytes: config.uploadMaxBytes });
  registerChannelRoutes(http, { channels, auth, clock });
  registerRatingRoutes(http, { ratings, auth });
  registerNoteRoutes(http, { notes: createNotesService({ storage, clock, conversations }), auth });
  registerCannedResponseRoutes(http, { cannedResponses: createCannedResponsesService({ storage, clock }), auth });
  registerWebhookRoutes(http, { webhooks, auth });
  registerReportsRoutes(http, { reports, auth });
  registerRoutingRoutes(http, { routing, auth, conversationOf: (principal, id) => conversations.readable(principal, id) });
  registerDemoRoutes(http, { isDemoOn: config.demo !== 'off' });
  await registerStaticApps(http);
  const transparent = createTransparentChannel({
    storage,
    bus,
    outbox,
    userOf: async (appId, userId) => {
      const isAgent = await identity.getAgent(appId, userId).then(
        () => true,
        (err) => (err instanceof DomainError && err.code === 'FD_AGENT_NOT_FOUND' ? false : Promise.reject(err)),
      );
      if (!isAgent) await identity.getVisitor(appId, userId);
      return { kind: isAgent ? ('agent' as const) : ('visitor' as const) };
    },
  });
  registerTransparentRoutes(http, { transparent, auth });
  const presence = createPresence({ storage, clock, log });
  registerPresenceRoutes(http, { presence, auth });
  registerCompatRoutes(http, { tenancy, routing, identity, conversations, transparent, presence, settings: createCompatSettings({ storage, clock }), clock, auth });
  registerVtcRoutes(http, { storage, clock, tenancy, identity });

  const gateway = createGateway({ log, clock, bus, tenancy, identity, conversations, routing, transparent, presence, publicUrl: config.publicUrl, heartbeatIntervalMs: config.heartbeatIntervalMs, agentSignOutMs: config.agentSignOutMs });
  await presence.start();
  await shell.start();
  webChannel.start();
  webhooks.start();
  reports.start();
  http.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void gateway.handleUpgrade(request, socket, head));

  return {
    config,
    log,
    storage,
    http,
    gateway,
    services: { tenancy, identity, conversations, channels, ratings, routing, webhooks, reports },
    /** Listens on config.host:config.port (0 = any free port) and returns the base URL. */
    async listen(): Promise<string> {
      await http.listen({ port: config.port, host: config.host });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    },
    async close(): Promise<void> {
      webChannel.close();
      await gateway.close();
      await presence.close();
      await http.close();
      identity.closeVisitorSessions();
      await shell.close();
      await webhooks.close();
      await reports.close();
      await bus.close();
      await storage.close();
    },
  };
}

export type FrontdeskApp = Awaited<ReturnType<typeof buildApp>>;
