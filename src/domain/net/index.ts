export type { AddressScope, IpAddress, NonGlobalScope } from './address';
export {
  NON_GLOBAL_SCOPES,
  addressScope,
  formatIpAddress,
  hostCidr,
  isDocumentationAddress,
  isGlobalAddress,
  maskIp,
  normaliseIp,
  parseIpAddress,
} from './address';
export type { SourceRangeError, SourceRangeErrorCode, SourceRangeLimits } from './source-range';
export { DEFAULT_SOURCE_RANGE_LIMITS, checkPrefixWidth, cidrContains, parseSourceRange } from './source-range';
