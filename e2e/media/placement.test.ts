import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../apps/server/src/platform/clock.ts';
import { createExternalMediaServer, createJanusSupervisor, type JanusSupervisor, type MediaEvent, type MediaServer } from '../../apps/server/src/modules/calls/media/index.ts';
import { assertInsideMediaNamespace, TEST_ICE_ADDRESS } from './media-harness.ts';

/** Two Janus instances behind one port (FRONTDESK_JANUS_URLS): least-loaded placement, a dead one skipped, then used again. */
describe('placement over two Janus instances', () => {
  const log = pino({ level: 'silent' });
  const apiSecret = 'shared-test-secret';
  let dataDir: string;
  let janus: JanusSupervisor[];
  let media: MediaServer;
  const events: MediaEvent[] = [];

  beforeAll(async () => {
    assertInsideMediaNamespace();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-media-'));
    janus = ['one', 'two'].map((name) => createJanusSupervisor({ dataDir: path.join(dataDir, name), apiSecret, iceEnforceList: TEST_ICE_ADDRESS, clock: systemClock, log }));
    const urls = (await Promise.all(janus.map((j) => j.start()))).map((a) => a.url);
    media = createExternalMediaServer({ urls, apiSecret, clock: systemClock, log });
    media.onEvent((e) => events.push(e));
    for (let waitedMs = 0; !media.health().every((h) => h.isUp); waitedMs += 50) {
      if (waitedMs > 10_000) throw new Error(`instances not up: ${JSON.stringify(media.health())}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await media?.close();
    await Promise.all((janus ?? []).map((j) => j.stop()));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('puts each new room on the least-loaded live instance, skips a dead one, and uses it again once it is back', async () => {
    const [one, two] = media.health().map((h) => h.instanceId) as [string, string];
    const first = await media.createRoom({ callId: 'c1' });
    const second = await media.createRoom({ callId: 'c2' });
    expect([first.instanceId, second.instanceId]).toEqual([one, two]);

    process.kill(janus[0]!.pid()!, 'SIGKILL');
    await expect.poll(() => events.some((e) => e.type === 'instance.down' && e.instanceId === one), { timeout: 5000, interval: 5 }).toBe(true);
    expect(events.find((e) => e.type === 'room.lost')).toMatchObject({ room: first });
    const whileDown = await Promise.all([media.createRoom({ callId: 'c3' }), media.createRoom({ callId: 'c4' })]);
    expect(whileDown.map((r) => r.instanceId)).toEqual([two, two]);

    // The supervisor restarts it on the same port; the instance's reconnect loop finds it again.
    await expect.poll(() => media.health()[0]!.isUp, { timeout: 15_000 }).toBe(true);
    expect((await media.createRoom({ callId: 'c5' })).instanceId).toBe(one);
    expect(media.health().map((h) => h.rooms)).toEqual([1, 3]);
  });
});
