import type { StoredMapping } from '../../../src/use-cases/ports/store';
import { msg } from '../../../src/domain/i18n/message-ref';
import type { Diagnosis } from '../../../src/domain/diagnosis/types';
import type { AuditEvent, AuditEventType, PortMapping } from '../../../src/domain/soracom';
import type { DiagnosisView } from '../../../src/slack/blocks/diagnosis';

/** Addresses that must never appear unmasked in channel blocks. */
export const USER_IP = '198.51.100.23';
export const OTHER_IP = '203.0.113.77';
export const ENDPOINT_IP = '192.0.2.200';
export const ENDPOINT_HOST = 'abcd-1234.napter.soracom.io';
export const ENDPOINT_PORT = 40123;
export const NOW_MS = Date.UTC(2025, 10, 20, 5, 0, 0);

export function event(index: number, type: AuditEventType, sourceIp: string = USER_IP): AuditEvent {
  return {
    connectionId: `conn-${String(index).padStart(6, '0')}-abcdef`,
    atMs: NOW_MS - (1000 - index) * 60_000,
    type,
    imsi: '440101234567890',
    tls: false,
    sourceIp,
    sourcePort: 50000 + index,
    destinationIp: '10.0.0.5',
    destinationPort: 22,
  };
}

export const MAPPING: PortMapping = {
  ipAddress: ENDPOINT_IP,
  port: ENDPOINT_PORT,
  endpoint: `${ENDPOINT_IP}:${ENDPOINT_PORT}`,
  hostname: ENDPOINT_HOST,
  destination: { imsi: '440101234567890', simId: '8942310022000012345', port: 22, strategy: 'IMSI_PRIORITIZED' },
  sourceIpRanges: [`${OTHER_IP}/32`],
  durationSec: 1800,
  tlsRequired: true,
  createdAtMs: NOW_MS - 3_600_000,
  expiresAtMs: NOW_MS - 1_800_000,
  expired: true,
  placement: undefined,
};

export function diagnosisWith(overrides: Partial<Diagnosis> = {}): Diagnosis {
  const denied = event(990, 'DENIED');
  return {
    verdict: 'source-ip-mismatch',
    // A summary whose parameter carries a full address: the channel must still see it masked.
    summary: msg('diagnosis.verdict.source-ip-mismatch.summary', { ip: USER_IP, sourceIp: USER_IP }),
    causes: ['source-ip-mismatch'],
    evidence: [{ event: denied, why: msg('diagnosis.why.denied-outside-range', { ip: USER_IP }) }],
    observedSources: [
      { ip: USER_IP, count: 7, firstAtMs: NOW_MS - 600_000, lastAtMs: NOW_MS - 60_000, types: { DENIED: 6, ACCESS: 1 }, admitted: false, likelyUser: true },
    ],
    nextSteps: [msg('diagnosis.step.compare-source-address', { ip: USER_IP })],
    remedies: [
      { kind: 'reopen-with-fix', fix: { sourceIp: USER_IP } },
      { kind: 'reopen-with-fix', fix: { tlsRequired: false } },
      { kind: 'reopen-with-fix', fix: { port: 80 } },
      { kind: 'packet-capture' },
      { kind: 'draft-ticket' },
    ],
    notes: [msg('diagnosis.note.retention')],
    mapping: MAPPING,
    window: { fromMs: NOW_MS - 86_400_000, toMs: NOW_MS },
    ...overrides,
  };
}

export function viewWith(overrides: Partial<DiagnosisView> = {}): DiagnosisView {
  return {
    diagnosisId: 'diag-0001',
    diagnosis: diagnosisWith(),
    events: [event(990, 'DENIED'), event(980, 'ACCESS'), event(970, 'CREATED', OTHER_IP)],
    probe: { kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: NOW_MS - 1000 },
    sim: { typed: 'gw-01', simId: '8942310022000012345', imsi: '440101234567890', name: 'gw-01' },
    requestedBy: 'U0REQUESTER',
    run: 1,
    ranBy: 'U0REQUESTER',
    ranAtMs: NOW_MS,
    lang: 'en',
    ...overrides,
  };
}

/** Every string in a JSON value, for "does this text appear anywhere" checks. */
export function allText(value: unknown): string {
  return JSON.stringify(value);
}

/** A mapping the bot opened and stored, as the open reply, the card and the watch's messages show it. */
export const STORED_MAPPING: StoredMapping = {
  id: 'map-1',
  simId: '8942310022000012345',
  imsi: '440103100000001',
  ipAddress: '198.51.100.77',
  port: 40123,
  hostname: 'p-abc123.napter.soracom.io',
  devicePort: 22,
  tlsRequired: false,
  sourceCidr: '203.0.113.5/32',
  durationSec: 1800,
  createdAtMs: Date.UTC(2025, 5, 2, 1, 0, 0),
  expiresAtMs: Date.UTC(2025, 5, 2, 1, 30, 0),
  openedBy: { teamId: 'T1', userId: 'U0ALICE' },
  channelId: 'C0OPS',
};
