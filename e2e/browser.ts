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

/** Headless Chromium with fake media devices. Close it in afterAll. */
export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', ...(options.args ?? [])],
    ...options,
  });
}
