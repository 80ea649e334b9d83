import { WEBHOOK_LIMITS } from '@accord/contracts';

/** What the profile allows besides public HTTPS endpoints. */
export interface WebhookUrlPolicy {
  /** The embedded profile: a receiver on this machine (loopback host), over http or https. */
  readonly allowLoopback: boolean;
}

/**
 * Why `raw` cannot be a webhook endpoint, or null when it can (NOT-11). Hostile input: https only;
 * http, and any loopback host, only where the profile allows loopback; never credentials (they would
 * rest in events and lists), a fragment, whitespace, or an IP literal of a private, link-local or
 * unspecified network (the receiver must not be a way into Accord's own network).
 */
export function webhookUrlProblem(raw: unknown, policy: WebhookUrlPolicy): string | null {
  if (typeof raw !== 'string' || raw.length === 0) return 'url must be an absolute https URL';
  if (raw.length > WEBHOOK_LIMITS.url) return `url must be at most ${WEBHOOK_LIMITS.url} characters`;
  if (/[\s\x00-\x1f\x7f]/.test(raw)) return 'url must not contain whitespace or control characters';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute https URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must use https';
  if (url.username !== '' || url.password !== '') return 'url must not carry credentials';
  if (raw.includes('#')) return 'url must not have a fragment';
  const host = url.hostname.toLowerCase();
  if (host === '') return 'url must name a host';
  const loopback = isLoopbackHost(host);
  if (loopback && !policy.allowLoopback) return 'url must not point to this machine (loopback)';
  if (url.protocol === 'http:' && !(loopback && policy.allowLoopback))
    return policy.allowLoopback ? 'url must use https (http only to a loopback host)' : 'url must use https';
  if (!loopback && isInternalAddress(host)) return 'url must not point to a private, link-local or unspecified address';
  return null;
}

/**
 * Why a receiver's resolved IP address must not be connected to, or null when it may (NOT-11):
 * what the URL check does for IP literals, done again on the address a host name resolved to at
 * send time — a public name may resolve (or be re-pointed) to Accord's own network.
 */
export function webhookAddressProblem(address: string, policy: WebhookUrlPolicy): string | null {
  if (isLoopbackHost(address)) return policy.allowLoopback ? null : 'the receiver resolved to a loopback address';
  return isInternalAddress(address) ? 'the receiver resolved to a private, link-local or unspecified address' : null;
}

/** `localhost` (and names under it), 127.0.0.0/8 and ::1. */
export function isLoopbackHost(host: string): boolean {
  const h = unbracket(host);
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const v4 = ipv4(h);
  if (v4) return v4[0] === 127;
  return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h) || /^::ffff:7f[0-9a-f]{2}:/.test(h);
}

/** IP literals of networks a public receiver never has (RFC 1918, link-local, CGNAT, unspecified, ULA). */
function isInternalAddress(host: string): boolean {
  const h = unbracket(host);
  const v4 = ipv4(h) ?? ipv4(h.replace(/^::ffff:/, ''));
  if (v4) {
    const [a, b] = v4 as [number, number, number, number];
    return (
      a === 0 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (!h.includes(':')) return false;
  // WHATWG URL writes IPv4-mapped IPv6 in hex (`::ffff:a00:1`): internal unless public, refuse them all.
  return h === '::' || /^f[cd][0-9a-f]{0,2}:/.test(h) || /^fe[89ab][0-9a-f]?:/.test(h) || h.startsWith('::ffff:');
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The four octets of a dotted IPv4 literal (as the URL parser normalised it), or null. */
function ipv4(host: string): number[] | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : null;
}
