import { DomainError } from '../../platform/errors.ts';

/**
 * AnyChat business-server error codes (seed 003 §5 "业务服务器错误代码"), with the HTTP status each
 * would have. NOTE: the gateway answers every failure with HTTP 200 all the same: the seed's reply
 * fields (return_code, return_msg) are "valid only on 200", so a seed client reads them only there.
 */
export const ANYCHAT_ERRORS = {
  PARAM_INVALID: { code: 100701, status: 400 }, // 无效参数: URL parameters missing/malformed, unknown object
  APPID_NOTEXIST: { code: 100702, status: 404 }, // 应用ID不存在
  BODY_INVALID: { code: 100703, status: 400 }, // Body无效
  SIGVERIFYFAIL: { code: 100704, status: 401 }, // 签名验证失败
  SIGTIMEINVALID: { code: 100705, status: 403 }, // 签名时间戳无效
  MEMORYFAIL: { code: 100706, status: 500 },
  EXCEPTION: { code: 100707, status: 500 }, // 出现异常
  PROTOCOLFAIL: { code: 100708, status: 404 }, // 通信协议出错: unknown or unsupported method
  TIMEOUT: { code: 100709, status: 408 },
  FILENOEXIST: { code: 100710, status: 404 }, // 文件不存在
} as const;

export type AnyChatErrorName = keyof typeof ANYCHAT_ERRORS;

export class AnyChatError extends Error {
  constructor(
    readonly kind: AnyChatErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'AnyChatError';
  }
}

export interface AnyChatFailure {
  status: number;
  body: { return_code: 'FAIL'; return_msg: string; error_code: number };
}

function fail(name: AnyChatErrorName, message: string): AnyChatFailure {
  const { code, status } = ANYCHAT_ERRORS[name];
  return { status, body: { return_code: 'FAIL', return_msg: message, error_code: code } };
}

/**
 * The one place native errors become AnyChat replies: our own AnyChatError as is; native
 * "not found" of files → 100710, of other objects → 100701; invalid input → 100703; conflicts
 * (in use, taken) → 100701 with the native message; anything else → 100707 (logged by the caller).
 */
export function toAnyChatFailure(err: unknown): AnyChatFailure | undefined {
  if (err instanceof AnyChatError) return fail(err.kind, err.message);
  if (err instanceof DomainError) {
    const code: string = err.code;
    if (code === 'FD_FILE_NOT_FOUND') return fail('FILENOEXIST', err.message);
    if (code === 'FD_REQ_INVALID') return fail('BODY_INVALID', err.message);
    if (code.endsWith('_NOT_FOUND')) return fail('PARAM_INVALID', err.message);
    return fail('PARAM_INVALID', `${code}: ${err.message}`);
  }
  if (err instanceof Error && err.name === 'ZodError') return fail('BODY_INVALID', 'body fields are missing or invalid');
  return undefined;
}

export function unexpectedFailure(): AnyChatFailure {
  return fail('EXCEPTION', 'internal error');
}
