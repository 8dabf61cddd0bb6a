import type { DiagnoseInput } from '../../../src/domain/diagnosis/types';
import type { AuditEvent, AuditEventType, PortMapping, SimSnapshot } from '../../../src/domain/soracom';

/** Small builders for diagnosis inputs: real-looking logs without the noise of wire shapes. */

export const IMSI = '295050000000001';
export const SIM_ID = '8942310000000000001';
export const DEVICE_IP = '10.200.1.2';
export const USER_IP = '203.0.113.5';
export const OTHER_USER_IP = '198.51.100.7';
export const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

export function simSnapshot(overrides: Partial<SimSnapshot> = {}): SimSnapshot {
  return {
    simId: SIM_ID,
    imsi: IMSI,
    imsis: [IMSI],
    name: 'gateway-01',
    tags: { name: 'gateway-01' },
    status: 'active',
    groupId: undefined,
    online: true,
    ueIpAddress: DEVICE_IP,
    sessionUpdatedAtMs: NOW_MS - 5 * HOUR_MS,
    previousSessionEndedAtMs: undefined,
    lastPortMappingCreatedAtMs: undefined,
    ...overrides,
  };
}

let publicPort = 40000;

export function portMapping(options: {
  createdAtMs: number;
  durationSec?: number;
  port?: number;
  tlsRequired?: boolean;
  ranges?: readonly string[];
  nowMs?: number;
}): PortMapping {
  const durationSec = options.durationSec ?? 30 * 60;
  const expiresAtMs = options.createdAtMs + durationSec * 1000;
  publicPort += 1;
  return {
    ipAddress: '192.0.2.100',
    port: publicPort,
    endpoint: `192.0.2.100:${publicPort}`,
    hostname: undefined,
    destination: { imsi: IMSI, simId: undefined, port: options.port ?? 22, strategy: 'IMSI_PRIORITIZED' },
    sourceIpRanges: options.ranges ?? [`${USER_IP}/32`],
    durationSec,
    tlsRequired: options.tlsRequired ?? false,
    createdAtMs: options.createdAtMs,
    expiresAtMs,
    expired: expiresAtMs <= (options.nowMs ?? NOW_MS),
    placement: 'aws:ap-northeast-1',
  };
}

let connectionSeq = 0;
const nextConnectionId = (): string => {
  connectionSeq += 1;
  return `c0ffee00-0000-4000-8000-${String(connectionSeq).padStart(12, '0')}`;
};

function auditEvent(
  type: AuditEventType,
  atMs: number,
  fields: { connectionId?: string; ip?: string; port?: number; tls?: boolean; imsi?: string } = {},
): AuditEvent {
  return {
    connectionId: fields.connectionId ?? nextConnectionId(),
    atMs,
    type,
    imsi: fields.imsi ?? IMSI,
    tls: fields.tls ?? false,
    sourceIp: fields.ip,
    sourcePort: fields.ip === undefined ? undefined : 50000 + (atMs % 10000),
    destinationIp: DEVICE_IP,
    destinationPort: fields.port,
  };
}

export const created = (atMs: number, port = 22): AuditEvent => auditEvent('CREATED', atMs, { port });
export const expired = (atMs: number, port = 22): AuditEvent => auditEvent('EXPIRED', atMs, { port });
export const deleted = (atMs: number, port = 22): AuditEvent => auditEvent('DELETED', atMs, { port });

export type Outcome = 'connected' | 'denied' | 'refused' | 'access-only';

/** One client connection as Napter logs it: ACCESS, then the outcome, then CLOSED. */
export function attempt(options: {
  atMs: number;
  ip: string;
  outcome: Outcome;
  port?: number;
  tls?: boolean;
  /** CLOSED this long after CONNECTED (or after ACCESS); none when undefined for a connected one that is still open. */
  closeAfterMs?: number | null;
  imsi?: string;
}): AuditEvent[] {
  const connectionId = nextConnectionId();
  const fields = { connectionId, ip: options.ip, port: options.port ?? 22, tls: options.tls ?? false, imsi: options.imsi ?? IMSI };
  const events = [auditEvent('ACCESS', options.atMs, fields)];
  const outcomeAtMs = options.atMs + 15;
  if (options.outcome === 'connected') events.push(auditEvent('CONNECTED', outcomeAtMs, fields));
  if (options.outcome === 'denied') events.push(auditEvent('DENIED', outcomeAtMs, fields));
  if (options.outcome === 'refused') events.push(auditEvent('REFUSED', outcomeAtMs, fields));
  const closeAfter = options.closeAfterMs === undefined ? (options.outcome === 'connected' ? 10 * MINUTE_MS : 5) : options.closeAfterMs;
  if (closeAfter !== null) events.push(auditEvent('CLOSED', outcomeAtMs + closeAfter, fields));
  return events;
}

/** Repeated attempts `everyMs` apart. */
export function attempts(count: number, options: Parameters<typeof attempt>[0] & { everyMs?: number }): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < count; i += 1) events.push(...attempt({ ...options, atMs: options.atMs + i * (options.everyMs ?? 20_000) }));
  return events;
}

/** Single DENIED attempts from random-looking addresses, as internet scanners leave them. */
export function scannerHits(count: number, fromMs: number, spreadMs: number, port = 22): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const ip = `${45 + (i % 50)}.${(i * 37) % 256}.${(i * 91) % 256}.${(i * 13 + 1) % 255}`;
    events.push(...attempt({ atMs: fromMs + Math.floor((spreadMs * i) / Math.max(1, count)), ip, outcome: 'denied', port }));
  }
  return events;
}

export const newestFirst = (events: readonly AuditEvent[]): AuditEvent[] => [...events].sort((a, b) => b.atMs - a.atMs);

export function diagnoseInput(overrides: Partial<DiagnoseInput> = {}): DiagnoseInput {
  const events = overrides.events ?? [];
  return {
    sim: simSnapshot(),
    mappings: [],
    window: { fromMs: NOW_MS - 24 * HOUR_MS, toMs: NOW_MS },
    nowMs: NOW_MS,
    ...overrides,
    events: newestFirst(events),
  };
}
