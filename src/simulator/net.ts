import ipaddr from 'ipaddr.js';

/**
 * Address checks the simulated Napter and devices need. The documentation ranges count as global, as in
 * the bot (`src/domain/net`), so scenarios can use them.
 */

const DOCUMENTATION_RANGES = ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32'].map((cidr) =>
  ipaddr.parseCIDR(cidr),
);

function parse(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.parse(text);
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

export function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

function isDocumentation(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return DOCUMENTATION_RANGES.some(([network, prefix]) => network.kind() === address.kind() && address.match(network, prefix));
}

export function isGlobalAddress(text: string): boolean {
  const address = parse(text);
  if (address === undefined) return false;
  return address.range() === 'unicast' || isDocumentation(address);
}

export function parseCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | undefined {
  const withPrefix = text.includes('/') ? text : `${text}/${isIpv4(text) ? 32 : 128}`;
  try {
    return ipaddr.parseCIDR(withPrefix);
  } catch {
    return undefined;
  }
}

/** A source range Napter accepts: a valid CIDR whose network address is global (documentation ranges included). */
export function isGlobalCidr(text: string): boolean {
  const cidr = parseCidr(text);
  if (cidr === undefined) return false;
  return isGlobalAddress(cidr[0].toString());
}

export function cidrContains(cidr: string, addressText: string): boolean {
  const range = parseCidr(cidr);
  const address = parse(addressText);
  if (range === undefined || address === undefined) return false;
  const [network, prefix] = range;
  if (network.kind() !== address.kind()) return false;
  return address.match(network, prefix);
}

export function anyCidrContains(cidrs: readonly string[], addressText: string): boolean {
  return cidrs.some((cidr) => cidrContains(cidr, addressText));
}

/** Prefix length of a CIDR, for most-specific-route matching. */
export function cidrPrefix(cidr: string): number {
  return parseCidr(cidr)?.[1] ?? -1;
}
