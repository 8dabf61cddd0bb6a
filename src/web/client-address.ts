import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import { normaliseIp } from '../domain/net';

/**
 * The caller's address as this server can vouch for it. `X-Forwarded-For` is a header anyone can send, so
 * it counts only when the direct peer is one of our own proxies; then the right-most hop that is not one
 * of them is the client (everything left of it was written by the client itself and proves nothing).
 */
export function clientAddress(req: Pick<IncomingMessage, 'socket' | 'headers'>, trustedProxies: readonly string[]): string {
  const peer = normaliseAddress(req.socket.remoteAddress ?? '') ?? '';
  const trusted = parseTrustedProxies(trustedProxies);
  if (!isTrusted(peer, trusted)) return peer;

  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  let nearest = peer;
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const hop = normaliseAddress(hops[index] ?? '');
    // A hop that is not an address means the chain was tampered with: stop at the last one we trust.
    if (hop === undefined) return nearest;
    if (!isTrusted(hop, trusted)) return hop;
    nearest = hop;
  }
  return nearest;
}

export type TrustedProxy = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Throws a RangeError naming the entry that is neither an IP address nor a CIDR. */
export function parseTrustedProxies(entries: readonly string[]): TrustedProxy[] {
  return entries.map((entry) => {
    const text = entry.trim();
    try {
      if (text.includes('/')) {
        const [address, prefix] = ipaddr.parseCIDR(text);
        return [unmap(address), address.kind() === 'ipv6' && unmap(address).kind() === 'ipv4' ? Math.max(prefix - 96, 0) : prefix];
      }
      const address = unmap(ipaddr.parse(strictAddress(text)));
      return [address, address.kind() === 'ipv4' ? 32 : 128];
    } catch (cause) {
      throw new RangeError(`TRUSTED_PROXIES entry "${entry}" is not an IP address or CIDR (for example 10.0.0.0/8 or 127.0.0.1)`, {
        cause,
      });
    }
  });
}

/**
 * The canonical text of an address (IPv4-mapped IPv6 as plain IPv4, RFC 5952 IPv6, zone dropped), or
 * undefined when the text is not one. Accepts the `addr:port` and `[v6]:port` forms proxies sometimes write.
 */
export function normaliseAddress(text: string): string | undefined {
  let candidate = text.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed?.[1] !== undefined) candidate = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(candidate)) candidate = candidate.slice(0, candidate.lastIndexOf(':'));
  return normaliseIp(candidate.replace(/%.*$/, ''));
}

function strictAddress(text: string): string {
  // ipaddr.parse also takes "1.2.3" and "0x7f.1": nobody writes those, and they hide mistakes or tricks.
  if (ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(':') && ipaddr.IPv6.isValid(text))) return text;
  throw new Error(`not an IP address: ${text}`);
}

function unmap(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function isTrusted(address: string, trusted: readonly TrustedProxy[]): boolean {
  if (trusted.length === 0 || address === '') return false;
  const parsed = ipaddr.parse(address);
  return trusted.some(([network, prefix]) => network.kind() === parsed.kind() && parsed.match([network, prefix] as never));
}
