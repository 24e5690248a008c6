import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { systemClock } from '../../apps/server/src/platform/clock.ts';
import { startLocalMediaServer, type LocalMediaServer } from '../../apps/server/src/modules/calls/media/index.ts';
import { launchChromium } from '../browser.ts';
import { installCallClient } from './call-client.ts';

/**
 * Building blocks for media tests, which run inside a private network namespace (netns-run.sh: only
 * loopback plus 127.0.0.2 on a veth, because Chromium skips loopback interfaces for ICE):
 * the local Janus through our supervisor, fake capture files (one tone and one colour per party),
 * and one Chromium process per party (the fake-capture flags are per process).
 */

export const TEST_ICE_ADDRESS = '127.0.0.2';

/** True inside netns-run.sh: 127.0.0.2 sits on a non-loopback interface. */
export function isInsideMediaNamespace(): boolean {
  return Object.entries(os.networkInterfaces()).some(
    ([name, addrs]) => name !== 'lo' && (addrs ?? []).some((a) => a.address === TEST_ICE_ADDRESS),
  );
}

export function assertInsideMediaNamespace(): void {
  if (!isInsideMediaNamespace()) {
    throw new Error(`media tests need the private network namespace (${TEST_ICE_ADDRESS} on a veth): run them with "npm run test:media" (root or CAP_SYS_ADMIN)`);
  }
}

export type Tone = 440 | 880 | 1320 | 1760;
export type Colour = 'red' | 'green' | 'blue' | 'yellow';

let captureDir: string | undefined;

/** The fake capture files (made once per machine by make-fake-media.sh, needs ffmpeg). */
export function fakeCapture(toneHz: Tone, colour: Colour): { audioPath: string; videoPath: string } {
  captureDir ??= path.join(os.tmpdir(), 'frontdesk-fake-media');
  const audioPath = path.join(captureDir, `tone-${toneHz}.wav`);
  const videoPath = path.join(captureDir, `${colour}.y4m`);
  if (!fs.existsSync(audioPath) || !fs.existsSync(videoPath)) {
    execFileSync('bash', [path.join(import.meta.dirname, 'make-fake-media.sh'), captureDir], { stdio: 'ignore' });
  }
  return { audioPath, videoPath };
}

/** The local Janus under our supervisor, offering only 127.0.0.2 host candidates. */
export function startTestJanus(dataDir: string): Promise<LocalMediaServer> {
  return startLocalMediaServer({
    dataDir,
    iceEnforceList: TEST_ICE_ADDRESS,
    rtpPortRange: '20000-20999',
    clock: systemClock,
    log: pino({ level: process.env.FRONTDESK_MEDIA_TEST_LOG ?? 'error' }),
  });
}

export interface Party {
  participantId: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * One Chromium process whose camera shows `colour` and whose microphone plays `toneHz` (the fake
 * capture flags are per process: one browser per party). Its pages may be fulfilled by Playwright
 * on a loopback origin and still reach the loopback server.
 */
export function launchMediaBrowser(options: { toneHz: Tone; colour: Colour }): Promise<Browser> {
  const { audioPath, videoPath } = fakeCapture(options.toneHz, options.colour);
  return launchChromium({
    args: [
      `--use-file-for-fake-audio-capture=${audioPath}`,
      `--use-file-for-fake-video-capture=${videoPath}`,
      '--autoplay-policy=no-user-gesture-required',
      // A page Playwright fulfils counts as public to Chromium, which would then block its loopback requests.
      '--disable-features=LocalNetworkAccessChecks',
    ],
  });
}

/** One Chromium process whose camera shows `colour` and whose microphone plays `toneHz`, on the relay's page. */
export async function launchParty(options: { participantId: string; toneHz: Tone; colour: Colour; pageUrl: string; signalUrl: string }): Promise<Party> {
  const browser = await launchMediaBrowser(options);
  const page = await browser.newPage();
  await page.goto(options.pageUrl);
  await page.evaluate(installCallClient, { signalUrl: options.signalUrl, participantId: options.participantId });
  return { participantId: options.participantId, browser, page, close: () => browser.close() };
}
