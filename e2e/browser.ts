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

/**
 * Every host name but loopback's fails to resolve inside Chromium (net::ERR_NAME_NOT_RESOLVED), before
 * any DNS query: no browser test can reach a public host, even by mistake. IP literals go through the
 * same rules, hence the loopback addresses excluded one by one. An origin a test fulfils with
 * `route.fulfill` (`http://shop.invalid`, `http://127.0.0.3:9`) still loads: Playwright answers before
 * the request reaches the resolver.
 */
export const LOOPBACK_ONLY_FLAG = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE ::1';

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
