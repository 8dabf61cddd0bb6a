import ipaddr from 'ipaddr.js';

/**
 * IP address rules for Napter sources. Napter admits global addresses only, so the bot refuses every
 * other kind up front with a reason, instead of letting SORACOM reject the request or, worse, opening a
 * mapping nobody can reach.
 *
 * The documentation ranges (RFC 5737 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24; RFC 3849
 * 2001:db8::/32; RFC 9637 3fff::/20) count as global: examples, tests and the playground use them,
 * nobody types them by mistake, and they open nothing real.
 */

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;

/** Why an address is not global; `global` includes the documentation ranges. */
export type AddressScope =
  | 'global'
  | 'unspecified'
  | 'private'
  | 'carrier-grade-nat'
  | 'loopback'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'unique-local'
  | 'reserved';

export type NonGlobalScope = Exclude<AddressScope, 'global'>;

export const NON_GLOBAL_SCOPES: readonly NonGlobalScope[] = [
  'unspecified',
  'private',
  'carrier-grade-nat',
  'loopback',
  'link-local',
  'multicast',
  'broadcast',
  'unique-local',
  'reserved',
];

interface ScopedRange {
  readonly network: IpAddress;
  readonly prefix: number;
  readonly scope: NonGlobalScope;
}

function range(cidr: string, scope: NonGlobalScope): ScopedRange {
  const [network, prefix] = ipaddr.parseCIDR(cidr);
  return { network, prefix, scope };
}

/** Every IPv4 range that is not global unicast (IANA special-purpose registry), most specific first. */
const NON_GLOBAL_V4: readonly ScopedRange[] = [
  range('255.255.255.255/32', 'broadcast'),
  range('0.0.0.0/8', 'unspecified'),
  range('10.0.0.0/8', 'private'),
  range('172.16.0.0/12', 'private'),
  range('192.168.0.0/16', 'private'),
  range('100.64.0.0/10', 'carrier-grade-nat'),
  range('127.0.0.0/8', 'loopback'),
  range('169.254.0.0/16', 'link-local'),
  range('224.0.0.0/4', 'multicast'),
  range('192.0.0.0/24', 'reserved'),
  range('192.31.196.0/24', 'reserved'),
  range('192.52.193.0/24', 'reserved'),
  range('192.88.99.0/24', 'reserved'),
  range('192.175.48.0/24', 'reserved'),
  range('198.18.0.0/15', 'reserved'),
  range('240.0.0.0/4', 'reserved'),
];

/** Global unicast IPv6 lives in 2000::/3; these are the special-purpose blocks inside it. */
const GLOBAL_UNICAST_V6 = range('2000::/3', 'reserved');
const NON_GLOBAL_INSIDE_2000_V6: readonly ScopedRange[] = [
  // IETF protocol assignments: Teredo, benchmarking, AMT, AS112, ORCHID…
  range('2001::/23', 'reserved'),
  range('2002::/16', 'reserved'),
  range('2620:4f:8000::/48', 'reserved'),
];
/** Outside 2000::/3: named for the message, everything else there is `reserved`. */
const NON_GLOBAL_OUTSIDE_2000_V6: readonly ScopedRange[] = [
  range('::/128', 'unspecified'),
  range('::1/128', 'loopback'),
  range('fc00::/7', 'unique-local'),
  range('fe80::/10', 'link-local'),
  range('ff00::/8', 'multicast'),
];

const DOCUMENTATION_RANGES: readonly ScopedRange[] = [
  range('192.0.2.0/24', 'reserved'),
  range('198.51.100.0/24', 'reserved'),
  range('203.0.113.0/24', 'reserved'),
  range('2001:db8::/32', 'reserved'),
  range('3fff::/20', 'reserved'),
];

function within(address: IpAddress, scoped: ScopedRange): boolean {
  return address.kind() === scoped.network.kind() && address.match(scoped.network, scoped.prefix);
}

/**
 * Parses one address strictly: IPv4 only as four decimal numbers (ipaddr.js would also read `0x7f.1`
 * or `010.0.0.1` as octal, which nobody means), IPv6 without a zone id. An IPv4-mapped IPv6 address
 * becomes the IPv4 address it carries, so `::ffff:10.0.0.1` is judged as the private address it is.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const trimmed = text.trim();
  if (ipaddr.IPv4.isValidFourPartDecimal(trimmed)) return ipaddr.IPv4.parse(trimmed);
  if (!trimmed.includes(':') || trimmed.includes('%') || !ipaddr.IPv6.isValid(trimmed)) return undefined;
  const v6 = ipaddr.IPv6.parse(trimmed);
  return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
}

/** The canonical text of an address: dotted IPv4, RFC 5952 IPv6 (lower case, shortest); IPv4-mapped IPv6 → IPv4. */
export function formatIpAddress(address: IpAddress): string {
  return address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
}

/** `normaliseIp('::ffff:203.0.113.5')` → `'203.0.113.5'`; `undefined` for anything that is not one address. */
export function normaliseIp(text: string): string | undefined {
  const address = parseIpAddress(text);
  return address === undefined ? undefined : formatIpAddress(address);
}

export function isDocumentationAddress(address: IpAddress): boolean {
  return DOCUMENTATION_RANGES.some((documentation) => within(address, documentation));
}

export function addressScope(address: IpAddress): AddressScope {
  if (address.kind() === 'ipv4') {
    return NON_GLOBAL_V4.find((scoped) => within(address, scoped))?.scope ?? 'global';
  }
  if (!within(address, GLOBAL_UNICAST_V6)) {
    return NON_GLOBAL_OUTSIDE_2000_V6.find((scoped) => within(address, scoped))?.scope ?? 'reserved';
  }
  return NON_GLOBAL_INSIDE_2000_V6.find((scoped) => within(address, scoped))?.scope ?? 'global';
}

/** Whether `text` is one global unicast address (documentation ranges included). Invalid text is not. */
export function isGlobalAddress(text: string): boolean {
  const address = parseIpAddress(text);
  return address !== undefined && addressScope(address) === 'global';
}

/**
 * The first non-global range that shares any address with the block `network/prefix`, or `undefined`
 * when the whole block is global. Two CIDR blocks overlap exactly when the shorter one contains the
 * other's network address.
 */
export function nonGlobalOverlap(network: IpAddress, prefix: number): NonGlobalScope | undefined {
  const overlaps = (scoped: ScopedRange): boolean =>
    scoped.network.kind() === network.kind() &&
    (prefix <= scoped.prefix ? scoped.network.match(network, prefix) : network.match(scoped.network, scoped.prefix));
  if (network.kind() === 'ipv4') return NON_GLOBAL_V4.find(overlaps)?.scope;
  if (prefix < GLOBAL_UNICAST_V6.prefix || !within(network, GLOBAL_UNICAST_V6)) {
    return NON_GLOBAL_OUTSIDE_2000_V6.find(overlaps)?.scope ?? 'reserved';
  }
  return NON_GLOBAL_INSIDE_2000_V6.find(overlaps)?.scope;
}

/** An address alone as the range of just it (`/32`, `/128`); text that already has a prefix is returned as it is. */
export function hostCidr(text: string): string {
  return text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
}

/**
 * Hides the host part of an address for messages others can read (the channel): `203.0.113.45` →
 * `203.0.113.x`, `2001:db8:1:2::5` → `2001:db8:1:x::x`. A range keeps its prefix (`203.0.113.x/24`): the
 * width says who may connect without saying who. Text that is not an address is masked whole.
 */
export function maskIp(text: string): string {
  const slash = text.indexOf('/');
  if (slash !== -1) {
    const prefix = text.slice(slash + 1);
    return /^\d{1,3}$/.test(prefix) ? `${maskIp(text.slice(0, slash))}/${prefix}` : 'x';
  }
  const address = parseIpAddress(text);
  if (address === undefined) return 'x';
  if (address.kind() === 'ipv4') {
    const [a, b, c] = (address as ipaddr.IPv4).octets;
    return `${a}.${b}.${c}.x`;
  }
  const parts = (address as ipaddr.IPv6).parts.slice(0, 3).map((part) => part.toString(16));
  return `${parts.join(':')}:x::x`;
}

const IPV4_IN_TEXT = /\b(\d{1,3}\.\d{1,3}\.\d{1,3})\.\d{1,3}\b/g;
/** Candidates only: at least two colons and one hex digit; ipaddr.js decides. */
const IPV6_IN_TEXT = /[0-9a-f]*:[0-9a-f:]*:[0-9a-f:.]*/gi;

/** Every IPv4 and IPv6 address in a text masked: the last line of defence for text shown where others read it. */
export function maskAddressesInText(text: string): string {
  return text
    .replace(IPV4_IN_TEXT, (whole, firstThree: string) => (ipaddr.isValid(whole) ? `${firstThree}.x` : whole))
    .replace(IPV6_IN_TEXT, (whole: string, offset: number, all: string) => {
      const alreadyMasked = all[offset + whole.length] === 'x';
      const isAddress = /[0-9a-f]/i.test(whole) && ipaddr.IPv6.isValid(whole);
      return alreadyMasked || !isAddress ? whole : maskIp(whole);
    });
}
