import ipaddr from 'ipaddr.js';
import { echoToken } from '../command/normalise';
import type { MessageRef } from '../i18n/message-ref';
import { msg } from '../i18n/message-ref';
import type { Result } from '../result';
import { err, ok } from '../result';
import type { IpAddress, NonGlobalScope } from './address';
import { formatIpAddress, nonGlobalOverlap, parseIpAddress } from './address';

/**
 * The source range of a mapping (`source.ipRanges`): who may connect. Rules, in the order they are checked:
 * 1. One IPv4 or IPv6 address or CIDR; an address alone means just it (/32, /128).
 * 2. Never "everyone" (`0.0.0.0/0`, `::/0`): a Napter endpoint open to the world is what the feature exists to avoid.
 * 3. No host bits after the prefix. `203.0.113.5/24` is refused rather than widened to `203.0.113.0/24`:
 *    whoever typed it may have meant the one address, and silently admitting 255 more is the wrong guess.
 *    The message offers both readings.
 * 4. Every address in the range is global (documentation ranges count as global, see `address.ts`).
 * 5. Not wider than the limits (policy); a /24 is the widest IPv4 range by default, a /48 for IPv6.
 */

export interface SourceRangeLimits {
  /** The shortest IPv4 prefix allowed: 24 means a /24 is the widest, a /23 is refused. */
  readonly maxPrefixV4Width: number;
  readonly maxPrefixV6Width: number;
}

export const DEFAULT_SOURCE_RANGE_LIMITS: SourceRangeLimits = { maxPrefixV4Width: 24, maxPrefixV6Width: 48 };

export type SourceRangeErrorCode = 'invalid' | 'any-address' | 'host-bits-set' | 'not-global' | 'too-wide';

export interface SourceRangeError {
  readonly code: SourceRangeErrorCode;
  /** For `not-global`: which kind of address. */
  readonly scope?: NonGlobalScope;
  readonly message: MessageRef;
}

interface Block {
  readonly network: IpAddress;
  readonly prefix: number;
}

const MAX_INPUT_LENGTH = 64;

function parseBlock(text: string): Block | undefined {
  const trimmed = text.trim();
  if (trimmed.length > MAX_INPUT_LENGTH) return undefined;
  const slash = trimmed.indexOf('/');
  if (slash === -1) {
    const address = parseIpAddress(trimmed);
    return address === undefined ? undefined : { network: address, prefix: address.kind() === 'ipv4' ? 32 : 128 };
  }
  const addressText = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (ipaddr.IPv4.isValidFourPartDecimal(addressText)) {
    return prefix <= 32 ? { network: ipaddr.IPv4.parse(addressText), prefix } : undefined;
  }
  if (!addressText.includes(':') || addressText.includes('%') || !ipaddr.IPv6.isValid(addressText) || prefix > 128) {
    return undefined;
  }
  const v6 = ipaddr.IPv6.parse(addressText);
  // An IPv4-mapped block (`::ffff:203.0.113.0/120`) is judged as the IPv4 block it carries.
  if (v6.isIPv4MappedAddress() && prefix >= 96) return { network: v6.toIPv4Address(), prefix: prefix - 96 };
  return { network: v6, prefix };
}

function networkOf(block: Block): IpAddress {
  const cidr = `${block.network.toString()}/${block.prefix}`;
  return block.network.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
}

function formatBlock(network: IpAddress, prefix: number): string {
  return `${formatIpAddress(network)}/${prefix}`;
}

function widthError(block: Block, input: string, limits: SourceRangeLimits): SourceRangeError | undefined {
  const maxPrefix = block.network.kind() === 'ipv4' ? limits.maxPrefixV4Width : limits.maxPrefixV6Width;
  if (block.prefix >= maxPrefix) return undefined;
  return { code: 'too-wide', message: msg('command.source.too-wide', { input, prefix: block.prefix, maxPrefix }) };
}

/** Parses and checks a source range typed by a user (or seen by the IP page); the value is the normalised CIDR. */
export function parseSourceRange(text: string, limits: SourceRangeLimits = DEFAULT_SOURCE_RANGE_LIMITS): Result<string, SourceRangeError> {
  const block = parseBlock(text);
  const input = echoToken(text.trim());
  if (block === undefined) return err({ code: 'invalid', message: msg('command.source.invalid', { input }) });
  if (block.prefix === 0) return err({ code: 'any-address', message: msg('command.source.any-address', { input }) });
  const network = networkOf(block);
  const normalised = formatBlock(network, block.prefix);
  if (formatIpAddress(network) !== formatIpAddress(block.network)) {
    return err({
      code: 'host-bits-set',
      message: msg('command.source.host-bits-set', { input, network: normalised, address: formatIpAddress(block.network) }),
    });
  }
  const scope = nonGlobalOverlap(network, block.prefix);
  if (scope !== undefined) {
    return err({ code: 'not-global', scope, message: msg(`command.source.not-global.${scope}`, { input }) });
  }
  const tooWide = widthError(block, input, limits);
  if (tooWide) return err(tooWide);
  return ok(normalised);
}

/**
 * The policy's own width check on a range that is already normalised (or an address alone):
 * returns the normalised CIDR, `too-wide` past the limit, `invalid` when it is not a CIDR.
 */
export function checkPrefixWidth(cidr: string, limits: SourceRangeLimits): Result<string, SourceRangeError> {
  const block = parseBlock(cidr);
  const input = echoToken(cidr.trim());
  if (block === undefined) return err({ code: 'invalid', message: msg('command.source.invalid', { input }) });
  const tooWide = widthError(block, input, limits);
  if (tooWide) return err(tooWide);
  return ok(formatBlock(networkOf(block), block.prefix));
}

/** Whether `ip` lies inside `cidr` (an address alone counts as /32 or /128). IPv4-mapped IPv6 matches its IPv4. */
export function cidrContains(cidr: string, ip: string): boolean {
  const block = parseBlock(cidr);
  const address = parseIpAddress(ip);
  if (block === undefined || address === undefined || block.network.kind() !== address.kind()) return false;
  return address.match(block.network, block.prefix);
}
