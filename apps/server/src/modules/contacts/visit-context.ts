/**
 * What a contact's panel says of the visitor's device and place, read from what the browser sends:
 * the User-Agent header (browser and OS, by the common tokens; unknown ones say nothing), the
 * language tag and the IANA time zone. Pure functions: no lookup service, no IP geolocation.
 */

/** Order matters: Edge and Opera carry "Chrome", Chrome carries "Safari". */
const BROWSERS: readonly [name: string, pattern: RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /\b(?:OPR|Opera)\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['WeChat', /\bMicroMessenger\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  // Headless Chrome (automation, previews) says "HeadlessChrome/120".
  ['Chrome', /(?:\b|Headless)(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//],
];

const OPERATING_SYSTEMS: readonly [name: string, pattern: RegExp, version?: (match: RegExpExecArray) => string | undefined][] = [
  ['iOS', /\b(?:iPhone|iPad|iPod).*? OS (\d+)[_\d]*/, (m) => m[1]],
  ['Android', /\bAndroid (\d+)/, (m) => m[1]],
  ['Windows', /\bWindows NT (\d+\.\d+)/, (m) => WINDOWS_VERSIONS[m[1] ?? '']],
  ['ChromeOS', /\bCrOS\b/],
  ['macOS', /\bMac OS X (\d+)[_.](\d+)/, (m) => (m[1] === '10' ? `10.${m[2]}` : m[1])],
  ['Linux', /\bLinux\b/],
];

const WINDOWS_VERSIONS: Record<string, string> = { '10.0': '10/11', '6.3': '8.1', '6.2': '8', '6.1': '7' };

/** "Chrome 120" and "Windows 10/11" from a User-Agent header; null for what it does not recognise. */
export function deviceOf(userAgent: string | undefined): { browser: string | null; os: string | null } {
  if (!userAgent) return { browser: null, os: null };
  const ua = userAgent.slice(0, 512);
  let browser: string | null = null;
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(ua);
    if (match) {
      browser = `${name} ${match[1]}`;
      break;
    }
  }
  let os: string | null = null;
  for (const [name, pattern, version] of OPERATING_SYSTEMS) {
    const match = pattern.exec(ua);
    if (match) {
      const v = version?.(match);
      os = v ? `${name} ${v}` : name;
      break;
    }
  }
  return { browser, os };
}

/**
 * Where the visitor probably is: the region of its language tag (zh-CN → CN) and the city of its
 * time zone (Asia/Shanghai → Shanghai), e.g. "CN · Shanghai". Null when neither says anything.
 * NOTE: both are what the browser is set to, not a measured position; the panel labels it so.
 */
export function locationOf(language: string | null, timeZone: string | null): string | null {
  const region = language ? /^[A-Za-z]{2,3}(?:-[A-Za-z]{4})?-([A-Za-z]{2}|\d{3})\b/.exec(language)?.[1]?.toUpperCase() : undefined;
  const city = timeZone && timeZone.includes('/') && !timeZone.startsWith('Etc/') ? timeZone.slice(timeZone.lastIndexOf('/') + 1).replace(/_/g, ' ') : undefined;
  const parts = [region, city].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' · ') : null;
}
