import { parseIpAddress, type IpAddress } from '../net/address';

/**
 * Whether a source address seen in the audit log lies inside a mapping's `source.ipRanges`. Addresses are
 * parsed once per connection with the one IP parser of the core (`net/address.ts`, on ipaddr.js). No
 * global-unicast or prefix-policy checks here: these are addresses SORACOM already accepted or reported.
 */
export interface AddressRange {
  readonly network: IpAddress;
  readonly prefixLength: number;
}

/** IPv4-mapped IPv6 becomes IPv4; undefined when the text is not one address. */
export function parseAddress(text: string): IpAddress | undefined {
  return parseIpAddress(text);
}

/** `203.0.113.0/24`, `2001:db8::/32`, or a bare address (a range of one). */
export function parseAddressRange(text: string): AddressRange | undefined {
  const [addressText, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || addressText === undefined) return undefined;
  const network = parseIpAddress(addressText);
  if (!network) return undefined;
  const maxPrefix = network.kind() === 'ipv4' ? 32 : 128;
  if (prefixText === undefined) return { network, prefixLength: maxPrefix };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  return prefixLength <= maxPrefix ? { network, prefixLength } : undefined;
}

export function rangeContains(range: AddressRange, address: IpAddress): boolean {
  return address.kind() === range.network.kind() && address.match(range.network, range.prefixLength);
}
