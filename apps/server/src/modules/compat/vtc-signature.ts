import { constantTimeEqual, md5Hex } from '../../platform/crypto/index.ts';

/**
 * VTC third-party user API authentication (seed 000 §3.1, SPEC M2), pure functions over plain
 * data: secret = md5("appId=<appId>&timestamp=<timestamp>&appToken=<appToken>"), 32 lower-case hex
 * digits (upper-case is accepted too); timestamp in milliseconds since the epoch (GMT), accepted
 * within 60 s of the server's time either way.
 */
export const VTC_MAX_SKEW_MS = 60_000;

export function vtcSecretOf(appId: string, timestamp: string, appToken: string): string {
  return md5Hex(`appId=${appId}&timestamp=${timestamp}&appToken=${appToken}`);
}

/** `timestamp` is the text the caller signed, read as integer milliseconds. */
export function parseVtcTimestamp(timestamp: string): number | undefined {
  if (!/^\d{1,16}$/.test(timestamp)) return undefined;
  return Number(timestamp);
}

export function isVtcTimestampFresh(timestampMs: number, nowMs: number): boolean {
  return Math.abs(nowMs - timestampMs) <= VTC_MAX_SKEW_MS;
}

/** The secret compared in constant time, and the timestamp within ±60 s. */
export function isVtcRequestAuthentic(input: { appId: string; timestamp: string; secret: string; appToken: string; nowMs: number }): boolean {
  const at = parseVtcTimestamp(input.timestamp);
  if (at === undefined || !/^[0-9a-fA-F]{32}$/.test(input.secret)) return false;
  const isSigned = constantTimeEqual(vtcSecretOf(input.appId, input.timestamp, input.appToken), input.secret.toLowerCase());
  return isSigned && isVtcTimestampFresh(at, input.nowMs);
}
