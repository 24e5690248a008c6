import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

let executablePath: string | undefined;

/** Debian's Chromium, installed by scripts/chromium.sh when missing. */
export function chromiumPath(): string {
  executablePath ??= execFileSync('bash', [path.resolve(import.meta.dirname, '../scripts/chromium.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim().split('\n').at(-1)!;
  return executablePath;
}

/** The names and addresses the harness's Chromium resolves: loopback's. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '::1'];

/**
 * Every host name but `excluded` fails to resolve inside Chromium (net::ERR_NAME_NOT_RESOLVED), before
 * any DNS query. IP literals go through the same rules, hence the loopback addresses excluded one by
 * one. An excluded pattern may hold `*` (`*.localhost`).
 */
export function hostResolverRules(excluded: readonly string[]): string {
  return `--host-resolver-rules=MAP * ~NOTFOUND, ${excluded.map((host) => `EXCLUDE ${host}`).join(', ')}`;
}

/**
 * Loopback only: no browser test can reach a public host, even by mistake. An origin a test fulfils
 * with `route.fulfill` (`http://shop.invalid`, `http://127.0.0.3:9`) still loads: Playwright answers
 * before the request reaches the resolver. Every Chromium a test launches carries it (also the
 * extension's persistent context).
 */
export const LOOPBACK_ONLY_FLAG = hostResolverRules(LOOPBACK_HOSTS);

export interface ChromiumOptions extends LaunchOptions {
  /** Flags added to the harness's own. */
  args?: string[];
  /** False: nothing answers the camera and microphone prompt, so Chromium denies it. */
  grantMedia?: boolean;
}

/** Headless Chromium with fake media devices, reaching loopback only. Close it in afterAll. */
export function launchChromium({ args = [], grantMedia = true, ...options }: ChromiumOptions = {}): Promise<Browser> {
  return chromium.launch({
    ...options,
    executablePath: chromiumPath(),
    headless: true,
    // NOTE: the loopback rule comes last: Chromium takes the last value of a repeated switch.
    args: ['--no-sandbox', ...(grantMedia ? ['--use-fake-ui-for-media-stream'] : []), '--use-fake-device-for-media-stream', ...args, LOOPBACK_ONLY_FLAG],
  });
}
