import { findCreatedMapping, findCreatedPeekSession } from '../../src/soracom/client';
import type { PeekSession, PortMapping } from '../../src/domain/soracom';
import type { CreatePortMappingRequest } from '../../src/domain/napter-api';

const T0 = 1_767_225_600_000;

function mapping(overrides: Omit<Partial<PortMapping>, 'destination'> & { destination?: Partial<PortMapping['destination']> } = {}): PortMapping {
  const { destination, ...rest } = overrides;
  return {
    ipAddress: '192.0.2.10',
    port: 10_000,
    endpoint: '192.0.2.10:10000',
    hostname: undefined,
    destination: { imsi: undefined, simId: 'sim-1', port: 22, strategy: 'AIR_PRIORITIZED', ...destination },
    sourceIpRanges: ['198.51.100.7/32'],
    durationSec: 1800,
    tlsRequired: false,
    createdAtMs: T0,
    expiresAtMs: T0 + 1_800_000,
    expired: false,
    placement: undefined,
    ...rest,
  };
}

const request: CreatePortMappingRequest = {
  target: { kind: 'sim', simId: 'sim-1', service: 'air' },
  devicePort: 22,
  durationSec: 1800,
  tlsRequired: false,
  sourceIpRanges: ['198.51.100.7'],
};

describe('findCreatedMapping', () => {
  it('matches port, TLS, ranges (a bare address equals its /32) and creation time', () => {
    expect(findCreatedMapping([mapping()], request, T0 - 1)).toMatchObject({ port: 10_000 });
  });

  it('takes the newest of several matches', () => {
    const found = findCreatedMapping([mapping({ port: 1, createdAtMs: T0 }), mapping({ port: 2, createdAtMs: T0 + 5 })], request, T0);
    expect(found?.port).toBe(2);
  });

  it.each([
    ['another device port', mapping({ destination: { port: 80 } })],
    ['another TLS setting', mapping({ tlsRequired: true })],
    ['other ranges', mapping({ sourceIpRanges: ['198.51.100.8/32'] })],
    ['an extra range', mapping({ sourceIpRanges: ['198.51.100.7/32', '203.0.113.0/24'] })],
    ['created before the request', mapping({ createdAtMs: T0 - 2 })],
    ['an expired one', mapping({ expired: true })],
    ['another SIM', mapping({ destination: { simId: 'sim-2' } })],
  ])('ignores %s', (_name, candidate) => {
    expect(findCreatedMapping([candidate], request, T0 - 1)).toBeUndefined();
  });
});

describe('findCreatedPeekSession', () => {
  const session = (overrides: Partial<PeekSession>): PeekSession => ({
    sessionId: 's',
    simId: 'sim-1',
    status: 'REQUESTED',
    durationSec: 60,
    prefix: undefined,
    createdAtMs: T0,
    startedAtMs: undefined,
    endedAtMs: undefined,
    failedReason: undefined,
    url: undefined,
    ...overrides,
  });

  it('matches duration, prefix and time', () => {
    expect(findCreatedPeekSession([session({})], 60, undefined, T0)?.sessionId).toBe('s');
    expect(findCreatedPeekSession([session({ durationSec: 120 })], 60, undefined, T0)).toBeUndefined();
    expect(findCreatedPeekSession([session({ prefix: 'p' })], 60, undefined, T0)).toBeUndefined();
    expect(findCreatedPeekSession([session({ createdAtMs: T0 - 1 })], 60, undefined, T0)).toBeUndefined();
  });

  it('without a creation time, only a still-active session counts', () => {
    expect(findCreatedPeekSession([session({ createdAtMs: undefined })], 60, undefined, T0)?.sessionId).toBe('s');
    expect(findCreatedPeekSession([session({ createdAtMs: undefined, status: 'DONE' })], 60, undefined, T0)).toBeUndefined();
  });
});
