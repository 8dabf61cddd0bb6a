import { formatJst, formatUtc, isoJst, isoUtc, parseWrittenTime } from '../../src/domain/time';

const NEW_YEAR_JST = Date.UTC(2025, 11, 31, 15, 0, 0);

describe('times for people and for SORACOM support', () => {
  test('the same instant in JST and in UTC, whatever the machine’s zone', () => {
    expect(formatJst(NEW_YEAR_JST)).toBe('2026-01-01 00:00:00 JST');
    expect(formatUtc(NEW_YEAR_JST)).toBe('2025-12-31 15:00:00 UTC');
    expect(isoJst(NEW_YEAR_JST)).toBe('2026-01-01T00:00:00+09:00');
    expect(isoUtc(NEW_YEAR_JST)).toBe('2025-12-31T15:00:00Z');
  });

  test('a written time reads back as JST unless it says UTC', () => {
    expect(parseWrittenTime(formatJst(NEW_YEAR_JST))).toBe(NEW_YEAR_JST);
    expect(parseWrittenTime('2026-01-01 00:00')).toBe(NEW_YEAR_JST);
    expect(parseWrittenTime('2026-01-01T00:00:00 JST (2025-12-31 15:00:00 UTC)')).toBe(NEW_YEAR_JST);
    expect(parseWrittenTime('2025-12-31 15:00 UTC')).toBe(NEW_YEAR_JST);
    expect(parseWrittenTime('2025-12-31 15:00:00Z')).toBe(NEW_YEAR_JST);
  });

  test('free text and dates that do not exist give nothing', () => {
    expect(parseWrittenTime('since this morning')).toBeUndefined();
    expect(parseWrittenTime('2026-13-01 09:00')).toBeUndefined();
    expect(parseWrittenTime('2026-02-30 09:00')).toBeUndefined();
    expect(parseWrittenTime('')).toBeUndefined();
  });
});
