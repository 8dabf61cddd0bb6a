import { createProcessFailures, isFatalFailure } from '../../src/common/process-failures';

describe('what an unhandled failure means for the process', () => {
  it("one request's failure is logged with where it came from, counted, and survived", () => {
    const logged: unknown[][] = [];
    const failures = createProcessFailures({ error: (...parts) => logged.push(parts) });
    const error = new TypeError("Cannot read properties of null (reading 'ssl_check')");
    expect(failures.onUnhandledRejection(error)).toBe(false);
    expect(failures.onUnhandledRejection('a string')).toBe(false);
    expect(failures.survived).toBe(2);
    expect(logged[0]).toContain(error);
    expect(String(logged[0]?.[0])).toContain('the bot stays up');
    expect(JSON.stringify(logged[0])).toContain('process-failures.test.ts');
  });

  it.each([
    ['a corrupt database', Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' })],
    ['an I/O error on the database', Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' })],
    ['a closed database', new TypeError('The database connection is not open')],
    ['memory exhausted', new RangeError('Array buffer allocation failed')],
  ])('%s ends the process', (_name, error) => {
    expect(isFatalFailure(error)).toBe(true);
    const failures = createProcessFailures({ error: () => undefined });
    expect(failures.onUnhandledRejection(error)).toBe(true);
    expect(failures.survived).toBe(0);
  });

  it.each([
    ['a SORACOM timeout', Object.assign(new Error('timeout'), { code: 'SORACOM_TIMEOUT' })],
    ['a Slack API error', Object.assign(new Error('An API error occurred: not_in_channel'), { code: 'slack_webapi_platform_error' })],
    ['a busy database (another process holds the lock)', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })],
  ])('%s does not', (_name, error) => {
    expect(isFatalFailure(error)).toBe(false);
  });
});
