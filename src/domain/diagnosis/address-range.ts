/**
 * Just enough address arithmetic to tell whether a source address seen in the audit log lies inside a
 * mapping's `source.ipRanges`. Pure and allocation-light: the diagnosis calls it once per connection.
 * Validation of user input (global unicast, prefix policy) is not done here: these are addresses
 * SORACOM already accepted or reported.
 */

export interface AddressRange {
  readonly bytes: Uint8Array;
  readonly prefixLength: number;
}

const IPV4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i += 1) {
    const part = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const zoneless = text.split('%')[0] ?? '';
  const halves = zoneless.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i += 1) {
      const piece = pieces[i] ?? '';
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
      groups.push(parseInt(piece, 16));
    }
    return groups;
  };
  const head = toGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? toGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** 4 bytes for IPv4 (IPv4-mapped IPv6 included), 16 for IPv6; undefined when it is not an address. */
export function parseAddress(text: string): Uint8Array | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const bytes = parseIpv6(trimmed);
    if (bytes && IPV4_MAPPED_PREFIX.every((value, i) => bytes[i] === value)) return bytes.slice(12);
    return bytes;
  }
  return parseIpv4(trimmed);
}

/** `203.0.113.0/24`, `2001:db8::/32`, or a bare address (a range of one). */
export function parseAddressRange(text: string): AddressRange | undefined {
  const [addressText, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || addressText === undefined) return undefined;
  const bytes = parseAddress(addressText);
  if (!bytes) return undefined;
  const maxPrefix = bytes.length * 8;
  if (prefixText === undefined) return { bytes, prefixLength: maxPrefix };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  return prefixLength <= maxPrefix ? { bytes, prefixLength } : undefined;
}

export function rangeContains(range: AddressRange, address: Uint8Array): boolean {
  if (range.bytes.length !== address.length) return false;
  let remaining = range.prefixLength;
  for (let i = 0; remaining > 0; i += 1) {
    const bits = Math.min(8, remaining);
    const mask = (0xff << (8 - bits)) & 0xff;
    if (((range.bytes[i] ?? 0) & mask) !== ((address[i] ?? 0) & mask)) return false;
    remaining -= bits;
  }
  return true;
}

/** undefined when the address cannot be parsed: the caller then cannot tell, rather than "outside". */
export function anyRangeContains(ranges: readonly AddressRange[], addressText: string): boolean | undefined {
  const address = parseAddress(addressText);
  if (!address) return undefined;
  return ranges.some((range) => rangeContains(range, address));
}
