import { verdictTitle } from '../../src/domain/diagnosis/labels';
import type { Diagnosis } from '../../src/domain/diagnosis/types';
import { hasMessage, t } from '../../src/domain/i18n/catalog';
import { msg } from '../../src/domain/i18n/message-ref';
import type { AuditEvent, PortMapping } from '../../src/domain/soracom';
import { draftSupportTicket, type TicketContext } from '../../src/domain/ticket';
import { formatJst, formatJstAndUtc, formatUtc } from '../../src/domain/time';

const IMSI = '295050000000001';
const USER_IP = '203.0.113.5';
const OTHER_IP = '198.51.100.7';
// 2025-01-15 20:00:00 UTC is 2025-01-16 05:00:00 in Japan: the date changes, which is where bugs hide.
const TROUBLE_AT_MS = Date.UTC(2025, 0, 15, 20, 0, 0);
const MINUTE_MS = 60_000;

function event(type: AuditEvent['type'], atMs: number, ip: string | undefined, connectionId: string): AuditEvent {
  return {
    connectionId,
    atMs,
    type,
    imsi: IMSI,
    tls: false,
    sourceIp: ip,
    sourcePort: ip === undefined ? undefined : 50123,
    destinationIp: '10.200.1.2',
    destinationPort: 22,
  };
}

const created = event('CREATED', TROUBLE_AT_MS - 5 * MINUTE_MS, undefined, 'aaaaaaaa-0000-4000-8000-000000000001');
const denied = event('DENIED', TROUBLE_AT_MS, OTHER_IP, 'bbbbbbbb-0000-4000-8000-000000000002');
const deniedAgain = event('DENIED', TROUBLE_AT_MS + MINUTE_MS, OTHER_IP, 'cccccccc-0000-4000-8000-000000000003');

const mapping: PortMapping = {
  ipAddress: '192.0.2.100',
  port: 40123,
  endpoint: '192.0.2.100:40123',
  hostname: 'abcd-1234.napter.soracom.io',
  destination: { imsi: IMSI, simId: undefined, port: 22, strategy: 'IMSI_PRIORITIZED' },
  sourceIpRanges: [`${USER_IP}/32`],
  durationSec: 1800,
  tlsRequired: false,
  createdAtMs: created.atMs,
  expiresAtMs: created.atMs + 1800 * 1000,
  expired: false,
  placement: 'aws:ap-northeast-1',
};

const diagnosis: Diagnosis = {
  verdict: 'source-ip-mismatch',
  summary: msg('diagnosis.verdict.source-ip-mismatch.summary'),
  causes: ['source-ip-mismatch'],
  evidence: [
    { event: deniedAgain, why: msg('diagnosis.why.denied-outside-range') },
    { event: created, why: msg('diagnosis.why.refused') },
    { event: denied, why: msg('diagnosis.why.denied-outside-range') },
    { event: denied, why: msg('diagnosis.why.denied-outside-range') },
  ],
  observedSources: [{ ip: OTHER_IP, count: 2, firstAtMs: denied.atMs, lastAtMs: deniedAgain.atMs, types: { DENIED: 2 }, admitted: false, likelyUser: true }],
  nextSteps: [msg('diagnosis.step.check-global-range')],
  remedies: [{ kind: 'reopen-with-fix', fix: { sourceIp: OTHER_IP } }],
  notes: [],
  mapping,
  window: { fromMs: TROUBLE_AT_MS - 24 * 60 * MINUTE_MS, toMs: TROUBLE_AT_MS + 10 * MINUTE_MS },
};

const sparseContext: TicketContext = { imsi: IMSI, device: {}, details: {}, botActions: [] };

const fullContext: TicketContext = {
  imsi: IMSI,
  simId: '8942310000000000001',
  simName: 'gw-01',
  device: { maker: 'Raspberry Pi Ltd', model: 'SC0194', productName: 'Raspberry Pi 4 Model B' },
  troubleStartedAtMs: TROUBLE_AT_MS,
  details: {
    howToReproduce: 'ssh -p 40123 pi@host\ntimes out',
    conditions: 'Every time since the office moved',
    environment: 'macOS 14, OpenSSH 9.6, office LAN',
    whatWasTried: 'Rebooted the device',
  },
  botActions: [
    { atMs: TROUBLE_AT_MS + 2 * MINUTE_MS, kind: 'retry', summary: 'Opened SSH again for 30m' },
    { atMs: created.atMs, kind: 'open', summary: 'Opened SSH for 30m' },
  ],
  packetCapture: { sessionId: 'peek-0001', status: 'DONE', startedAtMs: TROUBLE_AT_MS, endedAtMs: TROUBLE_AT_MS + 2 * MINUTE_MS },
};

describe('time formatting', () => {
  test('JST is UTC+9 with no daylight saving, whatever the machine’s time zone', () => {
    const originalTz = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
        process.env.TZ = tz;
        expect(formatUtc(TROUBLE_AT_MS)).toBe('2025-01-15 20:00:00 UTC');
        expect(formatJst(TROUBLE_AT_MS)).toBe('2025-01-16 05:00:00 JST');
        expect(formatJst(Date.UTC(2025, 6, 1, 0, 0, 0))).toBe('2025-07-01 09:00:00 JST');
      }
    } finally {
      if (originalTz === undefined) delete process.env.TZ;
      else process.env.TZ = originalTz;
    }
    expect(formatJstAndUtc(TROUBLE_AT_MS)).toBe('2025-01-16 05:00:00 JST (2025-01-15 20:00:00 UTC)');
  });
});

describe('draftSupportTicket', () => {
  test.each(['en', 'ja'] as const)('%s: every item SORACOM support asks for is there, in order', (lang) => {
    const draft = draftSupportTicket(diagnosis, fullContext, lang);
    const sections = (
      [
        'ticket.section.imsi',
        'ticket.section.device',
        'ticket.section.time',
        'ticket.section.audit-log',
        'ticket.section.details',
        'ticket.section.packet-capture',
        'ticket.section.reading',
      ] as const
    ).map((key) => draft.indexOf(t(lang, key)));
    expect(sections.every((index) => index >= 0)).toBe(true);
    expect([...sections].sort((a, b) => a - b)).toEqual(sections);

    for (const expected of [
      IMSI,
      '8942310000000000001',
      'gw-01',
      'Raspberry Pi Ltd',
      'SC0194',
      'Raspberry Pi 4 Model B',
      '2025-01-16 05:00:00 JST (2025-01-15 20:00:00 UTC)',
      'Every time since the office moved',
      'macOS 14, OpenSSH 9.6, office LAN',
      'Rebooted the device',
      'peek-0001',
      'DONE',
      t(lang, verdictTitle('source-ip-mismatch')),
      t(lang, diagnosis.summary),
      t(lang, 'diagnosis.step.check-global-range'),
      '(source-ip-mismatch)',
    ]) {
      expect(draft).toContain(expected);
    }
    expect(draft).not.toContain(t(lang, 'ticket.blank'));
    expect(hasMessage('diagnosis.step.check-global-range')).toBe(true);
  });

  test('the audit log is a fixed-width table, oldest first, without duplicate rows, with full connection ids and times in JST and UTC', () => {
    const draft = draftSupportTicket(diagnosis, fullContext, 'en');
    const lines = draft.split('\n');
    const headerIndex = lines.findIndex((line) => line.startsWith('Time (JST)'));
    expect(headerIndex).toBeGreaterThan(0);
    const header = lines[headerIndex] ?? '';
    expect(header).toMatch(/^Time \(JST\)\s+Time \(UTC\)\s+Type\s+Connection\s+Source IP\s+Device port\s+TLS$/);
    expect(lines[headerIndex + 1]).toMatch(/^-+( +-+){6}$/);
    const rows = lines.slice(headerIndex + 2, headerIndex + 5);
    expect(rows).toEqual([
      expect.stringMatching(/^2025-01-16 04:55:00 JST\s+2025-01-15 19:55:00 UTC\s+CREATED\s+aaaaaaaa-0000-4000-8000-000000000001\s+-\s+22\s+false$/),
      expect.stringMatching(
        /^2025-01-16 05:00:00 JST\s+2025-01-15 20:00:00 UTC\s+DENIED\s+bbbbbbbb-0000-4000-8000-000000000002\s+198\.51\.100\.7\s+22\s+false$/,
      ),
      expect.stringMatching(
        /^2025-01-16 05:01:00 JST\s+2025-01-15 20:01:00 UTC\s+DENIED\s+cccccccc-0000-4000-8000-000000000003\s+198\.51\.100\.7\s+22\s+false$/,
      ),
    ]);
    expect(lines[headerIndex + 5] ?? '').not.toMatch(/^2025-/);
    expect(draft).toContain(t('en', 'ticket.audit.all-events', { total: 3 }));
    // Columns line up: each column starts at the same offset in every row.
    const typeColumn = header.indexOf('Type');
    for (const row of rows) expect(row.slice(typeColumn).startsWith('CREATED') || row.slice(typeColumn).startsWith('DENIED')).toBe(true);
  });

  test('the Japanese table lines up even with double-width headers', () => {
    const draft = draftSupportTicket(diagnosis, fullContext, 'ja');
    const lines = draft.split('\n');
    const headerIndex = lines.findIndex((line) => line.startsWith('時刻 (JST)'));
    expect(headerIndex).toBeGreaterThan(0);
    const separatorWidths = (lines[headerIndex + 1] ?? '').split(/ +/).map((dashes) => dashes.length);
    // "時刻 (JST)" is 10 columns wide: 2 double-width characters + 6 single ones; the time cells are 23.
    expect(separatorWidths[0]).toBe(23);
    // "デバイスポート" is 7 double-width characters = 14 columns.
    expect(separatorWidths[5]).toBe(14);
  });

  test.each(['en', 'ja'] as const)('%s: what the bot cannot know is a marked blank', (lang) => {
    const draft = draftSupportTicket(diagnosis, sparseContext, lang);
    const blank = t(lang, 'ticket.blank');
    expect(blank).toBe(lang === 'en' ? '[please fill in]' : '[記入してください]');
    // SIM ID, SIM name, maker, model, product name, start time, reproduce, conditions, environment, tried.
    expect(draft.split(blank).length - 1).toBe(10);
    expect(draft).toContain(t(lang, 'ticket.peek.none'));
    // Without a start time, the earliest related event is offered as a hint.
    expect(draft).toContain(formatJstAndUtc(created.atMs));
  });

  test('the bot’s own actions are listed under what was tried, oldest first', () => {
    const draft = draftSupportTicket(diagnosis, fullContext, 'en');
    const open = draft.indexOf('open: Opened SSH for 30m');
    const retry = draft.indexOf('retry: Opened SSH again for 30m');
    expect(open).toBeGreaterThan(draft.indexOf('Recorded by napter-bot'));
    expect(retry).toBeGreaterThan(open);
    expect(draft).toContain(`${formatUtc(created.atMs)}  open: Opened SSH for 30m`);
  });

  test('a multi-line answer stays under its label', () => {
    expect(draftSupportTicket(diagnosis, fullContext, 'en')).toContain('How to reproduce: ssh -p 40123 pi@host\n    times out');
  });

  test('the endpoint and the capture link never appear; addresses are masked on request', () => {
    const draft = draftSupportTicket(diagnosis, fullContext, 'en');
    expect(draft).not.toContain('192.0.2.100');
    expect(draft).not.toContain('abcd-1234.napter.soracom.io');
    expect(draft).toContain(OTHER_IP);
    const masked = draftSupportTicket(diagnosis, { ...fullContext, maskSourceIps: true }, 'en');
    expect(masked).not.toContain(OTHER_IP);
    expect(masked).not.toContain(USER_IP);
    expect(masked).toContain('198.51.100.x');
  });

  test('the events given are shown with the evidence, which is never left out; an empty log says so', () => {
    const extra = event('ACCESS', TROUBLE_AT_MS + 3 * MINUTE_MS, USER_IP, 'dddddddd-0000-4000-8000-000000000004');
    const withAll = draftSupportTicket(diagnosis, { ...fullContext, auditEvents: [extra] }, 'en');
    expect(withAll).toContain('dddddddd-0000-4000-8000-000000000004');
    expect(withAll).toContain('bbbbbbbb-0000-4000-8000-000000000002');
    expect(withAll).toContain(t('en', 'ticket.audit.all-events', { total: 4 }));
    const none = draftSupportTicket({ ...diagnosis, evidence: [] }, fullContext, 'ja');
    expect(none).toContain(t('ja', 'ticket.audit.empty'));
  });

  test('a long log keeps the evidence and the newest events — the trouble — and says "N of M" and where it skips', () => {
    const many = Array.from({ length: 60 }, (_unused, index) =>
      event('DENIED', TROUBLE_AT_MS + 2 * MINUTE_MS + index * 1000, OTHER_IP, `e${String(index).padStart(7, '0')}-0000-4000-8000-000000000000`),
    );
    const draft = draftSupportTicket({ ...diagnosis, eventCount: 300 }, { ...fullContext, auditEvents: many }, 'en');
    // 50 rows: the three evidence events and the 47 newest of the rest.
    expect(draft).toContain(t('en', 'ticket.audit.excerpt', { shown: 50, total: 300 }));
    expect(draft).toContain('e0000059-0000-4000-8000-000000000000');
    expect(draft).toContain('e0000013-0000-4000-8000-000000000000');
    expect(draft).not.toContain('e0000012-0000-4000-8000-000000000000');
    expect(draft).toContain('bbbbbbbb-0000-4000-8000-000000000002');
    expect(draft).toContain(t('en', 'ticket.audit.gap', { count: 13 }));
  });

  test('the verdict text given by the caller wins over the catalog title', () => {
    const draft = draftSupportTicket(diagnosis, { ...fullContext, verdictText: 'Custom verdict' }, 'en');
    expect(draft).toContain('Verdict: Custom verdict (source-ip-mismatch)');
  });
});
