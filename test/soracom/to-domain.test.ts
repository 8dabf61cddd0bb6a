import {
  parseRttMs,
  peekTimeToMs,
  toAuditEvent,
  toPeekSession,
  toPortMapping,
  toSimSnapshotFromSim,
  toSimSnapshotFromSubscriber,
} from '../../src/soracom/to-domain';
import { WireNapterAuditLogEntry, WirePacketCaptureSession, WirePortMapping, WireSim, WireSubscriber } from '../../src/soracom/wire';

const CREATED_MS = 1_767_225_600_000;

const wireMapping = {
  operatorId: 'OP0012345678',
  ipAddress: '203.0.113.10',
  port: 40123,
  endpoint: '203.0.113.10:40123',
  hostname: 'abcd-1234.napter.soracom.io',
  destination: { simId: '8942310000000000001', port: 22, destinationChoosingStrategy: 'AIR_PRIORITIZED' },
  simId: '8942310000000000001',
  source: { ipRanges: ['198.51.100.7/32'] },
  duration: 3600,
  tlsRequired: false,
  createdTime: CREATED_MS,
  expiredTime: CREATED_MS + 3_600_000,
  expired: false,
  placement: 'default',
  gtpcTeid: 12345,
};

describe('toPortMapping', () => {
  it('keeps seconds as seconds and milliseconds as milliseconds', () => {
    const mapping = toPortMapping(WirePortMapping.parse(wireMapping), CREATED_MS);
    expect(mapping).toEqual({
      ipAddress: '203.0.113.10',
      port: 40123,
      endpoint: '203.0.113.10:40123',
      hostname: 'abcd-1234.napter.soracom.io',
      destination: { imsi: undefined, simId: '8942310000000000001', port: 22, strategy: 'AIR_PRIORITIZED' },
      sourceIpRanges: ['198.51.100.7/32'],
      durationSec: 3600,
      tlsRequired: false,
      createdAtMs: CREATED_MS,
      expiresAtMs: CREATED_MS + 3_600_000,
      expired: false,
      placement: 'default',
    });
  });

  it('derives what SORACOM leaves out: endpoint, expiry, the expired flag, the top-level imsi', () => {
    const wire = WirePortMapping.parse({
      ipAddress: '203.0.113.10',
      port: 40123,
      destination: { port: 80 },
      imsi: '295050000000001',
      duration: 60,
      createdTime: CREATED_MS,
    });
    const before = toPortMapping(wire, CREATED_MS + 59_999);
    expect(before.endpoint).toBe('203.0.113.10:40123');
    expect(before.expiresAtMs).toBe(CREATED_MS + 60_000);
    expect(before.expired).toBe(false);
    expect(before.destination.imsi).toBe('295050000000001');
    expect(before.sourceIpRanges).toEqual([]);
    expect(before.tlsRequired).toBe(false);
    expect(toPortMapping(wire, CREATED_MS + 60_000).expired).toBe(true);
  });

  it('derives the duration from the times when it is missing', () => {
    const wire = WirePortMapping.parse({
      ipAddress: '192.0.2.1',
      port: 1,
      destination: { port: 22 },
      createdTime: 1_000_000_000_000,
      expiredTime: 1_000_000_090_000,
    });
    expect(toPortMapping(wire, 0).durationSec).toBe(90);
  });

  it('rejects a mapping without a public address', () => {
    expect(WirePortMapping.safeParse({ port: 1, destination: { port: 22 } }).success).toBe(false);
  });
});

describe('toAuditEvent', () => {
  const entry = {
    connectionId: 'c-1',
    createdAt: 1_767_226_000_123,
    type: 'DENIED',
    imsi: '295050000000001',
    operatorId: 'OP0012345678',
    tls: false,
    direction: { sourceIPAddress: '192.0.2.44', sourcePort: 53122, destinationIPAddress: '10.200.1.2', destinationPort: 22 },
  };

  it('maps direction to source/destination', () => {
    expect(toAuditEvent(WireNapterAuditLogEntry.parse(entry), 'unused')).toEqual({
      connectionId: 'c-1',
      atMs: 1_767_226_000_123,
      type: 'DENIED',
      imsi: '295050000000001',
      tls: false,
      sourceIp: '192.0.2.44',
      sourcePort: 53122,
      destinationIp: '10.200.1.2',
      destinationPort: 22,
    });
  });

  it('drops an event type it does not know, and fills a missing imsi from the query', () => {
    expect(toAuditEvent(WireNapterAuditLogEntry.parse({ ...entry, type: 'TELEPORTED' }), 'x')).toBeUndefined();
    const lifecycle = toAuditEvent(WireNapterAuditLogEntry.parse({ createdAt: 1, type: 'created' }), '295050000000009');
    expect(lifecycle).toMatchObject({ type: 'CREATED', imsi: '295050000000009', connectionId: '', sourceIp: undefined });
  });
});

describe('SIM snapshots', () => {
  const sim = {
    simId: '8942310000000000001',
    status: 'active',
    groupId: 'g-1',
    tags: { name: 'gw-tokyo-01', site: 'tokyo', weird: 3 },
    activeProfileId: '8942310000000000001',
    profiles: {
      '8942310000000009999': { primaryImsi: '295050000000099', subscribers: {} },
      '8942310000000000001': {
        primaryImsi: '295050000000001',
        subscribers: { '295050000000001': { imsi: '295050000000001' }, '440100000000002': { imsi: '440100000000002' } },
      },
    },
    lastPortMappingCreatedTime: 1_767_225_600_000,
    sessionStatus: { online: true, imsi: '440100000000002', ueIpAddress: '10.200.1.2', lastUpdatedAt: 1_767_220_000_000, location: null },
    previousSession: { createdTime: 1_767_100_000_000, deletedTime: 1_767_200_000_000 },
  };

  it('uses the session IMSI first and lists every IMSI, active primary first', () => {
    expect(toSimSnapshotFromSim(WireSim.parse(sim))).toEqual({
      simId: '8942310000000000001',
      imsi: '440100000000002',
      imsis: ['295050000000001', '295050000000099', '440100000000002'],
      name: 'gw-tokyo-01',
      tags: { name: 'gw-tokyo-01', site: 'tokyo' },
      status: 'active',
      groupId: 'g-1',
      online: true,
      ueIpAddress: '10.200.1.2',
      sessionUpdatedAtMs: 1_767_220_000_000,
      previousSessionEndedAtMs: 1_767_200_000_000,
      lastPortMappingCreatedAtMs: 1_767_225_600_000,
    });
  });

  it('falls back to the primary IMSI offline, and tolerates nulls', () => {
    const offline = toSimSnapshotFromSim(
      WireSim.parse({ ...sim, tags: null, sessionStatus: { online: false, imsi: null }, lastPortMappingCreatedTime: null, groupId: null }),
    );
    expect(offline).toMatchObject({ imsi: '295050000000001', online: false, name: '', tags: {}, groupId: undefined, lastPortMappingCreatedAtMs: undefined });
  });

  it('maps a subscriber', () => {
    const snapshot = toSimSnapshotFromSubscriber(
      WireSubscriber.parse({ imsi: '295050000000001', simId: '894231', status: 'inactive', tags: { name: 'x' }, sessionStatus: null }),
    );
    expect(snapshot).toMatchObject({ simId: '894231', imsi: '295050000000001', imsis: ['295050000000001'], status: 'inactive', online: false, name: 'x' });
  });
});

describe('Peek', () => {
  it('accepts ISO strings and epoch milliseconds for the times', () => {
    const session = toPeekSession(
      WirePacketCaptureSession.parse({
        sessionId: 's-1',
        status: 'DONE',
        duration: 60,
        createdTime: '2026-01-01T00:00:00Z',
        startedTime: 1_767_225_605_000,
        endedTime: '1767225665000',
        url: 'https://example.com/pcap',
      }),
      'sim-1',
    );
    expect(session).toEqual({
      sessionId: 's-1',
      simId: 'sim-1',
      status: 'DONE',
      durationSec: 60,
      prefix: undefined,
      createdAtMs: Date.UTC(2026, 0, 1),
      startedAtMs: 1_767_225_605_000,
      endedAtMs: 1_767_225_665_000,
      failedReason: undefined,
      url: 'https://example.com/pcap',
    });
  });

  it('reads epoch seconds as seconds and garbage as unknown', () => {
    expect(peekTimeToMs(1_767_225_600)).toBe(1_767_225_600_000);
    expect(peekTimeToMs('not a date')).toBeUndefined();
    expect(peekTimeToMs(null)).toBeUndefined();
    expect(peekTimeToMs('')).toBeUndefined();
  });
});

describe('parseRttMs', () => {
  it('takes the average of a ping summary', () => {
    expect(parseRttMs('rtt min/avg/max/mdev = 50.1/52.3/55.0/2.0 ms')).toBe(52.3);
  });
  it('reads a bare value', () => {
    expect(parseRttMs('84.5 ms')).toBe(84.5);
    expect(parseRttMs('84.5')).toBe(84.5);
  });
  it('is undefined without a number', () => {
    expect(parseRttMs('')).toBeUndefined();
    expect(parseRttMs(undefined)).toBeUndefined();
  });
});
