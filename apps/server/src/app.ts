import type { IncomingMessage } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type { Config } from './config/config.ts';
import type { DomainEvents } from './events.ts';
import { createGateway } from './gateway/gateway.ts';
import { registerGatewayListeners } from './gateway/gateway.listeners.ts';
import { callFrames, createCalls, screenShareFrames, openMediaPlane, registerCallRoutes, type MediaServer } from './modules/calls/index.ts';
import { createCapturesService, registerCapturesRoutes } from './modules/captures/index.ts';
import { createCompatSettings, registerCompatRoutes, registerVtcRoutes } from './modules/compat/index.ts';
import {
  createChannelInbound,
  createChannelOutbound,
  createChannelsService,
  createConnections,
  createDeliveryNotifier,
  createProviderHttp,
  registerChannelListeners,
  registerChannelRoutes,
  registerChannelSendRoutes,
  registerChannelWebhookRoutes,
  registerMessagingRoutes,
} from './modules/channels/index.ts';
import { conversationFrames, createConversationsService, createNotesService, createRatingsService, registerConversationListeners, registerConversationRoutes, registerNoteRoutes, registerRatingRoutes } from './modules/conversations/index.ts';
import { createCannedResponsesService, registerCannedResponseRoutes } from './modules/canned-responses/index.ts';
import { createContactsService, registerContactRoutes } from './modules/contacts/index.ts';
import { createWrapUpService, registerWrapUpRoutes } from './modules/wrap-up/index.ts';
import { createConversationFlow, createIdleEnd, createQueueReminders, registerFlowListeners, registerFlowRoutes } from './modules/flow/index.ts';
import { checkValidateUrl, createAgentAvatars, createAgentSessions, registerAgentAvatarRoutes, createLoginThrottle, createIdentityService, createSdkLogin, createTokenSigner, registerIdentityRoutes, registerSdkLoginRoutes } from './modules/identity/index.ts';
import { createRoutingConfig, createRoutingService, createRoutingShell, createStrandedSignIns, registerRoutingRoutes, routingFrames } from './modules/routing/index.ts';
import { createTenancyService, registerTenancyRoutes } from './modules/tenancy/index.ts';
import { createPresence, registerPresenceRoutes } from './modules/presence/index.ts';
import { createTransparentChannel, registerTransparentRoutes, transparentFrames } from './modules/transparent/index.ts';
import { checkTargetUrl, createOutbox, createWebhooks, registerWebhookListeners, registerWebhookRoutes } from './modules/webhooks/index.ts';
import { createRecordingsService, registerRecordingsListeners, registerRecordingsRoutes } from './modules/recordings/index.ts';
import { createReports, registerReportsListeners, registerReportsRoutes } from './modules/reports/index.ts';
import { cobrowseFrames, createCobrowseService, registerCobrowseListeners, registerCobrowseRoutes } from './modules/cobrowse/index.ts';
import { createLocalBlobStore } from './platform/blobs/index.ts';
import { createAnalytics, createWallboardPush, registerAnalyticsListeners, registerAnalyticsRoutes, type WallboardPush } from './modules/analytics/index.ts';
import { createSupervisionService, registerSupervisionRoutes, supervisionFrames } from './modules/supervision/index.ts';
import { registerDemoRoutes } from './demo/demo.routes.ts';
import { registerStaticApps } from './platform/http/static-apps.ts';
import { registerRestCors } from './platform/http/cors.ts';
import { createInProcessBus, type Bus } from './platform/bus.ts';
import { createPostgresBus, type MessageRef } from './platform/postgres-bus.ts';
import { createNatsBus } from './platform/nats-bus.ts';
import { createRedisBus } from './platform/redis-bus.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { DomainError } from './platform/errors.ts';
import { createEventDispatcher } from './platform/events/event-dispatcher.ts';
import { createAuthHooks } from './platform/http/auth.ts';
import { createHttpServer } from './platform/http/http-server.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { openStorage, type Storage } from './platform/storage/storage.ts';
import { createStorageHealth } from './platform/storage/storage-health.ts';

export interface AppOverrides {
  clock?: Clock;
  log?: Logger;
  bus?: Bus;
  /** The media server calls use (tests give an in-memory one); default from `config.media`. */
  media?: MediaServer;
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
  // FRONTDESK_BUS_URL: Redis (redis://, rediss://) or NATS (nats://, tls://) carries events between nodes instead of NOTIFY (PostgreSQL stays the store).
  const bus =
    overrides.bus ??
    (config.busUrl
      ? await (/^rediss?:/.test(config.busUrl) ? createRedisBus : createNatsBus)({ url: config.busUrl, log })
      : storage.dialect === 'postgres'
        ? await createPostgresBus({ storage, log, loadMessage })
        : createInProcessBus());
  // Domain events: modules announce in the transaction of their change; listeners are listed below.
  const events = createEventDispatcher<DomainEvents>({ storage, log });

  // Requests to business backends (webhooks, data push): the SSRF guard's exceptions and the timeout.
  const outbound = { allowPrivateTargets: config.webhookAllowPrivateTargets, allowedTargets: config.webhookAllowedTargets, fetchTimeoutMs: config.webhookTimeoutMs, retentionMs: config.deliveryLogRetentionMs };
  // AnyChat-format subscriptions (SPEC M36) sign their notifies with the app's gateway secret (read when sending).
  const webhooks = createWebhooks({
    storage,
    clock,
    log,
    ...outbound,
    secretOf: (appId) => tenancy.gatewaySecretOf(appId),
    // AnyChat notifies name users by name and login address (seed 003), read when sent.
    userOf: async (appId, userId) => identity.loginOf(appId, userId),
  });
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
    sessions: createAgentSessions({ storage, clock, events }),
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
    availability: (appId, queueId) => routing.availability(appId, queueId),
    checkValidateUrl: (url) => checkValidateUrl(url, targetPolicy),
    secretBox: tokens.secretBox('channel identity secret'),
  });
  const avatars = createAgentAvatars({ storage, clock });
  const conversations = createConversationsService({
    log,
    storage,
    clock,
    events,
    filesDir: path.join(config.dataDir, 'files'),
    uploadMaxBytes: config.uploadMaxBytes,
    agentOf: async (appId, agentId) => {
      const [agent, paths] = await Promise.all([identity.getAgent(appId, agentId), avatars.pathsOf(appId, [agentId])]);
      return { name: agent.name, avatarUrl: paths.get(agentId) ?? null };
    },
    // A channel deleted since: no preview.
    isTypingPreviewOn: (appId, channelId) => channels.resolveChannel(appId, channelId ?? undefined).then((c) => c.typingPreview, () => false),
    visitorIdsNamed: (appId, text, limit) => identity.visitorIdsNamed(appId, text, limit),
    channelOf: async (appId, channelId, visitorId) => {
      const channel = await channels.resolveChannel(appId, channelId);
      await identity.assertVisitorMayUseChannel(appId, visitorId, { id: channel.id, identityMode: channel.identity.mode });
      const requiredDetails = channel.preChatForm.enabled ? channel.preChatForm.fields.filter((f) => f.required).map((f) => f.key) : [];
      return { id: channel.id, botEnabled: channel.bot.enabled, requiredDetails };
    },
  });
  const contacts = createContactsService({
    storage,
    clock,
    visitorsOf: (appId, visitorIds) => identity.visitorsOf(appId, visitorIds),
    assertVisitor: async (appId, visitorId) => void (await identity.getVisitor(appId, visitorId)),
    visitorIdByExternalId: (appId, externalId) => identity.visitorIdByExternalId(appId, externalId),
    conversationsOf: (appId, visitorIds, limit) => conversations.conversationsOfVisitors(appId, visitorIds, limit),
  });
  const shell = createRoutingShell({ storage, clock, log, events });
  const agentProfile = (appId: string, agentId: string) => identity.getAgent(appId, agentId);
  const routingConfig = createRoutingConfig({
    storage,
    clock,
    shell,
    agentProfile,
    channelsUsingQueue: async (appId, queueId) => (await channels.listChannels(appId)).filter((c) => c.queueId === queueId).map((c) => c.name),
  });
  const routing = createRoutingService({ storage, clock, shell, config: routingConfig, agentProfile });
  const supervision = createSupervisionService({ storage, clock, events, conversations, intercept: (appId, id, supervisorId) => routing.intercept(appId, id, supervisorId) });
  const cobrowse = createCobrowseService({ storage, clock, events, conversations, isEnabled: async (appId, channelId) => (await channels.resolveChannel(appId, channelId ?? undefined)).cobrowse.enabled });
  const flow = createConversationFlow({ clock, channels, conversations, routing });
  // Messaging channels (SPEC M39): provider webhooks in, stored and routed like web chats.
  const connections = createConnections({
    storage,
    clock,
    channels,
    secretBox: tokens.secretBox('channel provider credentials'),
    publicUrl: config.publicUrl,
    checkTargetUrl: (url) => checkTargetUrl(url, targetPolicy),
  });
  const providerHttp = createProviderHttp({ timeoutMs: config.webhookTimeoutMs, maxBytes: config.uploadMaxBytes });
  // Delivery changes reach the workbench as events (the gateway sends them), not by polling.
  const deliveryNotifier = createDeliveryNotifier({ events, log, findConversation: (appId, id) => conversations.findConversation(appId, id) });
  const inbound = createChannelInbound({
    storage,
    clock,
    log,
    connections,
    http: providerHttp,
    deliveries: deliveryNotifier,
    ports: {
      createVisitor: (appId, name) => identity.createChannelVisitor(appId, name),
      // NOTE: the flow routes a new conversation from `conversation.opened`; the open itself needs no more.
      openConversation: (appId, visitorId, channelId) => conversations.open({ kind: 'visitor', appId, visitorId }, { channelId }),
      appendText: (appId, conversationId, visitorId, input, onStored) => conversations.appendFromChannel(appId, conversationId, visitorId, input, onStored),
      appendFile: (appId, conversationId, visitorId, input, onStored) => conversations.sendFile({ kind: 'visitor', appId, visitorId }, conversationId, input, onStored),
    },
  });
  const reminders = createQueueReminders({ clock, log, events, getChannel: channels.getChannel, findConversation: conversations.findConversation, standing: routing.standing });
  const idleEnd = createIdleEnd({ clock, log, getChannel: channels.getChannel, shortestIdleEndMinutes: channels.shortestIdleEndMinutes, idleConversations: conversations.idleConversations, endIfIdle: flow.endIfIdle });
  // AnyChat fileurl (SPEC M36) and channel sends: file links that work without a token until they expire.
  const fileUrls = tokens.urlSigner('file download');
  const channelOutbound = createChannelOutbound({
    storage,
    clock,
    log,
    connections,
    http: providerHttp,
    // NOTE: a provider fetches a file we send within minutes; the link lives a day.
    fileUrl: (fileId) => `${config.publicUrl}/v1/files/${fileId}?${fileUrls.sign(`/v1/files/${fileId}`, clock.now() + 86_400_000)}`,
    deliveries: deliveryNotifier,
    retentionMs: config.channelLogRetentionMs,
    // Media uploaded to providers (WhatsApp, Messenger, Telegram): the file's bytes, only from its own app's store.
    readFile: async (appId, fileId) => {
      const file = await conversations.openFileById(fileId).catch(() => undefined);
      if (!file || path.basename(path.dirname(file.path)) !== appId) return null;
      return { bytes: await readFile(file.path), mimeType: file.ref.mimeType, fileName: file.ref.name };
    },
    ports: { readable: (principal, id) => conversations.readable(principal, id), sendText: (principal, id, input) => conversations.sendText(principal, id, input) },
  });
  const ratings = createRatingsService({ storage, clock, events, conversations });
  const wrapUp = createWrapUpService({
    storage,
    clock,
    conversationOf: (principal, id) => conversations.readable(principal, id),
    // NOTE: reports is created just below; a wrap-up is only recorded once the app serves requests.
    onRecorded: (appId, id, summary) => reports.recordWrapUp(appId, id, summary),
  });
  const reports = createReports({
    storage,
    clock,
    log,
    ...outbound,
    // TCCC record push (seed 004 `?action=record&version=1`): one per participant's file, read when sent.
    recordPushBodyOf: async (appId, recordingId, fileName) => {
      const found = await recordings.fileForPush(appId, recordingId, fileName);
      if (!found) return undefined;
      // A shared screen's file (`screen:<role>:<id>`) is its sharer's.
      const [role, userId = ''] = (found.participantId ?? '').replace(/^screen:/, '').split(/:(.*)/s);
      // EndpointUser: the agent's email (TCCC: 坐席为邮箱); a visitor by its id (we have no phone numbers).
      const endpoint = role === 'agent' ? ((await identity.getAgent(appId, userId).catch(() => undefined))?.email ?? userId) : userId;
      return {
        SdkAppId: (await tenancy.getApp(appId)).numericId,
        RecordId: found.recording.id,
        SessionId: found.recording.callId,
        Timestamp: Math.floor((found.recording.completedAt ?? found.recording.createdAt) / 1000),
        EndpointUser: endpoint,
        RecordURL: found.url,
        CustomRecordURL: null,
      };
    },
    sources: {
      findConversation: (appId, id) => conversations.findConversation(appId, id),
      conversationRouting: (appId, id) => routing.conversationRouting(appId, id),
      supervisionOf: (appId, id) => supervision.stepsOf(appId, id),
      callSupervisionOf: (appId, callId) => calls.supervision.stepsOf(appId, callId),
      cobrowseOf: (appId, id) => cobrowse.stepsOf(appId, id),
      appNumericId: async (appId) => (await tenancy.getApp(appId)).numericId,
      queuesOf: (appId) => routing.listQueues(appId),
      agentOf: (appId, agentId) => identity.getAgent(appId, agentId),
      recordingOfCall: (appId, callId) => recordings.cdrRecordingOf(appId, callId),
      wrapUpOf: (appId, id) => wrapUp.summaryFor(appId, id),
      agentQueueIds: async (appId, agentId) => {
        const [{ skills, queueGroups }, groups] = await Promise.all([routing.getSkills(appId, agentId), routing.listQueueGroups(appId)]);
        const inGroups = groups.filter((g) => queueGroups.some((m) => m.queueGroupId === g.id)).flatMap((g) => g.queueIds);
        return [...new Set([...skills.map((s) => s.queueId), ...inGroups])];
      },
    },
  });
  // NOTE: created with the gateway below; the facts writer tells it when today's figures moved.
  let wallboardPush: WallboardPush | undefined;
  const analytics = createAnalytics({
    storage,
    clock,
    log,
    onFactsWritten: (appId) => wallboardPush?.changed(appId),
    sources: {
      overview: (appId) => routing.overview(appId),
      closedConversations: (appId, afterId, limit) => conversations.closedConversations(appId, afterId, limit),
      ratingOf: (appId, id) => ratings.ratingOf(appId, id),
      findConversation: (appId, id) => conversations.findConversation(appId, id),
      conversationRouting: (appId, id) => routing.conversationRouting(appId, id),
      messagesAfter: (appId, id, afterSeq, limit) => conversations.messagesAfter(appId, id, afterSeq, limit),
      statusChangesAround: (appId, fromMs, toMs) => routing.statusChangesAround(appId, fromMs, toMs),
      namesOf: async (appId) => {
        const [queues, agents, channelList] = await Promise.all([routing.listQueues(appId), identity.listAgents(appId), channels.listChannels(appId)]);
        return { queues: new Map(queues.map((q) => [q.id, q.name])), agents: new Map(agents.map((a) => [a.id, a.name])), channels: new Map(channelList.map((c) => [c.id, c.name])) };
      },
    },
    publicUrl: config.publicUrl,
    exportsDir: path.join(config.dataDir, 'exports'),
    rollups: config.reportRollups,
  });
  const transparent = createTransparentChannel({
    events,
    revokeTokens: (appId, userId) => identity.revokeTokens(appId, userId),
    userOf: async (appId, userId) => {
      const isAgent = await identity.getAgent(appId, userId).then(
        () => true,
        (err) => (err instanceof DomainError && err.code === 'FD_AGENT_NOT_FOUND' ? false : Promise.reject(err)),
      );
      if (!isAgent) await identity.getVisitor(appId, userId);
      return { kind: isAgent ? ('agent' as const) : ('visitor' as const) };
    },
  });
  const presence = createPresence({ storage, clock, log });
  const media = overrides.media ?? (await openMediaPlane(config.media, { dataDir: config.dataDir, clock, log, hasLiveCalls: () => calls.service.hasLiveCalls() }));
  // Call recording (SPEC M25): Janus records into <dataDir>/recordings/raw, files go to the BlobStore.
  const recordings = createRecordingsService({
    storage,
    clock,
    log: log.child({ module: 'recordings' }),
    events,
    blobs: createLocalBlobStore(path.join(config.dataDir, 'blobs')),
    rawDir: path.join(config.dataDir, 'recordings', 'raw'),
    workDir: path.join(config.dataDir, 'recordings', 'work'),
    urlSigner: tokens.urlSigner('recording download'),
    publicUrl: config.publicUrl,
    processingLeaseMs: config.recordingLeaseMs,
    channelOf: async (appId, conversationId) => (await conversations.findConversation(appId, conversationId))?.channelId ?? null,
    resolveScope: async (appId, scope, scopeId) =>
      scope === 'queue'
        ? ((await routing.queueExists(appId, scopeId)) ? scopeId : null)
        : channels.resolveChannel(appId, scopeId === 'default' ? undefined : scopeId).then(
            (channel) => channel.id,
            () => null,
          ),
  });
  const calls = createCalls({ storage, clock, log, events, bus, media, routing, conversations, channels, directory: identity, turn: config.turn, recorder: recordings });
  // Call snapshots and photos (SPEC M24): image files of the call's conversation.
  const captures = createCapturesService({ clock, events, calls: calls.service, conversations, grants: tokens.urlSigner('call photo') });
  const gateway = createGateway({
    log,
    clock,
    bus,
    tenancy,
    identity,
    conversations,
    calls: calls.service,
    routing,
    presence,
    frames: { ...conversationFrames(conversations), ...routingFrames(routing), ...transparentFrames(transparent), ...callFrames(calls.service, calls.supervision), ...screenShareFrames(calls.screenShare), ...supervisionFrames(supervision), ...cobrowseFrames(cobrowse, events) },
    publicUrl: config.publicUrl,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    agentSignOutMs: config.agentSignOutMs,
    maxSocketsPerAddress: config.wsMaxSocketsPerAddress,
    maxSocketsPerPrincipal: config.wsMaxSocketsPerPrincipal,
  });

  // Who reacts to what, in one list (docs/architecture.md has the table). Order matters within an
  // event: webhooks record a routing decision before conversations apply it (the outbox keeps the
  // order of each conversation's events).
  const outbox = createOutbox({ clock });
  registerWebhookListeners(events, outbox, { namesOf: identity.namesOf });
  registerConversationListeners(events, conversations);
  registerReportsListeners(events);
  registerRecordingsListeners(events, { recordings });
  wallboardPush = createWallboardPush({
    log,
    compute: (appId) => analytics.wallboard(appId),
    hasSupervisors: (appId) => gateway.hasSupervisors(appId),
    send: (appId, wallboard) => gateway.toSupervisors(appId, { type: 'wallboard', wallboard }),
  });
  registerAnalyticsListeners(events, (tx, key) => storage.lockKey(tx, key), wallboardPush);
  registerGatewayListeners(events, gateway, bus);
  registerFlowListeners(events, flow, reminders);
  registerChannelListeners(events, channelOutbound);
  // After the gateway's: a call's parties see a decision before what carrying it out changes (its room).
  calls.registerListeners();
  registerCobrowseListeners(events, cobrowse);

  const storageHealth = createStorageHealth({ storage, dataDir: config.dataDir });
  const http = await createHttpServer({ log, bodyLimitBytes: 1024 * 1024, requestTimeoutMs: config.requestTimeoutMs, onStorageError: storageHealth.noteError });
  const auth = createAuthHooks(identity.resolvePrincipal);
  registerRestCors(http);
  http.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    const health = await storageHealth.check();
    return health.ok ? { status: 'ok' } : reply.code(503).send({ status: 'unavailable', reason: health.reason });
  });
  registerTenancyRoutes(http, { tenancy, auth });
  const loginThrottle = createLoginThrottle({ maxFailures: config.loginMaxFailuresPerAddress });
  registerIdentityRoutes(http, { identity, auth, loginThrottle });
  registerAgentAvatarRoutes(http, { avatars, identity, auth });
  registerSdkLoginRoutes(http, { sdkLogin: createSdkLogin({ storage, clock, identity, publicUrl: config.publicUrl }), auth });
  registerConversationRoutes(http, { conversations, auth, uploadMaxBytes: config.uploadMaxBytes, fileUrls, clock });
  registerFlowRoutes(http, { flow, auth });
  registerChannelWebhookRoutes(http, { inbound });
  registerMessagingRoutes(http, { connections, auth });
  registerChannelSendRoutes(http, { outbound: channelOutbound, auth });
  registerChannelRoutes(http, { channels, auth, clock, uploadMaxBytes: config.uploadMaxBytes, appExists: async (appId) => (await tenancy.findApp(appId)) !== undefined });
  registerRatingRoutes(http, { ratings, auth });
  registerNoteRoutes(http, { notes: createNotesService({ storage, clock, conversations }), auth });
  registerCannedResponseRoutes(http, { cannedResponses: createCannedResponsesService({ storage, clock }), auth });
  registerContactRoutes(http, { contacts, auth });
  registerWrapUpRoutes(http, { wrapUp, auth });
  registerWebhookRoutes(http, { webhooks, auth });
  registerReportsRoutes(http, { reports, auth });
  registerAnalyticsRoutes(http, { analytics, auth });
  registerCallRoutes(http, { calls: calls.service, supervision: calls.supervision, auth });
  registerCapturesRoutes(http, { captures, auth, uploadMaxBytes: config.uploadMaxBytes });
  registerRecordingsRoutes(http, { recordings, auth });
  registerSupervisionRoutes(http, { supervision, auth });
  registerCobrowseRoutes(http, { cobrowse, auth, visitorSession: (appId, visitorId) => identity.sessionForVisitor(appId, visitorId) });
  registerRoutingRoutes(http, { routing, auth, conversationOf: (principal, id) => conversations.readable(principal, id) });
  registerDemoRoutes(http, { isDemoOn: config.demo !== 'off' });
  await registerStaticApps(http);
  registerTransparentRoutes(http, { transparent, auth });
  registerPresenceRoutes(http, { presence, auth });
  registerCompatRoutes(http, {
    tenancy,
    routing,
    identity,
    conversations,
    transparent,
    presence,
    settings: createCompatSettings({ storage, clock }),
    storage,
    clock,
    auth,
    fileUrlOf: (fileId, activeSeconds) => `${config.publicUrl}/v1/files/${fileId}?${fileUrls.sign(`/v1/files/${fileId}`, clock.now() + activeSeconds * 1000)}`,
    recordings,
  });
  registerVtcRoutes(http, { storage, clock, tenancy, identity, loginThrottle });

  await presence.start();
  await shell.start();
  conversations.startSearchIndex();
  calls.start();
  idleEnd.start();
  webhooks.start();
  reports.start();
  recordings.start();
  channelOutbound.start();
  analytics.start();
  http.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void gateway.handleUpgrade(request, socket, head));
  const strandedSignIns = createStrandedSignIns({
    log,
    graceMs: config.agentSignOutMs,
    appIds: tenancy.appIds,
    signedInAgents: routing.signedInAgents,
    isConnected: presence.isConnected,
    signOut: routing.signOut,
  });
  strandedSignIns.start();

  return {
    config,
    log,
    storage,
    http,
    gateway,
    services: { tenancy, identity, conversations, contacts, flow, channels, connections, inbound, outbound: channelOutbound, ratings, routing, webhooks, reports, analytics, calls: calls.service, callSupervision: calls.supervision, supervision, cobrowse, recordings },
    /** Listens on config.host:config.port (0 = any free port) and returns the base URL. */
    async listen(): Promise<string> {
      await http.listen({ port: config.port, host: config.host });
      const address = http.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    },
    async close(): Promise<void> {
      strandedSignIns.close();
      idleEnd.close();
      reminders.close();
      await gateway.close();
      await presence.close();
      await http.close();
      identity.closeVisitorSessions();
      await calls.close();
      await shell.close();
      await conversations.closeSearchIndex();
      await webhooks.close();
      await reports.close();
      await recordings.close();
      await channelOutbound.close();
      wallboardPush.close();
      await analytics.close();
      await bus.close();
      await storage.close();
    },
  };
}

export type FrontdeskApp = Awaited<ReturnType<typeof buildApp>>;
