import { constants, createPublicKey, publicDecrypt, verify } from 'node:crypto';
import { constantTimeEqual, md5Hex } from '../../platform/crypto/index.ts';

/**
 * AnyChat gateway signatures (seed 003 "签名示例"), pure functions over plain data.
 * MD5: signstr = md5("method&appid&timestamp&secret"), 32 hex digits, compared case-insensitively.
 * RSA: signstr = RSA (PKCS#1 v1.5) signature over the MD5 digest of "method&appid&timestamp",
 * made with the business's private key and verified with the public key set for its app;
 * accepted as hex or base64.
 * NOTE: the seed says the APP "encrypts" the MD5 digest with its private key (RSA加密, 私钥签名), and
 * shows a 32-hex-digit result: a seed client may well run a raw RSA private-key encryption (PKCS#1
 * v1.5 type 1, no DigestInfo) over the digest, or over its hex text. Those are accepted too: the
 * public key opens them and what is inside must be that digest.
 */

export const SIGN_TYPES = ['MD5', 'RSA'] as const;
export type SignType = (typeof SIGN_TYPES)[number];

export function signedString(method: string, appId: string, timestamp: string): string {
  return `${method}&${appId}&${timestamp}`;
}

/** Uppercase, as in the seed's example (`077AB6353B129837B281FAF99D4F439D`). */
export function md5Signature(method: string, appId: string, timestamp: string, secret: string): string {
  return md5Hex(`${signedString(method, appId, timestamp)}&${secret}`).toUpperCase();
}

export function isMd5SignatureValid(signstr: string, method: string, appId: string, timestamp: string, secret: string): boolean {
  return constantTimeEqual(md5Signature(method, appId, timestamp, secret), signstr.toUpperCase());
}

function signatureBytes(signstr: string): Buffer[] {
  const candidates: Buffer[] = [];
  if (/^[0-9a-fA-F]+$/.test(signstr) && signstr.length % 2 === 0) candidates.push(Buffer.from(signstr, 'hex'));
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(signstr)) candidates.push(Buffer.from(signstr, 'base64'));
  return candidates.filter((b) => b.length > 0);
}

export function isRsaSignatureValid(signstr: string, method: string, appId: string, timestamp: string, publicKeyPem: string): boolean {
  let key;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return false;
  }
  const data = Buffer.from(signedString(method, appId, timestamp), 'utf8');
  const digestHex = md5Hex(data);
  const expected = [Buffer.from(digestHex, 'hex'), Buffer.from(digestHex), Buffer.from(digestHex.toUpperCase())];
  return signatureBytes(signstr).some((sig) => {
    try {
      if (verify('md5', data, key, sig)) return true;
    } catch {
      // not a signature of this key's size: maybe raw below, else refused
    }
    try {
      const opened = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, sig);
      return expected.some((e) => constantTimeEqual(opened, e));
    } catch {
      return false;
    }
  });
}

/** Whether a PEM is an RSA public key we can verify with. */
export function isRsaPublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * NOTE: the seed's timestamps (`yyyyMMddHHmmss`, e.g. 20150503103548) carry no zone; AnyChat is
 * deployed on China time, so we read them as UTC+8 (Asia/Shanghai, no daylight saving).
 * Returns epoch ms, or undefined when the value is not a real date in that format.
 */
export const ANYCHAT_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;

export function parseAnyChatTimestamp(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || check.getUTCHours() !== h || check.getUTCMinutes() !== mi || check.getUTCSeconds() !== s) return undefined;
  return utc - ANYCHAT_UTC_OFFSET_MS;
}

export function formatAnyChatTimestamp(epochMs: number): string {
  const d = new Date(epochMs + ANYCHAT_UTC_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

/** ±5 minutes around the server clock. */
export const ANYCHAT_TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

export function isTimestampFresh(timestampMs: number, nowMs: number): boolean {
  return Math.abs(nowMs - timestampMs) <= ANYCHAT_TIMESTAMP_WINDOW_MS;
}
