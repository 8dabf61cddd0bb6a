import { endFromListing, type OpenedMapping } from '../../src/domain/mapping-end';
import type { PortMapping } from '../../src/domain/soracom';

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
const MIN = 60_000;
const opened: OpenedMapping = { ipAddress: '192.0.2.10', port: 40_123, createdAtMs: T0, expiresAtMs: T0 + 30 * MIN };

function listed(overrides: Partial<PortMapping> = {}): PortMapping {
  return {
    ipAddress: opened.ipAddress,
    port: opened.port,
    endpoint: `${opened.ipAddress}:${opened.port}`,
    hostname: undefined,
    destination: { imsi: '295050000000001', simId: undefined, port: 22, strategy: 'IMSI_PRIORITIZED' },
    sourceIpRanges: ['198.51.100.7/32'],
    durationSec: 1800,
    tlsRequired: false,
    createdAtMs: opened.createdAtMs,
    expiresAtMs: opened.expiresAtMs,
    expired: false,
    placement: 'default',
    ...overrides,
  };
}

describe('endFromListing', () => {
  it.each([
    ['listed and active: still alive', [listed()], T0 + 10 * MIN, undefined],
    ['listed as expired', [listed({ expired: true })], T0 + 31 * MIN, { how: 'expired', atMs: T0 + 30 * MIN, evidence: 'listing' }],
    [
      'listed active although its time is up (a listing lagging behind)',
      [listed()],
      T0 + 30 * MIN,
      { how: 'expired', atMs: T0 + 30 * MIN, evidence: 'listing' },
    ],
    ['gone after its time: expired', [], T0 + 40 * MIN, { how: 'expired', atMs: T0 + 30 * MIN, evidence: 'listing' }],
    ['gone before its time: someone deleted it, noticed now', [], T0 + 10 * MIN, { how: 'deleted', atMs: T0 + 10 * MIN, evidence: 'listing' }],
    [
      'the endpoint handed out again later is another mapping',
      [listed({ createdAtMs: T0 + 5 * MIN, expiresAtMs: T0 + 35 * MIN })],
      T0 + 10 * MIN,
      { how: 'deleted', atMs: T0 + 10 * MIN, evidence: 'listing' },
    ],
  ])('%s', (_name, mappings, nowMs, expected) => {
    expect(endFromListing(opened, mappings, nowMs)).toEqual(expected);
  });
});
