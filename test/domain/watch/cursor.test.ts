import {
  DEFAULT_WATCH_OPTIONS,
  EMPTY_AUDIT_CURSOR,
  advanceCursor,
  auditEventKey,
  nextAuditWindow,
  parseAuditCursor,
  type AuditCursor,
} from '../../../src/domain/watch';
import { MIN, T0, event } from './fixtures';

const LOOKBACK = DEFAULT_WATCH_OPTIONS.lookbackMs;
const DAY = 24 * 60 * MIN;

describe('nextAuditWindow', () => {
  it.each([
    ['nothing watched: no read at all', EMPTY_AUDIT_CURSOR, [], T0 + 5 * MIN, undefined],
    [
      'first read: from the earliest open (less the clock tolerance)',
      EMPTY_AUDIT_CURSOR,
      [T0 + MIN, T0 + 3 * MIN],
      T0 + 5 * MIN,
      { fromMs: T0 + MIN - 5_000, toMs: T0 + 5 * MIN },
    ],
    [
      'next read: overlaps the last one by the lookback',
      { version: 1, readToMs: T0 + 5 * MIN, seen: [] },
      [T0],
      T0 + 6 * MIN,
      { fromMs: T0 + 5 * MIN - LOOKBACK, toMs: T0 + 6 * MIN },
    ],
    [
      'after a pause, nothing before the earliest open',
      { version: 1, readToMs: T0, seen: [] },
      [T0 + 60 * MIN],
      T0 + 61 * MIN,
      { fromMs: T0 + 60 * MIN - 5_000, toMs: T0 + 61 * MIN },
    ],
    ['never further back than the log keeps', EMPTY_AUDIT_CURSOR, [T0 - 3 * DAY], T0, { fromMs: T0 - DAY, toMs: T0 }],
  ] as [string, AuditCursor, number[], number, unknown][])('%s', (_name, cursor, opens, nowMs, expected) => {
    expect(
      nextAuditWindow(
        cursor,
        opens.map((openedAtMs) => ({ openedAtMs })),
        nowMs,
      ),
    ).toEqual(expected);
  });
});

describe('advanceCursor', () => {
  it('keeps only the keys the next read can return again', () => {
    const old = auditEventKey(event('ACCESS', T0 + MIN));
    const kept = auditEventKey(event('ACCESS', T0 + 9 * MIN));
    const cursor = advanceCursor({ version: 1, readToMs: T0 + 5 * MIN, seen: [old] }, { fromMs: T0 + 3 * MIN, toMs: T0 + 10 * MIN }, [kept, kept]);
    expect(cursor).toEqual({ version: 1, readToMs: T0 + 10 * MIN, seen: [kept] });
    expect(nextAuditWindow(cursor, [{ openedAtMs: T0 }], T0 + 11 * MIN)?.fromMs).toBeLessThanOrEqual(T0 + 9 * MIN);
  });

  it('never moves back when an older window is applied', () => {
    expect(advanceCursor({ version: 1, readToMs: T0 + 10 * MIN, seen: [] }, { fromMs: T0, toMs: T0 + 5 * MIN }, []).readToMs).toBe(T0 + 10 * MIN);
  });
});

describe('auditEventKey', () => {
  it('tells apart what differs and leads with the time', () => {
    const base = event('ACCESS', T0, { conn: 'c1' });
    const variants = [
      event('CONNECTED', T0, { conn: 'c1' }),
      event('ACCESS', T0 + 1, { conn: 'c1' }),
      event('ACCESS', T0, { conn: 'c2' }),
      event('ACCESS', T0, { conn: 'c1', ip: '203.0.113.9' }),
    ];
    for (const variant of variants) expect(auditEventKey(variant)).not.toBe(auditEventKey(base));
    expect(auditEventKey({ ...base })).toBe(auditEventKey(base));
    expect(auditEventKey(base).startsWith(`${T0}|`)).toBe(true);
  });
});

describe('parseAuditCursor', () => {
  it('reads back what it wrote, through JSON', () => {
    const cursor = advanceCursor(EMPTY_AUDIT_CURSOR, { fromMs: T0, toMs: T0 + MIN }, [auditEventKey(event('ACCESS', T0 + 30_000))]);
    expect(parseAuditCursor(JSON.parse(JSON.stringify(cursor)))).toEqual(cursor);
    expect(parseAuditCursor(JSON.parse(JSON.stringify(EMPTY_AUDIT_CURSOR)))).toEqual(EMPTY_AUDIT_CURSOR);
  });

  it.each([
    null,
    'cursor',
    {},
    { version: 2, seen: [] },
    { version: 1, seen: 'x' },
    { version: 1, seen: ['no-time|ACCESS'] },
    { version: 1, readToMs: 'soon', seen: [] },
  ])('refuses %j', (value) => {
    expect(parseAuditCursor(value)).toBeUndefined();
  });
});
