/**
 * What a capture may be: a still image as browsers encode a canvas or a camera photo (JPEG or PNG),
 * told by its first bytes. The conversations' upload path checks the type again (file-type); this
 * check only keeps a capture from being any other allowed file (a PDF sent as a "snapshot").
 */
const JPEG = [0xff, 0xd8, 0xff];
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type CaptureImageType = 'image/jpeg' | 'image/png';

export function captureImageType(bytes: Uint8Array): CaptureImageType | null {
  const startsWith = (magic: number[]) => bytes.length > magic.length && magic.every((b, i) => bytes[i] === b);
  if (startsWith(JPEG)) return 'image/jpeg';
  if (startsWith(PNG)) return 'image/png';
  return null;
}

/** The file name a capture gets: its kind and the time it was taken (UTC), e.g. `snapshot-20261205-004012.jpg`. */
export function captureFileName(kind: 'snapshot' | 'photo', type: CaptureImageType, atMs: number): string {
  const iso = new Date(atMs).toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${kind}-${stamp}.${type === 'image/png' ? 'png' : 'jpg'}`;
}
