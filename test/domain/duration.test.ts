import { formatDuration, formatSpan, MAX_PARSEABLE_DURATION_SEC, parseDuration } from '../../src/domain/duration';
import { hasMessage } from '../../src/domain/i18n/catalog';

describe('parseDuration', () => {
  test.each([
    ['90s', 90],
    ['45m', 45 * 60],
    ['2h', 7200],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['1 h 30 m', 5400],
    ['1h30', 5400],
    ['1h 30', 5400],
    ['30', 1800],
    ['1.5h', 5400],
    ['0.5m', 30],
    ['2d', 2 * 86400],
    ['1m30s', 90],
    ['30m1h', 5400],
    ['90 seconds', 90],
    ['1 hour', 3600],
    ['2hours', 7200],
    ['45 mins', 2700],
    ['2 hrs', 7200],
    ['1 day', 86400],
    ['2H', 7200],
    ['  45M  ', 2700],
    ['３０m', 1800],
    ['３０', 1800],
    ['３０分', 1800],
    ['30分間', 1800],
    ['90秒', 90],
    ['2時間', 7200],
    ['1時間30分', 5400],
    ['１時間３０分', 5400],
    ['1時間半', 5400],
    ['1時間30', 5400],
    ['3日', 3 * 86400],
    ['２ｈ', 7200],
    ['366d', MAX_PARSEABLE_DURATION_SEC],
  ])('%s is %i seconds', (text, seconds) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: seconds });
  });

  test.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['abc', 'invalid'],
    ['h', 'invalid'],
    ['1x', 'invalid'],
    ['5ms', 'invalid'],
    ['1h1h', 'invalid'],
    ['30 1h', 'invalid'],
    ['1m 30', 'invalid'],
    ['1h30m15', 'invalid'],
    ['1時間半30分', 'invalid'],
    ['1.2.3h', 'invalid'],
    ['0', 'zero'],
    ['0m', 'zero'],
    ['0h0m', 'zero'],
    ['-30m', 'negative'],
    ['−30m', 'negative'],
    ['367d', 'too-long'],
    ['99999999999999999999999h', 'too-long'],
    ['0.5s', 'fraction-of-second'],
  ])('%j is refused as %s, with a catalog message', (text, code) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message.key).toBe(`command.duration.${code}`);
    expect(hasMessage(result.error.message.key)).toBe(true);
  });

  test('the message quotes the input without backticks', () => {
    const result = parseDuration('`rm` 5x');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message.params?.input).toBe('rm 5x');
  });
});

describe('formatDuration', () => {
  test.each([
    [5400, '1h 30m', '1時間30分'],
    [1800, '30m', '30分'],
    [90, '1m 30s', '1分30秒'],
    [28800, '8h', '8時間'],
    [86400 + 3600, '1d 1h', '1日1時間'],
    [0, '0s', '0秒'],
  ])('%i seconds → %s / %s', (seconds, en, ja) => {
    expect(formatDuration(seconds, 'en')).toBe(en);
    expect(formatDuration(seconds, 'ja')).toBe(ja);
  });

  test.each([
    [3599, '1h', '1時間'],
    [5398, '1h 30m', '1時間30分'],
    [298, '5m', '5分'],
    [90, '1m 30s', '1分30秒'],
  ])('a span of %i seconds is shown as %s / %s', (seconds, en, ja) => {
    expect(formatSpan(seconds, 'en')).toBe(en);
    expect(formatSpan(seconds, 'ja')).toBe(ja);
  });

  test('what it writes parses back to the same number of seconds', () => {
    for (const seconds of [1, 59, 60, 61, 3599, 3600, 5400, 28800, 86399, 90061]) {
      expect(parseDuration(formatDuration(seconds, 'en'))).toEqual({ ok: true, value: seconds });
      expect(parseDuration(formatDuration(seconds, 'ja'))).toEqual({ ok: true, value: seconds });
    }
  });
});
