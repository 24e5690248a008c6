import type { AgentState } from '@frontdesk/protocol';
import { z } from 'zod';
import type { Storage } from '../../platform/storage/storage.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ConversationsService } from '../conversations/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { RoutingService } from '../routing/index.ts';
import type { Presence } from '../presence/index.ts';
import type { TransparentChannel } from '../transparent/index.ts';
import { AnyChatError } from './anychat.errors.ts';
import { createAnyChatFiles, type AnyChatRecordings } from './anychat-files.ts';
import { createAnyChatObjects, OBJECT_TYPE, type ObjectsRouting } from './anychat-objects.ts';
import { parse, type Method, type Reply } from './anychat-parse.ts';
import { formatAnyChatTimestamp } from './anychat-signature.ts';

export { OBJECT_TYPE } from './anychat-objects.ts';

/** What the AnyChat methods use of the native modules, passed in from app.ts. */
export interface AnyChatDeps {
  storage: Storage;
  clock: Clock;
  routing: ObjectsRouting & Pick<RoutingService, 'overview' | 'agentState' | 'getSkills' | 'setSkills'>;
  identity: Pick<IdentityService, 'getAgent' | 'getVisitor' | 'loginOf'>;
  conversations: Pick<ConversationsService, 'openFile' | 'findConversation' | 'listFiles' | 'renameFile' | 'deleteFile'>;
  transparent: Pick<TransparentChannel, 'push' | 'kick'>;
  presence: Pick<Presence, 'online'>;
  /** The absolute URL of a file that works without a token for `activeSeconds` (AnyChat fileurl). */
  fileUrlOf: (fileId: string, activeSeconds: number) => string;
  /** Call recordings, listed and managed as files of filetype 1. */
  recordings?: AnyChatRecordings | undefined;
}

// AnyChat infotype 401 agent count, 402 guests not queued, 403 queued users, 404 queue count,
// 405 agent id list (of an area); 504 queue length (of a queue); 601 agent status, 606 user an agent serves.
export const INFO_TYPE = { agentCount: 401, guestCount: 402, queuedCount: 403, queueCount: 404, agentIds: 405, queueLength: 504, agentStatus: 601, servedUser: 606 } as const;

// AnyChat agent status 0 prepare (未准备), 1 waiting (示闲), 2 working (服务中), 3 pause (示忙/离开).
const AGENT_STATUS_CODE: Record<AgentState['status'], 0 | 1 | 2 | 3> = { offline: 0, free: 1, busy: 2, wrap_up: 2, not_ready: 3, rest: 3 };

const Guid = z.string().min(1).max(100);
const UserRef = z.object({ userid: z.union([z.number(), z.string()]).optional(), struserid: z.string().optional() });

/** The gateway's methods by name (seed 003): objects (anychat-objects.ts), files (anychat-files.ts), users and the transparent channel here. */
export function createAnyChatMethods(deps: AnyChatDeps) {
  const { routing, identity, transparent, presence } = deps;
  const conversations = deps.conversations;
  const objects = createAnyChatObjects({ storage: deps.storage, clock: deps.clock, routing });
  const files = createAnyChatFiles({ conversations, recordings: deps.recordings, userOf: (appId, userId) => identity.loginOf(appId, userId), fileUrlOf: deps.fileUrlOf });

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

  /** The seed's user info: our ids are strings (struserid); userlevel 0 (we have no levels); where and when it signed in. */
  async function userInfo(appId: string, userId: string): Promise<Reply | undefined> {
    const user = await identity.loginOf(appId, userId);
    if (!user) return undefined;
    return {
      struserid: userId,
      username: user.name,
      userlevel: 0,
      loginip: user.loginIp ?? '',
      logintime: user.loginAt === null ? '' : formatAnyChatTimestamp(user.loginAt),
      // AnyChat object flags: 0x00 client, 0x02 agent.
      userflags: user.kind === 'agent' ? 0x02 : 0x00,
    };
  }

  // userinfo_ctrl 11's ctrlvalue: the seed types it String(1000) (JSON text) and shows an object; both are read.
  const UserObject = z.object({
    flags: z.number().int(),
    priority: z.number().int().min(0).max(100),
    skillgroups: z.array(z.number().int()).max(50).optional(),
    queuegroups: z.array(z.union([z.number().int(), Guid])).max(50).optional(),
  });
  function userObjectOf(ctrlvalue: unknown): z.infer<typeof UserObject> {
    let value = ctrlvalue;
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value);
      } catch {
        throw new AnyChatError('BODY_INVALID', 'body: ctrlvalue is not JSON');
      }
    }
    const parsed = UserObject.safeParse(value);
    if (!parsed.success) throw new AnyChatError('BODY_INVALID', 'body: ctrlvalue must be {flags, priority, skillgroups?, queuegroups?} for ctrlcode 11');
    return parsed.data;
  }

  const methods: Record<string, Method> = {
    ...objects.methods,
    ...files.methods,

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
      // NOTE: the seed's table says userscount / userinfolist, its example usercount / usersinfolist: both are answered.
      return { userscount: infos.length, userinfolist: infos, usercount: infos.length, usersinfolist: infos };
    },

    /** Users connected now on every node: userflags 0 everyone, 2 agents only. */
    async online_useridlist_get(appId, body) {
      const input = parse(z.object({ userflags: z.union([z.literal(0), z.literal(2)]) }), body);
      const { agents, visitors } = await presence.online(appId);
      const ids = input.userflags === 2 ? agents : [...agents, ...visitors];
      return { userscount: ids.length, useridlist: ids };
    },

    /**
     * ctrlcode 1 kicks the user out (revokes its tokens, closes its sockets); 11 sets an agent's
     * object: `priority`, `skillgroups` (skill objectids: the agent serves the queues that list them)
     * and `queuegroups` (queue group objectids or guids).
     */
    async userinfo_ctrl(appId, body) {
      const input = parse(UserRef.extend({ ctrlcode: z.union([z.literal(1), z.literal(11)]), ctrlvalue: z.unknown().optional() }), body);
      const userId = userIdOf(input);
      if (!userId) throw new AnyChatError('BODY_INVALID', 'body: userid or struserid is required');
      if (input.ctrlcode === 1) {
        await transparent.kick(appId, userId);
        return {};
      }
      const value = userObjectOf(input.ctrlvalue);
      const current = await routing.getSkills(appId, userId);
      const skillQueues = value.skillgroups === undefined ? undefined : await objects.queuesWithSkillGroups(appId, value.skillgroups);
      const queueGroups = value.queuegroups === undefined ? undefined : await objects.queueGroupIdsOf(appId, value.queuegroups);
      await routing.setSkills(appId, userId, {
        skills: skillQueues === undefined ? current.skills : skillQueues.map((queueId) => current.skills.find((s) => s.queueId === queueId) ?? { queueId, level: 3, isDefault: false }),
        priority: value.priority,
        queueGroups: queueGroups === undefined ? current.queueGroups : queueGroups.map((queueGroupId) => ({ queueGroupId, level: 3 })),
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

  };
  return methods;
}
