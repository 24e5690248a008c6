import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { WebhookError } from './webhooks.errors.ts';

/**
 * Where webhooks may go. By default only public unicast addresses: no loopback, private,
 * link-local (cloud metadata 169.254.169.254), carrier-grade NAT, multicast, reserved, 0.0.0.0.
 * The same rule runs twice: here on the URL when a subscription is saved (literal IPs and
 * `localhost`), and in the HTTP agent on the address actually connected to (webhook-client.ts),
 * which is what stops host names that resolve to private addresses, DNS rebinding and redirects.
 */
export interface TargetPolicy {
  /** Tests and trusted networks only: every address but 0.0.0.0 / :: is allowed. */
  allowPrivateTargets: boolean;
  /** IPs and CIDR ranges allowed even though private (preferred over every other rule). */
  allowedTargets: readonly string[];
}

/** Why `address` may not be connected to, or undefined when it may. Mirrors request-filtering-agent's rule. */
export function refusalOf(address: string, policy: TargetPolicy): string | undefined {
  if (isIP(address) === 0) return undefined;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return `${address} is not a valid IP address`;
  }
  if (isInList(address, parsed, policy.allowedTargets)) return undefined;
  const range = parsed.range();
  if (range === 'unspecified') return `${address} is a meta address`;
  if (!policy.allowPrivateTargets && range !== 'unicast') return `${address} is a ${range} address`;
  return undefined;
}

function isInList(address: string, parsed: ipaddr.IPv4 | ipaddr.IPv6, list: readonly string[]): boolean {
  return list.some((entry) => {
    if (isIP(entry) !== 0) return entry === address;
    try {
      const cidr = ipaddr.parseCIDR(entry);
      return cidr[0].kind() === parsed.kind() && parsed.match(cidr);
    } catch {
      return false;
    }
  });
}

/**
 * Checks a subscription's URL and returns it normalized (WHATWG: `http://2130706433/` becomes
 * `http://127.0.0.1/`). http(s) only, no credentials, no fragment; a literal IP or `localhost`
 * is refused when `policy` refuses it. A host name is checked again on every connection.
 */
export function checkTargetUrl(input: string, policy: TargetPolicy): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new WebhookError('FD_WEBHOOK_URL_INVALID', 'url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookError('FD_WEBHOOK_URL_INVALID', 'url must be http or https');
  if (url.username || url.password) throw new WebhookError('FD_WEBHOOK_URL_INVALID', 'url must not contain a user name or password');
  url.hash = '';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const isLocalName = host === 'localhost' || host.endsWith('.localhost');
  const refusal = isLocalName && !policy.allowPrivateTargets ? `${host} is a loopback name` : refusalOf(host, policy);
  if (refusal) throw new WebhookError('FD_WEBHOOK_URL_NOT_ALLOWED', `url target not allowed: ${refusal}`);
  return url.href;
}

/** The part of a URL that may be logged: its query may carry a receiver's token. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}
