import type { Recording } from '@frontdesk/protocol';
import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import type { ConversationsService } from '../conversations/index.ts';
import { ANYCHAT_ERRORS, AnyChatError } from './anychat.errors.ts';
import { parse, type Method, type Reply } from './anychat-parse.ts';
import { formatAnyChatTimestamp, parseAnyChatTimestamp } from './anychat-signature.ts';

// AnyChat filetype bits: 1 recording, 2 snapshot, 4 stored file (普通文件).
const FILE_TYPE_RECORDING = 1;
const FILE_TYPE_SNAPSHOT = 2;
const FILE_TYPE_STORED = 4;
/** BRAC_RECORD_FLAGS_SNAPSHOT (seed 5.1): a call's snapshot or photo. */
const SNAPSHOT_FLAGS = 0x400;
const THREE_MONTHS_MS = 92 * 24 * 60 * 60 * 1000;
/** fileurl lifetime when `activeseconds` is not given (the seed: "以应用配置为准"), and the longest one asked for. */
export const DEFAULT_FILE_URL_SECONDS = 3600;
const MAX_FILE_URL_SECONDS = 7 * 24 * 3600;

const Guid = z.string().min(1).max(100);

/** The gateway acts for the whole app, as a server-API key would. */
function gatewayPrincipal(appId: string): Principal {
  return { kind: 'apiKey', appId, keyId: 'anychat-gateway' };
}

interface FileView {
  id: string;
  name: string;
  sizeBytes: number;
  createdAt: number;
  uploaderId: string | null;
  uploaderIp: string | null;
  /** A call's snapshot or photo (filetype 2), or a file sent in the chat (null: filetype 4). */
  capture: string | null;
}

/** What the file methods use of call recordings (the recordings module, passed in from app.ts). */
export interface AnyChatRecordings {
  find(appId: string, id: string): Promise<Recording | undefined>;
  listReady(appId: string, query: { fromMs?: number | undefined; toMs?: number | undefined; name?: string | undefined; exactName?: boolean; offset: number; limit: number }): Promise<{ total: number; recordings: Recording[] }>;
  linkOf(recording: Recording, options: { ttlSeconds?: number | undefined }): { url: string };
  renameInApp(appId: string, id: string, name: string): Promise<boolean>;
  deleteInApp(appId: string, id: string): Promise<boolean>;
}

/** Our recording ids (`rec_…`) and file ids never collide: a fileid names one or the other. */
const isRecordingId = (id: string) => id.startsWith('rec_');

/**
 * AnyChat file methods (seed 003 filelist_get, fileinfo_get, fileinfo_ctrl) over the conversations'
 * stored files (filetype 4; a call's snapshots and photos are filetype 2 with the snapshot flag) and the app's ready call recordings (filetype 1: the mixed file, its
 * record flags, its agent). `fileurl` is absolute and signed, so it works without a token until
 * `activeseconds` have passed. A listing of both kinds has the recordings first, then the files.
 */
export function createAnyChatFiles(deps: {
  conversations: Pick<ConversationsService, 'openFile' | 'listFiles' | 'renameFile' | 'deleteFile'>;
  recordings?: AnyChatRecordings | undefined;
  userOf: (appId: string, userId: string) => Promise<{ name: string } | undefined>;
  fileUrlOf: (fileId: string, activeSeconds: number) => string;
}) {
  const { conversations, userOf, fileUrlOf, recordings } = deps;

  /** A recording as the seed's file entry: the mixed file, by the call's agent. */
  async function recordingEntryOf(appId: string, recording: Recording, activeSeconds: number, names: Map<string, string>): Promise<Reply> {
    const agentId = recording.participants.find((p) => p.startsWith('agent:'))?.slice('agent:'.length) ?? '';
    if (agentId && !names.has(agentId)) names.set(agentId, (await userOf(appId, agentId).catch(() => undefined))?.name ?? '');
    const mixed = recording.files.find((f) => f.role === 'mixed');
    return {
      fileid: recording.id,
      filename: recording.name,
      filelength: mixed?.sizeBytes ?? 0,
      filetype: FILE_TYPE_RECORDING,
      fileurl: recordings!.linkOf(recording, { ttlSeconds: activeSeconds }).url,
      createtime: formatAnyChatTimestamp(recording.createdAt),
      flags: recording.recordFlags,
      struserid: agentId,
      username: (agentId && names.get(agentId)) || '',
      useripaddr: '',
      param: Math.round((recording.durationMs ?? 0) / 1000),
      strparam: recording.callId,
    };
  }

  /** The seed's file entry: who uploaded it (its name and address), when, and a link. */
  async function entryOf(appId: string, file: FileView, activeSeconds: number, names: Map<string, string>): Promise<Reply> {
    const uploader = file.uploaderId;
    if (uploader && !names.has(uploader)) names.set(uploader, (await userOf(appId, uploader).catch(() => undefined))?.name ?? '');
    return {
      fileid: file.id,
      filename: file.name,
      filelength: file.sizeBytes,
      filetype: file.capture ? FILE_TYPE_SNAPSHOT : FILE_TYPE_STORED,
      fileurl: fileUrlOf(file.id, activeSeconds),
      createtime: formatAnyChatTimestamp(file.createdAt),
      // Recording flags (seed 5.1) mean nothing for a stored file; a snapshot has its own.
      flags: file.capture ? SNAPSHOT_FLAGS : 0,
      struserid: uploader ?? '',
      username: (uploader && names.get(uploader)) || '',
      useripaddr: file.uploaderIp ?? '',
      param: 0,
      strparam: '',
    };
  }

  const methods: Record<string, Method> = {
    async fileinfo_get(appId, body) {
      const input = parse(z.object({ activeseconds: z.number().int().positive().max(MAX_FILE_URL_SECONDS).optional(), filelist: z.array(z.object({ fileid: Guid })).min(1).max(20) }), body);
      const names = new Map<string, string>();
      const files: Reply[] = [];
      for (const { fileid } of input.filelist) {
        if (isRecordingId(fileid)) {
          const recording = await recordings?.find(appId, fileid);
          if (!recording || recording.status !== 'ready') throw new AnyChatError('FILENOEXIST', `no file ${fileid}`);
          files.push(await recordingEntryOf(appId, recording, input.activeseconds ?? DEFAULT_FILE_URL_SECONDS, names));
          continue;
        }
        const file = await conversations.openFile(gatewayPrincipal(appId), fileid);
        files.push(await entryOf(appId, { ...file, id: file.ref.id, name: file.ref.name, sizeBytes: file.ref.sizeBytes }, input.activeseconds ?? DEFAULT_FILE_URL_SECONDS, names));
      }
      return { filecount: files.length, filelist: files };
    },

    /** Stored files by page, time range and name. */
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
      const wantsFiles = input.filetype === undefined || (input.filetype & FILE_TYPE_STORED) !== 0;
      const wantsSnapshots = input.filetype === undefined || (input.filetype & FILE_TYPE_SNAPSHOT) !== 0;
      const wantsStored = wantsFiles || wantsSnapshots;
      // Snapshots and photos are files of the conversations too: one listing, filtered by their mark.
      const captures = wantsFiles && wantsSnapshots ? undefined : wantsSnapshots ? ('only' as const) : ('exclude' as const);
      const wantsRecordings = recordings !== undefined && (input.filetype === undefined || (input.filetype & FILE_TYPE_RECORDING) !== 0);
      const offset = (input.pageindex - 1) * input.perpagecount;
      const filter = { fromMs, toMs, name: input.filename, exactName: input.filenamematch === 1 };
      // Recordings first, then stored files: the page takes what is left of it from the files.
      const recorded = wantsRecordings ? await recordings.listReady(appId, { ...filter, offset, limit: input.perpagecount }) : { total: 0, recordings: [] };
      const left = input.perpagecount - recorded.recordings.length;
      const stored = wantsStored
        ? await conversations.listFiles(appId, { ...filter, captures, offset: Math.max(0, offset - recorded.total), limit: Math.max(left, 1) })
        : { total: 0, files: [] };
      const names = new Map<string, string>();
      const filelist: Reply[] = [];
      for (const recording of recorded.recordings) filelist.push(await recordingEntryOf(appId, recording, DEFAULT_FILE_URL_SECONDS, names));
      for (const file of left > 0 ? stored.files.slice(0, left) : []) filelist.push(await entryOf(appId, file, DEFAULT_FILE_URL_SECONDS, names));
      const total = recorded.total + stored.total;
      return { pagecount: Math.ceil(total / input.perpagecount), pageindex: input.pageindex, totalcount: total, filecount: filelist.length, filelist };
    },

    /** ctrltype 1 deletes, 2 renames, up to 30 files at once; each file gets its own errorcode (0, or 100710 not found). */
    async fileinfo_ctrl(appId, body) {
      const input = parse(
        z.object({ ctrltype: z.union([z.literal(1), z.literal(2)]), filelist: z.array(z.object({ fileid: Guid, renamefile: z.string().trim().min(1).max(200).optional() })).min(1).max(30) }),
        body,
      );
      if (input.ctrltype === 2 && input.filelist.some((f) => f.renamefile === undefined)) throw new AnyChatError('BODY_INVALID', 'body: renamefile is required to rename');
      const results: { fileid: string; errorcode: number }[] = [];
      for (const file of input.filelist) {
        if (isRecordingId(file.fileid)) {
          const done = input.ctrltype === 1 ? await recordings?.deleteInApp(appId, file.fileid) : await recordings?.renameInApp(appId, file.fileid, file.renamefile!);
          results.push({ fileid: file.fileid, errorcode: done ? 0 : ANYCHAT_ERRORS.FILENOEXIST.code });
          continue;
        }
        try {
          await conversations.openFile(gatewayPrincipal(appId), file.fileid);
          if (input.ctrltype === 1) await conversations.deleteFile(appId, file.fileid);
          else await conversations.renameFile(appId, file.fileid, file.renamefile!);
          results.push({ fileid: file.fileid, errorcode: 0 });
        } catch (err) {
          if (!(err instanceof DomainError) || err.code !== 'FD_FILE_NOT_FOUND') throw err;
          results.push({ fileid: file.fileid, errorcode: ANYCHAT_ERRORS.FILENOEXIST.code });
        }
      }
      return { filecount: results.length, filelist: results };
    },
  };
  return { methods };
}
