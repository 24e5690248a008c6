import { z } from 'zod';
import { DomainError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import type { ConversationsService } from '../conversations/index.ts';
import { ANYCHAT_ERRORS, AnyChatError } from './anychat.errors.ts';
import { parse, type Method, type Reply } from './anychat-parse.ts';
import { formatAnyChatTimestamp, parseAnyChatTimestamp } from './anychat-signature.ts';

// AnyChat filetype bits: 1 recording, 2 snapshot, 4 stored file (普通文件).
const FILE_TYPE_STORED = 4;
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
}

/**
 * AnyChat file methods (seed 003 filelist_get, fileinfo_get, fileinfo_ctrl) over the conversations'
 * files: stored files only (filetype 4; recordings and snapshots come with calls). `fileurl` is
 * absolute and signed, so it works without a token until `activeseconds` have passed.
 */
export function createAnyChatFiles(deps: {
  conversations: Pick<ConversationsService, 'openFile' | 'listFiles' | 'renameFile' | 'deleteFile'>;
  userOf: (appId: string, userId: string) => Promise<{ name: string } | undefined>;
  fileUrlOf: (fileId: string, activeSeconds: number) => string;
}) {
  const { conversations, userOf, fileUrlOf } = deps;

  /** The seed's file entry: who uploaded it (its name and address), when, and a link. */
  async function entryOf(appId: string, file: FileView, activeSeconds: number, names: Map<string, string>): Promise<Reply> {
    const uploader = file.uploaderId;
    if (uploader && !names.has(uploader)) names.set(uploader, (await userOf(appId, uploader).catch(() => undefined))?.name ?? '');
    return {
      fileid: file.id,
      filename: file.name,
      filelength: file.sizeBytes,
      filetype: FILE_TYPE_STORED,
      fileurl: fileUrlOf(file.id, activeSeconds),
      createtime: formatAnyChatTimestamp(file.createdAt),
      // Recording flags (seed 5.1) mean nothing for a stored file.
      flags: 0,
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
      const wantsStored = input.filetype === undefined || (input.filetype & FILE_TYPE_STORED) !== 0;
      const { total, files } = wantsStored
        ? await conversations.listFiles(appId, { fromMs, toMs, name: input.filename, exactName: input.filenamematch === 1, offset: (input.pageindex - 1) * input.perpagecount, limit: input.perpagecount })
        : { total: 0, files: [] };
      const names = new Map<string, string>();
      const filelist: Reply[] = [];
      for (const file of files) filelist.push(await entryOf(appId, file, DEFAULT_FILE_URL_SECONDS, names));
      return { pagecount: Math.ceil(total / input.perpagecount), pageindex: input.pageindex, totalcount: total, filecount: files.length, filelist };
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
