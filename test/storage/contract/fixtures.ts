import type { CaptureInput, DiagnosisInput, IpCaptureInput, MappingInput } from '../../../src/use-cases/ports/store';

/** Rows the contract writes; the values are plausible, nothing depends on them but the assertions. */
export const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);

export const mappingInput = (overrides: Partial<MappingInput> = {}): MappingInput => ({
  simId: '8981100000000000001',
  imsi: '440103100000001',
  ipAddress: '198.51.100.10',
  port: 40123,
  hostname: 'p-1.napter.soracom.io',
  devicePort: 22,
  tlsRequired: false,
  sourceCidr: '203.0.113.5/32',
  durationSec: 1800,
  createdAtMs: T0,
  expiresAtMs: T0 + 1800 * 1000,
  openedBy: { teamId: 'T1', userId: 'U1' },
  channelId: 'C1',
  ...overrides,
});

export const captureLinkInput: IpCaptureInput = {
  teamId: 'T1',
  userId: 'U1',
  channelId: 'C1',
  lang: 'ja',
  request: { sim: 'gw-01', devicePort: 22, durationSec: 1800 },
  responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
};

export const diagnosisInput: DiagnosisInput = {
  teamId: 'T1',
  channelId: 'C1',
  requestedBy: 'U1',
  simRefText: 'gw-01',
  simId: 'S1',
  imsi: '440103100000001',
  windowFromMs: T0 - 86_400_000,
  windowToMs: T0,
  verdict: 'source-ip-mismatch',
  diagnosis: { verdict: 'source-ip-mismatch', remedies: [{ kind: 'reopen', sourceCidr: '203.0.113.9/32' }] },
  intent: { devicePort: 22 },
  lang: 'en',
};

export const packetCaptureInput = (diagnosisId: string | undefined, overrides: Partial<CaptureInput> = {}): CaptureInput => ({
  simId: 'S1',
  sessionId: 'peek-1',
  diagnosisId,
  channelId: 'C1',
  threadTs: '1.1',
  requestedBy: 'U1',
  teamId: 'T1',
  ...overrides,
});
