import type { AuditEvent, AuditEventType } from '../../../src/domain/soracom';
import type { WatchedMapping } from '../../../src/domain/watch';

export const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
export const MIN = 60_000;
export const IMSI = '295050000000001';
export const OTHER_IMSI = '295050000000002';
export const ALICE = '198.51.100.7';
export const BOB = '203.0.113.20';
export const STRANGER = '192.0.2.200';

export function mapping(overrides: Partial<WatchedMapping> = {}): WatchedMapping {
  return {
    watchId: 'w1',
    imsis: [IMSI],
    devicePort: 22,
    sourceIpRanges: [`${ALICE}/32`],
    openedAtMs: T0,
    expiresAtMs: T0 + 30 * MIN,
    requesterAddresses: [],
    ...overrides,
  };
}

export function event(type: AuditEventType, atMs: number, options: { conn?: string; ip?: string; port?: number; imsi?: string } = {}): AuditEvent {
  const lifecycle = type === 'CREATED' || type === 'DELETED' || type === 'EXPIRED';
  return {
    connectionId: options.conn ?? (lifecycle ? 'mapping' : 'c1'),
    atMs,
    type,
    imsi: options.imsi ?? IMSI,
    tls: false,
    sourceIp: lifecycle ? undefined : (options.ip ?? ALICE),
    sourcePort: lifecycle ? undefined : 50_000,
    destinationIp: '10.200.1.2',
    destinationPort: options.port ?? 22,
  };
}

/** One client connection as Napter logs it. */
export function connection(
  conn: string,
  atMs: number,
  outcome: 'session' | 'denied' | 'refused' | 'pending' | 'at-once' | 'no-forward',
  options: { ip?: string; port?: number; imsi?: string; sessionMs?: number } = {},
): AuditEvent[] {
  const at = (type: AuditEventType, offsetMs: number) => event(type, atMs + offsetMs, { ...options, conn });
  switch (outcome) {
    case 'pending':
      return [at('ACCESS', 0)];
    case 'session':
      return [at('ACCESS', 0), at('CONNECTED', 2), at('CLOSED', 2 + (options.sessionMs ?? 5 * MIN))];
    case 'at-once':
      return [at('ACCESS', 0), at('CONNECTED', 2), at('CLOSED', 242)];
    case 'no-forward':
      return [at('ACCESS', 0), at('CLOSED', 22)];
    case 'denied':
      return [at('ACCESS', 0), at('DENIED', 2), at('CLOSED', 5)];
    case 'refused':
      return [at('ACCESS', 0), at('REFUSED', 2), at('CLOSED', 5)];
  }
}
