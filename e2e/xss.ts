import type { Page } from 'playwright-core';

/**
 * The XSS corpus of the browser tests (RELIABILITY 11): markup and script URLs that set
 * `window.__xss` if a page ever runs them. The last text mixes a real link with markup after it:
 * only the http(s) part may become a link.
 */
export const XSS_TEXTS = [
  '<img src=x onerror="window.__xss=1">',
  '<svg onload="window.__xss=1"><circle r="9"/></svg>',
  '<a href="javascript:window.__xss=1">open</a> javascript:window.__xss=1',
  '[click me](javascript:window.__xss=1) [me too](JaVaScRiPt:window.__xss=1)',
  'http://127.0.0.1:9/?q="><img src=x onerror=window.__xss=1>',
];
export const XSS_AGENT_NAME = 'Mallory <img src=x onerror="window.__xss=1">';
export const XSS_VISITOR_NAME = 'Eve <svg onload="window.__xss=1">';
export const XSS_CHANNEL_NAME = 'Shop <img src=x onerror="window.__xss=1">';
/** A file name that is markup; give it the extension of the file's real type. */
export const xssFileName = (extension: string) => `<img src=x onerror="window.__xss=1">.${extension}`;

/** What the page would have run or linked: the sentinel, handler attributes, javascript: URLs (shadow roots included). */
export async function xssTraces(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        for (const a of el.attributes) {
          if (/^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\s*javascript:/i.test(a.value))) found.push(`<${el.tagName} ${a.name}="${a.value}">`);
        }
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    if ((window as { __xss?: unknown }).__xss !== undefined) found.push('window.__xss was set');
    return found;
  });
}
