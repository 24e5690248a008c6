import { describe, expect, it } from 'vitest';
import { deviceOf, locationOf } from './visit-context.ts';

describe('visit context', () => {
  it.each([
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'Chrome 120', 'Windows 10/11'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.61', 'Edge 120', 'Windows 10/11'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari 17', 'macOS 10.15'],
    ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'Firefox 121', 'Linux'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1', 'Safari 17', 'iOS 17'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.43 Mobile Safari/537.36', 'Chrome 120', 'Android 14'],
    ['Mozilla/5.0 (Linux; Android 13; V2219A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0.5304.141 Mobile Safari/537.36 MicroMessenger/8.0.43.2480(0x28002B37) WeChat/arm64', 'WeChat 8', 'Android 13'],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36', 'Chrome 131', 'Linux'],
  ])('reads the browser and OS of %s', (ua, browser, os) => {
    expect(deviceOf(ua)).toEqual({ browser, os });
  });

  it('says nothing of what it does not know', () => {
    expect(deviceOf(undefined)).toEqual({ browser: null, os: null });
    expect(deviceOf('curl/8.4.0')).toEqual({ browser: null, os: null });
  });

  it('places a visitor by the region of its language and the city of its time zone', () => {
    expect(locationOf('zh-CN', 'Asia/Shanghai')).toBe('CN · Shanghai');
    expect(locationOf('pt-BR', 'America/Sao_Paulo')).toBe('BR · Sao Paulo');
    expect(locationOf('zh-Hant-TW', null)).toBe('TW');
    expect(locationOf('en', 'America/Argentina/Buenos_Aires')).toBe('Buenos Aires');
    expect(locationOf('en', 'UTC')).toBeNull();
    expect(locationOf(null, 'Etc/GMT+8')).toBeNull();
  });
});
