import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { probeRemoteAudio } from './probes.ts';

/** Whether the page receives a remote stream with audio under `key` (a role, or `role:id`). */
export const hasRemoteAudio = (page: Page, key: string) => page.evaluate((k) => !!(window as any).__call.remote[k]?.audio, key);

/** The page comes to hear `hz` (±25 Hz, louder than -40 dBFS) on the stream under `key`, within 15 s. */
export async function expectHears(page: Page, key: string, hz: number): Promise<void> {
  await expect
    .poll(async () => {
      if (!(await hasRemoteAudio(page, key))) return false;
      const heard = await probeRemoteAudio(page, key, 300);
      return Math.abs(heard.dominantHz - hz) < 25 && heard.levelDb > -40;
    }, { timeout: 15_000, interval: 100 })
    .toBe(true);
}

/** The page comes to receive nothing under `key` (the server ended that subscription), within 10 s. */
export async function expectNotReceiving(page: Page, key: string): Promise<void> {
  await expect.poll(() => hasRemoteAudio(page, key), { timeout: 10_000, interval: 100 }).toBe(false);
}
