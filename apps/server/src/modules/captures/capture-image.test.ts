import { describe, expect, it } from 'vitest';
import { captureFileName, captureImageType } from './capture-image.ts';

describe('capture images', () => {
  it('accepts JPEG and PNG by their first bytes, nothing else', () => {
    expect(captureImageType(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0]))).toBe('image/jpeg');
    expect(captureImageType(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(captureImageType(new TextEncoder().encode('%PDF-1.7 ...'))).toBeNull();
    expect(captureImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(captureImageType(Uint8Array.from([0xff, 0xd8]))).toBeNull();
  });

  it('names a capture by its kind and UTC time', () => {
    expect(captureFileName('snapshot', 'image/jpeg', Date.UTC(2026, 11, 5, 0, 40, 12))).toBe('snapshot-20261205-004012.jpg');
    expect(captureFileName('photo', 'image/png', Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('photo-20260102-030405.png');
  });
});
