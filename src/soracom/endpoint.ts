/** SORACOM API hosts per coverage type; an operator's SIMs live in one coverage only. */
export const SORACOM_COVERAGE_ENDPOINTS = {
  jp: 'https://api.soracom.io',
  g: 'https://g.api.soracom.io',
} as const;

export type SoracomCoverage = keyof typeof SORACOM_COVERAGE_ENDPOINTS;

export function endpointForCoverage(coverage: SoracomCoverage): string {
  return SORACOM_COVERAGE_ENDPOINTS[coverage];
}

/**
 * The base every path is appended to, always ending in `/v1`. Accepts the endpoint with or without a
 * trailing slash or `/v1`, since people paste both forms into SORACOM_API_ENDPOINT.
 */
export function apiBaseUrl(endpoint: string): string {
  const trimmed = endpoint.trim().replace(/\/+$/, '');
  const withoutVersion = trimmed.replace(/\/v1$/, '');
  let parsed: URL;
  try {
    parsed = new URL(withoutVersion);
  } catch {
    throw new TypeError(`SORACOM endpoint must be an http(s) URL such as https://api.soracom.io (got "${endpoint}")`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`SORACOM endpoint must use http or https (got "${parsed.protocol}")`);
  }
  return `${withoutVersion}/v1`;
}
