import type { AgentState } from '@frontdesk/protocol';
import { z } from 'zod';
import type { Principal } from '../../platform/principal.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { RoutingService } from '../routing/index.ts';
import type { Presence } from '../presence/index.ts';
import type { TransparentChannel } from '../transparent/index.ts';
import { AnyChatError } from './anychat.errors.ts';
import { formatAnyChatTimestamp, parseAnyChatTimestamp } from './anychat-signature.ts';

// AnyChat filetype bits: 1 recording, 2 snapshot, 4 stored file (普通文件).
const FILE_TYPE_STORED = 4;
const THREE_MONTHS_MS = 92 * 24 * 60 * 60 * 1000;

/** What the AnyChat methods use of the native modules, passed in from app.ts. */
export interface AnyChatDeps {
  routing: Pick<RoutingService, 'listAreas' | 'createArea' | 'renameArea' | 'deleteArea' | 'listQueues' | 'createQueue' | 'updateQueue' | 'deleteQueue'
    | 'listQueueGroups' | 'createQueueGroup' | 'updateQueueGroup' | 'deleteQueueGroup' | 'overview' | 'agentState' | 'getSkills' | 'setSkills'>;
  identity: Pick<IdentityService, 'getAgent' | 'getVisitor'>;
  conversations: Pick<ConversationsService, 'openFile' | 'findConversation' | 'listFiles' | 'renameFile' | 'deleteFile'>;
  transparent: Pick<TransparentChannel, 'push' | 'kick'>;
  presence: Pick<Presence, 'online'>;
}

// AnyChat objecttype 4 = area (服务区域/营业厅), 5 = queue, 9 = skill (no native object: skills are
// an agent's queues, so none are listed and none can be set), 10 = queue group. -1 = every type.
export const OBJECT_TYPE = { area: 4, queue: 5, skill: 9, queueGroup: 10 } as const;
const ALL_TYPES = -1;
const APP_SCOPE_GUID = '00000000-0000-0000-0000-000000000000';

// AnyChat infotype 401 agent count, 402 guests not queued, 403 queued users, 404 queue count,
// 405 agent id list (of an area); 504 queue length (of a queue); 601 agent status, 606 user an agent serves.
export const INFO_TYPE = { agentCount: 401, guestCount: 402, queuedCount: 403, queueCount: 404, agentIds: 405, queueLength: 504, agentStatus: 601, servedUser: 606 } as const;

// AnyChat agent status 0 prepare (未准备), 1 waiting (示闲), 2 working (服务中), 3 pause (示忙/离开).
const AGENT_STATUS_CODE: Record<AgentState['status'], 0 | 1 | 2 | 3> = { offline: 0, free: 1, busy: 2, wrap_up: 2, not_ready: 3, rest: 3 };

type Reply = Record<string, unknown>;
type Method = (appId: string, body: unknown) => Promise<Reply>;

function parse<T extends z.ZodTypeAny>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new AnyChatError('BODY_INVALID', `body: ${result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`);
  return result.data;
}

const Guid = z.string().min(1).max(100);
const UserRef = z.object({ userid: z.union([z.number(), z.string()]).optional(), struserid: z.string().optional() });

/** The gateway acts for the whole app, as a server-API key would. */
function gatewayPrincipal(appId: string): Principal {
  return { kind: 'apiKey', appId, keyId: 'anychat-gateway' };
}

export function createAnyChatMethods({ routing, identity, conversations, transparent, presence }: AnyChatDeps) {
  async function objectsOf(appId: string) {
    const [areas, queues, groups] = await Promise.all([routing.listAreas(appId), routing.listQueues(appId), routing.listQueueGroups(appId)]);
    return [
      ...areas.map((a) => ({ objectguid: a.id, objecttype: OBJECT_TYPE.area, name: a.name, description: '', parentobjectguid: null as string | null })),
      ...queues.map((q) => ({ objectguid: q.id, objecttype: OBJECT_TYPE.queue, name: q.name, description: '', parentobjectguid: q.areaId, priority: q.priority })),
      ...groups.map((g) => ({ objectguid: g.id, objecttype: OBJECT_TYPE.queueGroup, name: g.name, description: '', parentobjectguid: null as string | null, queuegroups: g.queueIds })),
    ];
  }

  async function findObject(appId: string, guid: string) {
    const found = (await objectsOf(appId)).find((o) => o.objectguid === guid);
    if (!found) throw new AnyChatError('PARAM_INVALID', `object ${guid} not found`);
    return found;
  }

  function userIdOf(ref: z.infer<typeof UserRef>): string | undefined {
    return ref.struserid ?? (ref.userid === undefined ? undefined : String(ref.userid));
  }

  async function agentOf(appId: string, ref: z.infer<typeof UserRef>, fallback: string) {
    return identity.getAgent(appId, userIdOf(ref) ?? fallback);
  }

  async function areaAgentIds(appId: string, areaId: string): Promise<string[]> {
    const overview = await routing.overview(appId);
    const queueIds = new Set(overview.queues.filter((q) => q.areaId === areaId).map((q) => q.queueId));
    const ids: string[] = [];
    for (const agent of overview.agents) {
      if (agent.status === 'offline') continue;
      const { skills } = await routing.getSkills(appId, agent.agentId);
      if (skills.some((s) => queueIds.has(s.queueId))) ids.push(agent.agentId);
    }
    return ids;
  }

  async function userInfo(appId: string, userId: string): Promise<Reply | undefined> {
    const agent = await identity.getAgent(appId, userId).catch(() => undefined);
    if (agent) return { struserid: agent.id, username: agent.name, userflags: 0x02 };
    const visitor = await identity.getVisitor(appId, userId).catch(() => undefined);
    if (visitor) return { struserid: visitor.id, username: visitor.name, userflags: 0x00 };
    return undefined;
  }

  const methods: Record<string, Method> = {
    async object_idlist_get(appId, body) {
      const { objecttype } = parse(z.object({ objecttype: z.number().int() }), body);
      const objects = (await objectsOf(appId)).filter((o) => objecttype === ALL_TYPES || o.objecttype === objecttype);
      return { objectcount: objects.length, objectguids: objects.map((o) => o.objectguid) };
    },

    async object_list_get(appId, body) {
      const { objecttype, objectguid } = parse(z.object({ objecttype: z.number().int(), objectguid: Guid.optional() }), body);
      let objects = (await objectsOf(appId)).filter((o) => objecttype === ALL_TYPES || o.objecttype === objecttype);
      if (objectguid && objectguid !== APP_SCOPE_GUID) {
        await findObject(appId, objectguid);
        objects = objects.filter((o) => o.parentobjectguid === objectguid);
      }
      return { objectcount: objects.length, objectlist: objects.map(({ objectguid: g, objecttype: t, name, description }) => ({ objectguid: g, objecttype: t, name, description })) };
    },

    async object_info_get(appId, body) {
      const { objectguid } = parse(z.object({ objectguid: Guid }), body);
      return { ...(await findObject(appId, objectguid)) };
    },

    async object_info_set(appId, body) {
      const input = parse(
        z.object({
          action: z.union([z.literal(1), z.literal(2), z.literal(3)]), // AnyChat action 1 create, 2 delete, 3 modify
          objectguid: Guid.optional(),
          objecttype: z.number().int().optional(),
          parentobjectguid: Guid.nullable().optional(), // ours: the area of a queue (AnyChat's integer parentobjectid has no native twin)
          name: z.string().min(1).max(200).optional(),
          priority: z.number().int().optional(),
          queuegroups: z.array(Guid).optional(), // the queues of a queue group
        }),
        body,
      );
      if (input.action === 1) {
        if (input.objecttype === undefined || input.name === undefined) throw new AnyChatError('BODY_INVALID', 'objecttype and name are required to create');
        if (input.objecttype === OBJECT_TYPE.area) return { objectguid: (await routing.createArea(appId, input.name)).id };
        if (input.objecttype === OBJECT_TYPE.queue) {
          const queue = await routing.createQueue(appId, { name: input.name, areaId: input.parentobjectguid ?? null, ...(input.priority === undefined ? {} : { priority: input.priority }) });
          return { objectguid: queue.id };
        }
        if (input.objecttype === OBJECT_TYPE.queueGroup) return { objectguid: (await routing.createQueueGroup(appId, { name: input.name, queueIds: input.queuegroups ?? [] })).id };
        throw new AnyChatError('PARAM_INVALID', `objecttype ${input.objecttype} cannot be set`);
      }
      if (!input.objectguid) throw new AnyChatError('BODY_INVALID', 'objectguid is required to modify or delete');
      const target = await findObject(appId, input.objectguid);
      if (input.action === 2) {
        if (target.objecttype === OBJECT_TYPE.area) await routing.deleteArea(appId, target.objectguid);
        else if (target.objecttype === OBJECT_TYPE.queue) await routing.deleteQueue(appId, target.objectguid);
        else await routing.deleteQueueGroup(appId, target.objectguid);
        return {};
      }
      if (target.objecttype === OBJECT_TYPE.area) {
        if (input.name !== undefined) await routing.renameArea(appId, target.objectguid, input.name);
      } else if (target.objecttype === OBJECT_TYPE.queue) {
        await routing.updateQueue(appId, target.objectguid, {
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.priority === undefined ? {} : { priority: input.priority }),
          ...(input.parentobjectguid === undefined ? {} : { areaId: input.parentobjectguid }),
        });
      } else {
        await routing.updateQueueGroup(appId, target.objectguid, { ...(input.name === undefined ? {} : { name: input.name }), ...(input.queuegroups === undefined ? {} : { queueIds: input.queuegroups }) });
      }
      return {};
    },

    async object_status_get(appId, body) {
      const input = parse(UserRef.extend({ objectguid: Guid, infotype: z.number().int() }), body);
      const reply = (objecttype: number, infovalue: Reply) => ({ objectguid: input.objectguid, objecttype, infotype: input.infotype, infovalue, ...(userIdOf(input) ? { struserid: userIdOf(input) } : {}) });
      const { infotype } = input;
      if (infotype >= 401 && infotype <= 405) {
        const overview = await routing.overview(appId);
        const area = overview.areas.find((a) => a.areaId === input.objectguid);
        if (!area) throw new AnyChatError('PARAM_INVALID', `area ${input.objectguid} not found`);
        if (infotype === INFO_TYPE.agentCount) return reply(OBJECT_TYPE.area, { agentcount: area.agents });
        // Guests of the area not waiting in a queue: those being offered or served.
        if (infotype === INFO_TYPE.guestCount) return reply(OBJECT_TYPE.area, { guestcount: area.guests - area.queued });
        if (infotype === INFO_TYPE.queuedCount) return reply(OBJECT_TYPE.area, { queueusercount: area.queued });
        if (infotype === INFO_TYPE.queueCount) return reply(OBJECT_TYPE.area, { queuecount: area.queues });
        const ids = await areaAgentIds(appId, area.areaId);
        return reply(OBJECT_TYPE.area, { userscount: ids.length, useridlist: ids });
      }
      if (infotype === INFO_TYPE.queueLength) {
        const queue = (await routing.overview(appId)).queues.find((q) => q.queueId === input.objectguid);
        if (!queue) throw new AnyChatError('PARAM_INVALID', `queue ${input.objectguid} not found`);
        return reply(OBJECT_TYPE.queue, { queuelength: queue.queued });
      }
      if (infotype === INFO_TYPE.agentStatus || infotype === INFO_TYPE.servedUser) {
        // The agent is userid/struserid (the seed's rule for 606), else the objectguid.
        const agent = await agentOf(appId, input, input.objectguid);
        const state = await routing.agentState(appId, agent.id);
        if (infotype === INFO_TYPE.agentStatus) return reply(OBJECT_TYPE.queue, { agentstatus: AGENT_STATUS_CODE[state.status] });
        const served = state.sessions.find((s) => s.state === 'assigned');
        const conversation = served && (await conversations.findConversation(appId, served.conversationId));
        const user = conversation ? await userInfo(appId, conversation.visitorId) : undefined;
        return reply(OBJECT_TYPE.queue, user ?? {});
      }
      throw new AnyChatError('PARAM_INVALID', `infotype ${infotype} is not supported`);
    },

    async userinfo_get(appId, body) {
      const input = parse(z.object({ userscount: z.number().int().optional(), useridlist: z.array(z.union([z.string(), z.number()])).min(1).max(50) }), body);
      const infos: Reply[] = [];
      for (const id of input.useridlist) {
        const info = await userInfo(appId, String(id));
        if (info) infos.push(info);
      }
      return { userscount: infos.length, userinfolist: infos };
    },

    async fileinfo_get(appId, body) {
      const input = parse(z.object({ activeseconds: z.number().int().positive().optional(), filelist: z.array(z.object({ fileid: Guid })).min(1).max(20) }), body);
      const files: Reply[] = [];
      for (const { fileid } of input.filelist) {
        const { ref } = await conversations.openFile(gatewayPrincipal(appId), fileid);
        // AnyChat filetype 4 = stored file (普通文件); fileurl needs the app's bearer (GET /v1/files/:id).
        files.push({ fileid: ref.id, filename: ref.name, filelength: ref.sizeBytes, filetype: 4, fileurl: ref.url, mimetype: ref.mimeType });
      }
      return { filecount: files.length, filelist: files };
    },

    /** Users connected now on every node: userflags 0 everyone, 2 agents only. */
    async online_useridlist_get(appId, body) {
      const input = parse(z.object({ userflags: z.union([z.literal(0), z.literal(2)]) }), body);
      const { agents, visitors } = await presence.online(appId);
      const ids = input.userflags === 2 ? agents : [...agents, ...visitors];
      return { userscount: ids.length, useridlist: ids };
    },

    /**
     * ctrlcode 1 kicks the user out (closes its sockets); 11 sets an agent's object: `priority` and
     * `queuegroups` (our queue group guids; integer skill groups have no native counterpart).
     */
    async userinfo_ctrl(appId, body) {
      const input = parse(
        UserRef.extend({
          ctrlcode: z.union([z.literal(1), z.literal(11)]),
          ctrlvalue: z.union([z.string(), z.object({ flags: z.number().int(), priority: z.number().int().min(0).max(100), queuegroups: z.array(Guid).max(50).optional() })]).optional(),
        }),
        body,
      );
      const userId = input.struserid ?? (input.userid === undefined ? undefined : String(input.userid));
      if (!userId) throw new AnyChatError('BODY_INVALID', 'body: userid or struserid is required');
      if (input.ctrlcode === 1) {
        await transparent.kick(appId, userId);
        return {};
      }
      if (typeof input.ctrlvalue !== 'object') throw new AnyChatError('BODY_INVALID', 'body: ctrlvalue must be {flags, priority, queuegroups?} for ctrlcode 11');
      const current = await routing.getSkills(appId, userId);
      await routing.setSkills(appId, userId, {
        skills: current.skills,
        priority: input.ctrlvalue.priority,
        queueGroups: input.ctrlvalue.queuegroups?.map((queueGroupId) => ({ queueGroupId })) ?? current.queueGroups,
      });
      return {};
    },

    /** Transparent channel: base64 data (≤ 8192 characters) to a connected user. */
    async transbuffer(appId, body) {
      const input = parse(UserRef.extend({ databuf: z.base64().min(1).max(8192) }), body);
      const userId = input.struserid ?? (input.userid === undefined ? undefined : String(input.userid));
      if (!userId) throw new AnyChatError('BODY_INVALID', 'body: userid or struserid is required');
      await transparent.push(appId, userId, input.databuf);
      return {};
    },

    /** Stored files (AnyChat filetype 4) by page, time range and name; recordings and snapshots come with calls. */
    async filelist_get(appId, body) {
      const input = parse(
        z.object({
          pageindex: z.number().int().min(1),
          perpagecount: z.number().int().min(1).max(30),
          begintime: z.string().optional(),
          endtime: z.string().optional(),
          filetype: z.number().int().min(1).max(7).optional(),
          filename: z.string().max(200).optional(),
          filenamematch: z.union([z.literal(0), z.literal(1)]).optional(),
        }),
        body,
      );
      const time = (value: string | undefined, field: string) => {
        if (value === undefined) return undefined;
        const ms = parseAnyChatTimestamp(value);
        if (ms === undefined) throw new AnyChatError('BODY_INVALID', `body: ${field} must be yyyyMMddHHmmss`);
        return ms;
      };
      const fromMs = time(input.begintime, 'begintime');
      // The seed: a range longer than 3 months is cut to 3 months after its start.
      let toMs = time(input.endtime, 'endtime');
      if (fromMs !== undefined && toMs !== undefined) toMs = Math.min(toMs, fromMs + THREE_MONTHS_MS);
      const wantsStored = input.filetype === undefined || (input.filetype & FILE_TYPE_STORED) !== 0;
      const { total, files } = wantsStored
        ? await conversations.listFiles(appId, { fromMs, toMs, name: input.filename, exactName: input.filenamematch === 1, offset: (input.pageindex - 1) * input.perpagecount, limit: input.perpagecount })
        : { total: 0, files: [] };
      return {
        pagecount: Math.ceil(total / input.perpagecount),
        pageindex: input.pageindex,
        totalcount: total,
        filecount: files.length,
        filelist: files.map((f) => ({ fileid: f.id, filename: f.name, filelength: f.sizeBytes, filetype: FILE_TYPE_STORED, fileurl: f.url, createtime: formatAnyChatTimestamp(f.createdAt), flags: 0 })),
      };
    },

    /** ctrltype 1 deletes, 2 renames, up to 30 files at once; any unknown file fails the request before anything changes. */
    async fileinfo_ctrl(appId, body) {
      const input = parse(
        z.object({ ctrltype: z.union([z.literal(1), z.literal(2)]), filelist: z.array(z.object({ fileid: Guid, renamefile: z.string().trim().min(1).max(200).optional() })).min(1).max(30) }),
        body,
      );
      if (input.ctrltype === 2 && input.filelist.some((f) => f.renamefile === undefined)) throw new AnyChatError('BODY_INVALID', 'body: renamefile is required to rename');
      for (const { fileid } of input.filelist) await conversations.openFile(gatewayPrincipal(appId), fileid);
      for (const file of input.filelist) {
        if (input.ctrltype === 1) await conversations.deleteFile(appId, file.fileid);
        else await conversations.renameFile(appId, file.fileid, file.renamefile!);
      }
      return {};
    },
  };
  return methods;
}
