import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from './local-blob-store.ts';

describe('the local BlobStore', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontdesk-blobs-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('moves a file in under its key, opens it, replaces it whole, deletes its prefix', async () => {
    const root = tmp();
    const work = tmp();
    const store = createLocalBlobStore(root);
    fs.writeFileSync(path.join(work, 'a'), 'first');
    expect(await store.putFile('recordings/app/rec_1/mixed.mp4', path.join(work, 'a'))).toEqual({ sizeBytes: 5 });
    expect(fs.existsSync(path.join(work, 'a'))).toBe(false);
    fs.writeFileSync(path.join(work, 'b'), 'second!');
    await store.putFile('recordings/app/rec_1/mixed.mp4', path.join(work, 'b'));
    const blob = await store.open('recordings/app/rec_1/mixed.mp4');
    expect(blob?.sizeBytes).toBe(7);
    blob?.stream.destroy();
    expect(await store.open('recordings/app/rec_1/nope.mp4')).toBeNull();
    await store.deletePrefix('recordings/app/rec_1');
    expect(fs.existsSync(path.join(root, 'recordings', 'app', 'rec_1'))).toBe(false);
  });

  it('refuses keys that would leave its directory or are not plain segments', async () => {
    const store = createLocalBlobStore(tmp());
    for (const key of ['../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/./b', 'a b', '']) await expect(store.open(key), key).rejects.toThrow(/invalid blob key/);
  });
});
