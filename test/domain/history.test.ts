import {
  buildHistory,
  csvField,
  historyCsv,
  historyRowMessages,
  HISTORY_CSV_COLUMNS,
  neutraliseFormula,
  type ConnectionCounts,
  type HistoryLedgerEntry,
  type HistoryQuery,
  type HistoryRow,
} from '../../src/domain/history';
import { t } from '../../src/domain/i18n/catalog';

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);
const HOUR = 60 * 60 * 1000;
const TOKYO = { simId: '8942310000000000001', imsi: '295050000000001' };
const OSAKA = { simId: '8942310000000000002', imsi: '295050000000002' };

let sequence = 0;
function entry(kind: string, atMs: number, overrides: Partial<HistoryLedgerEntry> = {}): HistoryLedgerEntry {
  sequence += 1;
  return { id: `e${sequence}`, atMs, kind, userId: 'U0ALICE', ...TOKYO, devicePort: 22, sourceCidr: '198.51.100.7/32', ...overrides };
}

/** The ledger as the store lists it: newest first. */
const ledger: HistoryLedgerEntry[] = [
  entry('ended', T0 + 5 * HOUR, { mappingId: 'm2', details: { how: 'expired' } }),
  entry('diagnose', T0 + 4 * HOUR + 1, { mappingId: 'm2' }),
  entry('extend', T0 + 4 * HOUR, { mappingId: 'm2' }),
  entry('close', T0 + 4 * HOUR, { mappingId: 'm1' }),
  entry('denied', T0 + 3 * HOUR, { userId: 'U0MALLORY', ...OSAKA, sourceCidr: '203.0.113.0/24', details: { reason: 'port-not-allowed' } }),
  entry('reuse', T0 + 2 * HOUR, { userId: 'U0BOB', mappingId: 'm1' }),
  entry('open', T0 + HOUR, { mappingId: 'm1' }),
  entry('open', T0 - 30 * HOUR, { mappingId: 'm0' }),
];
const counts = new Map<string, ConnectionCounts>([
  ['m1', { access: 4, connected: 3 }],
  ['m2', { access: 1, connected: 0 }],
]);
const everyone: HistoryQuery = { sinceMs: T0, visible: () => true };

describe('buildHistory', () => {
  it('lists who did what, newest first, with each mapping’s connections once, on its earliest row', () => {
    const listing = buildHistory(ledger, counts, everyone);
    expect(listing.rows.map((row) => [row.action, row.userId, row.mappingId, row.connections, row.note])).toEqual([
      ['ended', 'U0ALICE', 'm2', undefined, 'expired'],
      ['extend', 'U0ALICE', 'm2', { access: 1, connected: 0 }, undefined],
      ['close', 'U0ALICE', 'm1', undefined, undefined],
      ['denied', 'U0MALLORY', undefined, undefined, 'port-not-allowed'],
      ['reuse', 'U0BOB', 'm1', undefined, undefined],
      ['open', 'U0ALICE', 'm1', { access: 4, connected: 3 }, undefined],
    ]);
    expect(listing.rows[3]).toMatchObject({ simId: OSAKA.simId, imsi: OSAKA.imsi, sourceCidr: '203.0.113.0/24' });
    expect(listing).toMatchObject({ hidden: 0, truncated: false });
  });

  it.each<[string, Partial<HistoryQuery>, string[], number, boolean]>([
    ['a shorter window', { sinceMs: T0 + 3 * HOUR }, ['ended', 'extend', 'close', 'denied'], 0, false],
    ['one SIM, by its SIM ID', { sim: { simId: OSAKA.simId, imsis: [] } }, ['denied'], 0, false],
    ['one SIM, by an IMSI it holds', { sim: { imsis: [TOKYO.imsi] } }, ['ended', 'extend', 'close', 'reuse', 'open'], 0, false],
    ['the policy hides a SIM: left out and counted', { visible: (e) => e.simId !== OSAKA.simId }, ['ended', 'extend', 'close', 'reuse', 'open'], 1, false],
    ['a limit', { limit: 2 }, ['ended', 'extend'], 0, true],
  ])('%s', (_name, query, actions, hidden, truncated) => {
    const listing = buildHistory(ledger, counts, { ...everyone, ...query });
    expect(listing.rows.map((row) => row.action)).toEqual(actions);
    expect(listing.hidden).toBe(hidden);
    expect(listing.truncated).toBe(truncated);
  });

  it('leaves out the close an Extend made of the mapping it replaced, not a close by hand', () => {
    const extended: HistoryLedgerEntry[] = [
      entry('close', T0 + 2 * HOUR, { mappingId: 'mB' }),
      entry('close', T0 + HOUR + 1, { mappingId: 'mA' }),
      entry('extend', T0 + HOUR, { mappingId: 'mB', details: { replaces: 'mA', chainStartedAtMs: T0 } }),
      entry('open', T0, { mappingId: 'mA' }),
    ];
    const listing = buildHistory(extended, new Map(), everyone);
    expect(listing.rows.map((row) => [row.action, row.mappingId])).toEqual([
      ['close', 'mB'],
      ['extend', 'mB'],
      ['open', 'mA'],
    ]);
  });

  it('counts move to the earliest row shown when the open is outside the window', () => {
    const listing = buildHistory(ledger, counts, { ...everyone, sinceMs: T0 + 90 * 60 * 1000 });
    expect(listing.rows.filter((row) => row.mappingId === 'm1').map((row) => [row.action, row.connections])).toEqual([
      ['close', undefined],
      ['reuse', { access: 4, connected: 3 }],
    ]);
  });
});

describe('CSV', () => {
  it.each([
    ['=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['198.51.100.7/32', '198.51.100.7/32'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutraliseFormula(%j) = %j', (cell, expected) => {
    expect(neutraliseFormula(cell)).toBe(expected);
  });

  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
  ])('csvField(%j) = %j', (cell, expected) => {
    expect(csvField(cell)).toBe(expected);
  });

  it('writes a header and one CRLF-terminated line per row, times in UTC and JST', () => {
    const listing = buildHistory(ledger, counts, { ...everyone, sinceMs: T0 + 4 * HOUR });
    expect(historyCsv(listing.rows)).toBe(
      [
        HISTORY_CSV_COLUMNS.join(','),
        '2026-01-15T06:00:00Z,2026-01-15T15:00:00+09:00,ended,U0ALICE,8942310000000000001,295050000000001,22,198.51.100.7/32,m2,,,expired',
        '2026-01-15T05:00:00Z,2026-01-15T14:00:00+09:00,extend,U0ALICE,8942310000000000001,295050000000001,22,198.51.100.7/32,m2,1,0,',
        '2026-01-15T05:00:00Z,2026-01-15T14:00:00+09:00,close,U0ALICE,8942310000000000001,295050000000001,22,198.51.100.7/32,m1,4,3,',
        '',
      ].join('\r\n'),
    );
  });

  it('a hostile value comes back from a CSV reader as text, never a formula', () => {
    const hostile = '=cmd|\' /C calc\'!A0,"x"\r\nnext';
    const csv = historyCsv([{ atMs: T0, action: 'denied', userId: '@U0EVIL', note: hostile }]);
    const [header, row] = parseCsv(csv);
    expect(header).toEqual([...HISTORY_CSV_COLUMNS]);
    expect(row?.[3]).toBe("'@U0EVIL");
    expect(row?.[11]).toBe(`'${hostile}`);
    expect(row?.every((cell) => !/^[=+\-@\t\r]/.test(cell))).toBe(true);
  });
});

/** A strict RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += 1;
    } else cell += char;
  }
  return rows;
}

describe('historyRowMessages', () => {
  const render = { time: (ms: number) => `<t${ms}>`, sim: (row: { simId?: string | undefined }) => row.simId ?? '?' };

  it.each([
    ['open', undefined, 'history.row.open'],
    ['reuse', undefined, 'history.row.reuse'],
    ['extend', undefined, 'history.row.extend'],
    ['close', undefined, 'history.row.close'],
    ['denied', 'port-not-allowed', 'history.row.denied'],
    ['ended', 'expired', 'history.row.expired'],
    ['ended', 'deleted', 'history.row.deleted'],
  ] as const)('%s (%s) reads as %s, in both languages', (action, note, key) => {
    const row = { atMs: T0, action, userId: 'U0ALICE', ...TOKYO, devicePort: 22, sourceCidr: '198.51.100.7/32', ...(note === undefined ? {} : { note }) };
    const [sentence] = historyRowMessages(row, render);
    expect(sentence?.key).toBe(key);
    for (const lang of ['en', 'ja'] as const) {
      const text = t(lang, sentence ?? 'history.title');
      expect(text).toContain('<@U0ALICE>');
      expect(text).toContain(TOKYO.simId);
      expect(text).not.toMatch(/\{\w+\}/);
    }
  });

  it('adds the connections when the row carries them', () => {
    const refs = historyRowMessages({ atMs: T0, action: 'open', userId: 'U0ALICE', connections: { access: 4, connected: 3 } }, render);
    expect(refs.map((ref) => t('en', ref))).toEqual([expect.stringContaining('opened'), 'Napter: 4 reached, 3 connected']);
  });
});

describe('a refusal of something other than an open', () => {
  test('says which command was refused, not a port and range it never had', () => {
    const entries = [
      { id: 'd1', atMs: T0, kind: 'denied', userId: 'U0ALICE', simId: 'sim-1', details: { action: 'close', reason: 'policy.denied.close-not-owner' } },
    ];
    const listing = buildHistory(entries, new Map(), { sinceMs: T0 - 1, visible: () => true });
    expect(listing.rows[0]).toMatchObject({ action: 'denied', deniedAction: 'close', note: 'policy.denied.close-not-owner' });
    const [sentence] = historyRowMessages(listing.rows[0] as HistoryRow, { time: () => 'AT', sim: () => 'gw' });
    expect(sentence).toEqual({ key: 'history.row.denied-action', params: expect.objectContaining({ action: 'close', sim: 'gw' }) });
    const [open] = historyRowMessages({ ...(listing.rows[0] as HistoryRow), deniedAction: 'open' }, { time: () => 'AT', sim: () => 'gw' });
    expect(open?.key).toBe('history.row.denied');
  });
});
