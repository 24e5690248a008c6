import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { MediaSettings, TurnSettings } from '../modules/calls/index.ts';

/**
 * The only code that reads process.env: parsed once at boot, validated, frozen.
 * Secrets are kept out of `describeConfig` so they never reach a log.
 */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  FRONTDESK_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** The bus between nodes (redis://… or nats://…); without it nodes sharing PostgreSQL use NOTIFY. */
  FRONTDESK_BUS_URL: z
    .string()
    .regex(/^(rediss?|nats|tls):\/\//, 'must be a redis://, rediss://, nats:// or tls:// (NATS) URL')
    .optional(),
  FRONTDESK_PUBLIC_URL: z.url().optional(),
  FRONTDESK_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  FRONTDESK_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).max(1024 * 1024 * 1024).default(10 * 1024 * 1024),
  FRONTDESK_SQLITE_SYNC: z.enum(['normal', 'full']).default('normal'),
  FRONTDESK_DEMO: z.enum(['auto', 'off']).default('auto'),
  FRONTDESK_REPORT_ROLLUPS: z.enum(['on', 'off']).default('on'),
  FRONTDESK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FRONTDESK_AGENT_SIGN_OUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS: z.enum(['true', 'false']).default('false'),
  FRONTDESK_WEBHOOK_ALLOWED_TARGETS: z
    .string()
    .refine((list) => list.split(',').every((t) => !t.trim() || isIpOrCidr(t.trim())), 'must be a comma-separated list of IP addresses or CIDR ranges')
    .default(''),
  FRONTDESK_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(15_000).default(15_000),
  FRONTDESK_DELIVERY_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // NOTE: at least 7 days: the record of a received provider message is its duplicate check, and Meta redelivers for days.
  FRONTDESK_CHANNEL_LOG_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
  FRONTDESK_VTC_MAX_USERS_PER_APP: z.coerce.number().int().min(1).max(10_000_000).default(100_000),
  FRONTDESK_MEDIA: z.enum(['local', 'off']).default('local'),
  FRONTDESK_JANUS_URLS: z
    .string()
    .refine((list) => list.split(',').every((u) => !u.trim() || /^wss?:\/\/[^\s]+$/.test(u.trim())), 'must be a comma-separated list of ws:// or wss:// URLs')
    .default(''),
  FRONTDESK_JANUS_API_SECRET: z.string().min(1).optional(),
  FRONTDESK_JANUS_ROOM_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  FRONTDESK_MEDIA_ICE_ADDRESS: z.string().min(1).optional(),
  FRONTDESK_MEDIA_PUBLIC_IP: z.string().refine((ip) => isIP(ip) !== 0, 'must be an IP address').optional(),
  FRONTDESK_TURN_URLS: z
    .string()
    .refine((list) => list.split(',').every((u) => !u.trim() || /^(turns?|stun):[^\s]+$/.test(u.trim())), 'must be a comma-separated list of turn:, turns: or stun: URLs')
    .default(''),
  FRONTDESK_TURN_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  FRONTDESK_TURN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  FRONTDESK_WS_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(0).max(10_000_000).default(1000),
  FRONTDESK_WS_MAX_SOCKETS_PER_PRINCIPAL: z.coerce.number().int().min(0).max(100_000).default(20),
  FRONTDESK_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  /** How long a node holds a recording's post-processing before another may take it over (a dead node's runs are redone after this). */
  FRONTDESK_RECORDING_LEASE_SECONDS: z.coerce.number().int().min(2).max(86_400).default(600),
  FRONTDESK_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(30),
});

function isIpOrCidr(target: string): boolean {
  const [address = '', prefix, ...rest] = target.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** FRONTDESK_BUS_URL: Redis pub/sub between nodes; undefined = NOTIFY on PostgreSQL, in-process on SQLite. */
  busUrl: string | undefined;
  publicUrl: string;
  jwtSecret: string | undefined;
  uploadMaxBytes: number;
  sqliteSync: 'normal' | 'full';
  demo: 'auto' | 'off';
  /** Off: reports read the read model's rows, never the 15-minute roll-ups (to compare; slower). */
  reportRollups: boolean;
  logLevel: string;
  /** Heartbeat: clients ping at this interval; silent sockets close after 3 intervals. */
  heartbeatIntervalMs: number;
  /** An agent whose last socket closed is signed out (offline) after this, unless it reconnects. */
  agentSignOutMs: number;
  /** Webhooks may reach loopback, private, link-local and metadata addresses (tests, trusted networks only). */
  webhookAllowPrivateTargets: boolean;
  /** IPs and CIDR ranges webhooks may reach even though they are private (e.g. an internal receiver). */
  webhookAllowedTargets: readonly string[];
  /** A webhook request (connect, send, response) taking longer than this is a failed attempt. */
  webhookTimeoutMs: number;
  /** Finished webhook deliveries, data pushes, their attempts and delivered outbox events are deleted after this. */
  deliveryLogRetentionMs: number;
  /** Messaging channels: send jobs, received-message records and delivery states kept this long. */
  channelLogRetentionMs: number;
  /** VTC third-party users an app may register (SPEC M2: beyond it, `Exceed`). */
  vtcMaxUsersPerApp: number;
  /** Where calls get their media: a local supervised Janus, external instances, or none. */
  media: MediaSettings;
  /** TURN for browsers behind NAT (coturn with time-limited credentials); undefined: none. */
  turn: TurnSettings | undefined;
  /** Open WebSockets one client address may hold (0: no cap); beyond it the upgrade is refused with 429. */
  wsMaxSocketsPerAddress: number;
  /** Authenticated WebSockets one visitor or agent may hold (0: no cap); beyond it hello is refused. */
  wsMaxSocketsPerPrincipal: number;
  /** An HTTP request (headers and body) taking longer than this is answered 408 and its connection closed. */
  requestTimeoutMs: number;
  /** Failed agent logins one address may make in 15 minutes, whatever the accounts (password spraying). */
  loginMaxFailuresPerAddress: number;
  /** A recording post-processing lease (ms). */
  recordingLeaseMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.FRONTDESK_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    busUrl: e.FRONTDESK_BUS_URL,
    publicUrl: (e.FRONTDESK_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    jwtSecret: e.FRONTDESK_JWT_SECRET,
    uploadMaxBytes: e.FRONTDESK_UPLOAD_MAX_BYTES,
    sqliteSync: e.FRONTDESK_SQLITE_SYNC,
    demo: e.FRONTDESK_DEMO,
    reportRollups: e.FRONTDESK_REPORT_ROLLUPS === 'on',
    logLevel: e.FRONTDESK_LOG_LEVEL,
    heartbeatIntervalMs: 20_000,
    agentSignOutMs: e.FRONTDESK_AGENT_SIGN_OUT_SECONDS * 1000,
    webhookAllowPrivateTargets: e.FRONTDESK_WEBHOOK_ALLOW_PRIVATE_TARGETS === 'true',
    webhookAllowedTargets: Object.freeze(
      e.FRONTDESK_WEBHOOK_ALLOWED_TARGETS.split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
    webhookTimeoutMs: e.FRONTDESK_WEBHOOK_TIMEOUT_MS,
    deliveryLogRetentionMs: e.FRONTDESK_DELIVERY_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    channelLogRetentionMs: e.FRONTDESK_CHANNEL_LOG_RETENTION_DAYS * 24 * 60 * 60 * 1000,
    vtcMaxUsersPerApp: e.FRONTDESK_VTC_MAX_USERS_PER_APP,
    media: mediaSettingsOf(e),
    turn: turnSettingsOf(e),
    wsMaxSocketsPerAddress: e.FRONTDESK_WS_MAX_SOCKETS_PER_ADDRESS,
    wsMaxSocketsPerPrincipal: e.FRONTDESK_WS_MAX_SOCKETS_PER_PRINCIPAL,
    requestTimeoutMs: e.FRONTDESK_REQUEST_TIMEOUT_MS,
    loginMaxFailuresPerAddress: e.FRONTDESK_LOGIN_MAX_FAILURES_PER_ADDRESS,
    recordingLeaseMs: e.FRONTDESK_RECORDING_LEASE_SECONDS * 1000,
  });
}

function listOf(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function mediaSettingsOf(e: z.infer<typeof Env>): MediaSettings {
  const urls = listOf(e.FRONTDESK_JANUS_URLS);
  if (urls.length > 0) return { kind: 'external', urls, apiSecret: e.FRONTDESK_JANUS_API_SECRET, roomKey: e.FRONTDESK_JANUS_ROOM_KEY };
  if (e.FRONTDESK_MEDIA === 'off') return { kind: 'off' };
  return {
    kind: 'local',
    ...(e.FRONTDESK_MEDIA_ICE_ADDRESS ? { iceEnforceList: e.FRONTDESK_MEDIA_ICE_ADDRESS } : {}),
    ...(e.FRONTDESK_MEDIA_PUBLIC_IP ? { nat1To1Mapping: e.FRONTDESK_MEDIA_PUBLIC_IP } : {}),
  };
}

function turnSettingsOf(e: z.infer<typeof Env>): TurnSettings | undefined {
  const urls = listOf(e.FRONTDESK_TURN_URLS);
  return urls.length === 0 ? undefined : { urls, secret: e.FRONTDESK_TURN_SECRET, ttlSeconds: e.FRONTDESK_TURN_TTL_SECONDS };
}

/** What may be logged about the configuration: no secrets, no database password. */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    port: config.port,
    host: config.host,
    storage: config.databaseUrl ? `postgresql (${redactUrl(config.databaseUrl)})` : `sqlite (${config.dataDir})`,
    publicUrl: config.publicUrl,
    uploadMaxBytes: config.uploadMaxBytes,
    media: config.media.kind === 'external' ? `external (${config.media.urls.length} Janus)` : config.media.kind,
    turn: config.turn ? config.turn.urls.join(', ') : 'none',
  };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://***';
  }
}
