import { describe, expect, it } from 'vitest';
import { checkFileType } from './file-policy.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('upload type policy', () => {
  it('trusts the bytes, not the declared type', async () => {
    expect(await checkFileType(PNG, 'application/pdf')).toEqual({ ok: true, mimeType: 'image/png' });
    expect((await checkFileType(Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), 'image/png')).ok).toBe(false);
  });

  it('refuses active content: SVG, HTML, and text that is really markup', async () => {
    expect((await checkFileType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')).ok).toBe(false);
    expect((await checkFileType(Buffer.from('<!DOCTYPE html><p>x'), 'text/html')).ok).toBe(false);
    expect((await checkFileType(Buffer.from('  <script>alert(1)</script>'), 'text/plain')).ok).toBe(false);
  });

  it('accepts plain UTF-8 text declared as text', async () => {
    expect(await checkFileType(Buffer.from('order 42: 你好'), 'text/plain; charset=utf-8')).toEqual({ ok: true, mimeType: 'text/plain' });
    expect((await checkFileType(Buffer.from([0x66, 0x00, 0x67]), 'text/plain')).ok).toBe(false);
  });
});
