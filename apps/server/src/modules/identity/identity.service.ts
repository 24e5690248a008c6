import { sql } from 'kysely';
import type { Agent, MediaType, Role, Visitor } from '@frontdesk/protocol';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../platform/passwords.ts';
import type { Principal } from '../../platform/principal.ts';
import type { Database } from '../../platform/storage/schema.ts';
import { compiledOnce } from '../../platform/storage/compiled-query.ts';
import { containsPattern } from '../../platform/storage/like-pattern.ts';
import { numericIdTaken } from '../../platform/storage/numeric-ids.ts';
import type { DbOrTx, Storage, Tx } from '../../platform/storage/storage.ts';
import type { TenancyService } from '../tenancy/index.ts';
import { IdentityError } from './identity.errors.ts';
import type { AgentSessions } from './agent-sessions.ts';
import { AGENT_TOKEN_TTL_MS, type TokenSigner } from './tokens.ts';
import { createVisitorSessions, toVisitor, type VisitorSessionDeps } from './visitor-sessions.ts';

export interface CreateAgentInput {
  email: string;
  password: string;
  name?: string | undefined;
  role: Role;
  mediaTypes: MediaType[];
  maxConcurrentChats: number;
  maxConcurrentCalls?: number | undefined;
  /** TCCC StaffNumber; default: the next free number of the app. */
  staffNumber?: string | undefined;
}

export type UpdateAgentInput = Partial<Omit<CreateAgentInput, 'email'> & { disabled: boolean }>;

async function isStaffNumberTaken(tx: Tx, appId: string, staffNumber: string): Promise<boolean> {
  return (await tx.selectFrom('agents').select('id').where('app_id', '=', appId).where('staff_number', '=', staffNumber).executeTakeFirst()) !== undefined;
}

function toAgent(row: Database['agents']): Agent {
  return {
    id: row.id,
    appId: row.app_id,
    staffNumber: row.staff_number,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    mediaTypes: JSON.parse(row.media_types),
    maxConcurrentChats: row.max_concurrent_chats,
    maxConcurrentCalls: row.max_concurrent_calls,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
  };
}

/** A visitor's row. */
const selectVisitor = compiledOnce<{ appId: string; id: string }, Database['visitors']>((db, a) => db.selectFrom('visitors').selectAll().where('app_id', '=', a.appId).where('id', '=', a.id));
/**
 * What every visitor socket's hello reads of its visitor: the token generation only (2.5 µs instead
 * of 4.2 µs for the whole row, on a copy of the bench's database of 19,509 visitors).
 */
const selectVisitorGeneration = compiledOnce<{ appId: string; id: string }, Pick<Database['visitors'], 'token_generation'>>((db, a) =>
  db.selectFrom('visitors').select('token_generation').where('app_id', '=', a.appId).where('id', '=', a.id),
);

export function createIdentityService(
  deps: { storage: Storage; clock: Clock; tokens: TokenSigner; tenancy: TenancyService; publicUrl: string; sessions: AgentSessions } & VisitorSessionDeps,
) {
  const { storage, clock, tokens, tenancy, sessions } = deps;
  const { db } = storage;
  const visitorSessions = createVisitorSessions(deps);

  async function findAgentRow(appId: string, agentId: string) {
    return db.selectFrom('agents').selectAll().where('app_id', '=', appId).where('id', '=', agentId).executeTakeFirst();
  }

  async function getAgent(appId: string, agentId: string): Promise<Agent> {
    const row = await findAgentRow(appId, agentId);
    if (!row) throw new IdentityError('FD_AGENT_NOT_FOUND', `agent ${agentId} not found`);
    return toAgent(row);
  }

  async function findVisitorRow(appId: string, visitorId: string): Promise<Database['visitors'] | undefined> {
    return (await selectVisitor(db, { appId, id: visitorId })).rows[0];
  }

  async function getVisitor(appId: string, visitorId: string): Promise<Visitor> {
    const row = await findVisitorRow(appId, visitorId);
    if (!row) throw new IdentityError('FD_VISITOR_NOT_FOUND', `visitor ${visitorId} not found`);
    return toVisitor(row);
  }

  /** Opens an agent session (kicking the agent's sessions of other devices) and signs its token. */
  async function signInAgent(row: Database['agents'], deviceId: string | undefined, via: 'password' | 'sdk', ip: string | undefined) {
    const { sessionId } = await sessions.open({ appId: row.app_id, agentId: row.id, deviceId, via, ttlMs: AGENT_TOKEN_TTL_MS, ip });
    const session = await tokens.sign({ kind: 'agent', appId: row.app_id, subject: row.id, sessionId }, AGENT_TOKEN_TTL_MS);
    return { ...session, agent: toAgent(row) };
  }

  return {
    getAgent,
    getVisitor,

    /** Visitors by id (name and external id), in the order given; ids not of the app are left out. */
    async visitorsOf(appId: string, visitorIds: readonly string[]): Promise<{ id: string; name: string; externalId: string | null }[]> {
      if (visitorIds.length === 0) return [];
      const rows = await db.selectFrom('visitors').select(['id', 'name', 'external_id']).where('app_id', '=', appId).where('id', 'in', [...visitorIds]).execute();
      const byId = new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, externalId: r.external_id }]));
      return visitorIds.flatMap((id) => byId.get(id) ?? []);
    },

    /** The app's visitor identified by this external id (the business's user id), if any. */
    async visitorIdByExternalId(appId: string, externalId: string): Promise<string | undefined> {
      const row = await db.selectFrom('visitors').select('id').where('app_id', '=', appId).where('external_id', '=', externalId).executeTakeFirst();
      return row?.id;
    },

    /**
     * Display names of agents and visitors, read with `from` (the caller's transaction when it has
     * one: an in-transaction listener must not wait for another connection). Unknown ids are left out.
     */
    async namesOf(from: DbOrTx, appId: string, parties: readonly { role: 'agent' | 'visitor'; id: string }[]): Promise<Map<string, string>> {
      const ids = (role: 'agent' | 'visitor') => [...new Set(parties.filter((p) => p.role === role).map((p) => p.id))];
      // One after the other: a transaction's connection runs one query at a time.
      const agents = ids('agent').length ? await from.selectFrom('agents').select(['id', 'name']).where('app_id', '=', appId).where('id', 'in', ids('agent')).execute() : [];
      const visitors = ids('visitor').length ? await from.selectFrom('visitors').select(['id', 'name']).where('app_id', '=', appId).where('id', 'in', ids('visitor')).execute() : [];
      return new Map([...agents.map((a) => [`agent:${a.id}`, a.name] as const), ...visitors.map((v) => [`visitor:${v.id}`, v.name] as const)]);
    },

    /**
     * Ids of the app's visitors whose name holds `text` (case-insensitive; the default name
     * "Visitor" of anonymous visitors is never a match), for the workbench's search.
     */
    async visitorIdsNamed(appId: string, text: string, limit: number): Promise<string[]> {
      const pattern = containsPattern(text);
      if (pattern === '%%') return [];
      const rows = await db
        .selectFrom('visitors')
        .select('id')
        .where('app_id', '=', appId)
        // A literal, not a parameter: it is the condition of the partial index visitors_named.
        .where(sql<boolean>`name <> 'Visitor'`)
        // Case-insensitive: SQLite's LIKE is for ASCII letters (CJK has no case), PostgreSQL's ILIKE.
        .where('name', storage.dialect === 'postgres' ? 'ilike' : 'like', pattern)
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },

    /** An identified channel serves only visitors identified its way: a guest of another channel may not open it. */
    async assertVisitorMayUseChannel(appId: string, visitorId: string, channel: { id: string; identityMode: string }): Promise<void> {
      if (channel.identityMode === 'anonymous') return;
      if ((await getVisitor(appId, visitorId)).identityMode !== channel.identityMode) {
        throw new IdentityError('FD_IDENTITY_REQUIRED', `channel ${channel.id} serves ${channel.identityMode}-identified visitors: start the visitor session on it`);
      }
    },
    /**
     * Who a user is and where it last signed in from (AnyChat userinfo_get, notifies): an agent's
     * latest login, a visitor's latest session. Undefined for an id that is neither.
     */
    async loginOf(appId: string, userId: string): Promise<{ kind: 'agent' | 'visitor'; name: string; loginIp: string | null; loginAt: number | null } | undefined> {
      const agent = await findAgentRow(appId, userId);
      if (agent) {
        const login = await db.selectFrom('agent_sessions').select(['ip', 'created_at']).where('app_id', '=', appId).where('agent_id', '=', userId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
        return { kind: 'agent', name: agent.name, loginIp: login?.ip ?? null, loginAt: login?.created_at ?? null };
      }
      const visitor = await findVisitorRow(appId, userId);
      return visitor && { kind: 'visitor', name: visitor.name, loginIp: visitor.login_ip, loginAt: visitor.login_at === null ? null : Number(visitor.login_at) };
    },

    /** Throws FD_AUTH_SESSION_REPLACED once a newer login replaced this agent session. */
    assertAgentSessionLive: (appId: string, agentId: string, sessionId: string) => sessions.assertLive(appId, agentId, sessionId),

    async createAgent(appId: string, input: CreateAgentInput): Promise<Agent> {
      await tenancy.getApp(appId);
      const row: Database['agents'] = {
        id: newId('agt'),
        app_id: appId,
        staff_number: input.staffNumber ?? '',
        email: input.email.toLowerCase(),
        name: input.name ?? input.email.split('@')[0]!,
        role: input.role,
        media_types: JSON.stringify(input.mediaTypes),
        max_concurrent_chats: input.maxConcurrentChats,
        max_concurrent_calls: input.maxConcurrentCalls ?? 1,
        password_hash: await hashPassword(input.password),
        disabled: 0,
        created_at: clock.now(),
      };
      if (await db.selectFrom('agents').select('id').where('app_id', '=', appId).where('email', '=', row.email).executeTakeFirst()) {
        throw new IdentityError('FD_AGENT_EMAIL_TAKEN', `an agent with email ${row.email} exists in this app`);
      }
      try {
        await db.transaction().execute(async (tx) => {
          // One staff number each: chosen under the app's lock, so concurrent creations cannot pick the same.
          await storage.lockKey(tx, `staff-number:${appId}`);
          if (input.staffNumber !== undefined) {
            if (await isStaffNumberTaken(tx, appId, input.staffNumber)) throw numericIdTaken(input.staffNumber);
          } else {
            const { count } = await tx.selectFrom('agents').select((eb) => eb.fn.countAll<number>().as('count')).where('app_id', '=', appId).executeTakeFirstOrThrow();
            let candidate = Number(count) + 1;
            while (await isStaffNumberTaken(tx, appId, String(candidate))) candidate++;
            row.staff_number = String(candidate);
          }
          await tx.insertInto('agents').values(row).execute();
        });
      } catch (err) {
        if (storage.isUniqueViolation(err)) throw new IdentityError('FD_AGENT_EMAIL_TAKEN', `an agent with email ${row.email} exists in this app`);
        throw err;
      }
      return toAgent(row);
    },

    async listAgents(appId: string): Promise<Agent[]> {
      const rows = await db.selectFrom('agents').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
      return rows.map(toAgent);
    },

    async updateAgent(appId: string, agentId: string, patch: UpdateAgentInput): Promise<Agent> {
      await getAgent(appId, agentId);
      const values: Partial<Database['agents']> = {};
      if (patch.name !== undefined) values.name = patch.name;
      if (patch.role !== undefined) values.role = patch.role;
      if (patch.mediaTypes !== undefined) values.media_types = JSON.stringify(patch.mediaTypes);
      if (patch.maxConcurrentChats !== undefined) values.max_concurrent_chats = patch.maxConcurrentChats;
      if (patch.maxConcurrentCalls !== undefined) values.max_concurrent_calls = patch.maxConcurrentCalls;
      if (patch.disabled !== undefined) values.disabled = patch.disabled ? 1 : 0;
      if (patch.password !== undefined) values.password_hash = await hashPassword(patch.password);
      if (Object.keys(values).length > 0) {
        await db.updateTable('agents').set(values).where('app_id', '=', appId).where('id', '=', agentId).execute();
      }
      const staffNumber = patch.staffNumber;
      if (staffNumber !== undefined) {
        await db.transaction().execute(async (tx) => {
          await storage.lockKey(tx, `staff-number:${appId}`);
          const holder = await tx.selectFrom('agents').select('id').where('app_id', '=', appId).where('staff_number', '=', staffNumber).executeTakeFirst();
          if (holder && holder.id !== agentId) throw numericIdTaken(staffNumber);
          await tx.updateTable('agents').set({ staff_number: staffNumber }).where('app_id', '=', appId).where('id', '=', agentId).execute();
        });
      }
      return getAgent(appId, agentId);
    },

    /** Password login. Unknown email and wrong password answer alike, in alike time. */
    async login(appId: string, email: string, password: string, deviceId?: string, ip?: string): Promise<{ token: string; expiresAt: number; agent: Agent }> {
      const row = await db
        .selectFrom('agents')
        .selectAll()
        .where('app_id', '=', appId)
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
      if (!row || !ok) throw new IdentityError('FD_AUTH_INVALID_CREDENTIALS', 'wrong app, email or password');
      if (row.disabled) throw new IdentityError('FD_AGENT_DISABLED', 'this agent account is disabled');
      return signInAgent(row, deviceId, 'password', ip);
    },

    /** A session for an agent authenticated otherwise (SDK login token): replaces its other sessions. */
    async signInAgentById(appId: string, agentId: string, deviceId: string | undefined, ip?: string): Promise<{ token: string; expiresAt: number; agent: Agent }> {
      const row = await findAgentRow(appId, agentId);
      if (!row) throw new IdentityError('FD_AGENT_NOT_FOUND', `agent ${agentId} not found`);
      if (row.disabled) throw new IdentityError('FD_AGENT_DISABLED', 'this agent account is disabled');
      return signInAgent(row, deviceId, 'sdk', ip);
    },

    // Visitor sessions under each channel's identity mode, and VTC third-party users (visitor-sessions.ts).
    ...visitorSessions,

    /** Resolves a bearer token (agent or visitor session, or app API key) to a principal. */
    async resolvePrincipal(bearer: string): Promise<Principal> {
      const apiKey = await tenancy.verifyApiKey(bearer);
      if (apiKey) return { kind: 'apiKey', appId: apiKey.appId, keyId: apiKey.keyId };
      const claims = await tokens.verify(bearer);
      if (claims.kind === 'visitor') {
        const [visitor] = (await selectVisitorGeneration(db, { appId: claims.appId, id: claims.subject })).rows;
        if (!visitor) throw new IdentityError('FD_AUTH_TOKEN_INVALID', 'visitor no longer exists');
        if (claims.generation !== visitor.token_generation) throw new IdentityError('FD_AUTH_TOKEN_INVALID', 'token was revoked');
        return { kind: 'visitor', appId: claims.appId, visitorId: claims.subject };
      }
      // The agent and its session (one live login per agent) are read at once: every agent request pays them.
      const [row] = await Promise.all([findAgentRow(claims.appId, claims.subject), sessions.assertLive(claims.appId, claims.subject, claims.sessionId)]);
      if (!row) throw new IdentityError('FD_AUTH_TOKEN_INVALID', 'agent no longer exists');
      if (row.disabled) throw new IdentityError('FD_AGENT_DISABLED', 'this agent account is disabled');
      return { kind: 'agent', appId: row.app_id, agentId: row.id, role: row.role as Role, sessionId: claims.sessionId };
    },

    /**
     * A kick (SPEC M7) ends the user's sessions, not only its sockets: a visitor's tokens issued so far
     * stop working (its token generation moves on), an agent's live logins end. They may sign in again.
     */
    async revokeTokens(appId: string, userId: string): Promise<void> {
      const visitor = await db
        .updateTable('visitors')
        .set((eb) => ({ token_generation: eb('token_generation', '+', 1) }))
        .where('app_id', '=', appId)
        .where('id', '=', userId)
        .executeTakeFirst();
      if (Number(visitor.numUpdatedRows) === 0) await sessions.endAll(appId, userId);
    },
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
