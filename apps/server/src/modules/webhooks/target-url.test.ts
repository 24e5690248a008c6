import { describe, expect, it } from 'vitest';
import { checkTargetUrl, originOf, refusalOf } from './target-url.ts';

const strict = { allowPrivateTargets: false, allowedTargets: [] };
const lax = { allowPrivateTargets: true, allowedTargets: [] };

describe('webhook target URLs', () => {
  it('accepts public http(s) URLs and normalizes them', () => {
    expect(checkTargetUrl('https://hooks.example.com/in?x=1#frag', strict)).toBe('https://hooks.example.com/in?x=1');
    expect(checkTargetUrl('http://93.184.216.34:8080/', strict)).toBe('http://93.184.216.34:8080/');
  });

  it('refuses other schemes, credentials and non-URLs', () => {
    for (const url of ['ftp://example.com/', 'file:///etc/passwd', 'gopher://example.com', 'http://u:p@example.com/', 'http://u@example.com/', '/relative', 'not a url']) {
      expect(() => checkTargetUrl(url, strict), url).toThrow(expect.objectContaining({ code: 'FD_WEBHOOK_URL_INVALID' }));
    }
  });

  it('refuses loopback, private, link-local, metadata, meta and decimal or mapped forms of them', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://127.1/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
      'http://[::]/',
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://169.254.169.254/',
      'http://[fe80::1]/',
      'http://[fc00::1]/',
      'http://224.0.0.1/',
      'http://localhost/',
      'http://api.localhost/',
    ]) {
      expect(() => checkTargetUrl(url, strict), url).toThrow(expect.objectContaining({ code: 'FD_WEBHOOK_URL_NOT_ALLOWED' }));
    }
  });

  it('private targets pass when allowed (tests) or listed by the operator; 0.0.0.0 never does', () => {
    expect(checkTargetUrl('http://127.0.0.1:9/', lax)).toBe('http://127.0.0.1:9/');
    expect(refusalOf('10.1.2.3', { allowPrivateTargets: false, allowedTargets: ['10.1.0.0/16'] })).toBeUndefined();
    expect(refusalOf('10.2.0.1', { allowPrivateTargets: false, allowedTargets: ['10.1.0.0/16', '::1'] })).toMatch(/private/);
    expect(refusalOf('127.0.0.2', { allowPrivateTargets: false, allowedTargets: ['127.0.0.2'] })).toBeUndefined();
    expect(refusalOf('0.0.0.0', lax)).toMatch(/meta/);
  });

  it('logs only the origin of a URL (its query may hold a token)', () => {
    expect(originOf('https://hooks.example.com/in?token=secret')).toBe('https://hooks.example.com');
  });
});
