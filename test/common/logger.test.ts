import { LogLevel } from '@slack/bolt';
import { createRedactingLogger, withLogFields } from '../../src/common/logger';

describe('the redacting logger', () => {
  it('removes configured secrets and anything shaped like a Slack token, in strings, objects and errors', () => {
    const lines: string[] = [];
    const logger = createRedactingLogger({ level: 'debug', secrets: ['s3cr3t-signing', 'secret-authkey-123'], write: (_level, line) => lines.push(line) });
    logger.info('signing secret is s3cr3t-signing');
    logger.warn({ headers: { authorization: 'Bearer xoxb-123-456-abcdef' } });
    logger.error(new Error('auth failed for secret-authkey-123'));
    logger.debug('app token xapp-1-A1-123456');
    const all = lines.join('\n');
    expect(lines).toHaveLength(4);
    expect(all).not.toContain('s3cr3t-signing');
    expect(all).not.toContain('secret-authkey-123');
    expect(all).not.toContain('xoxb-123-456-abcdef');
    expect(all).not.toContain('xapp-1-A1-123456');
    expect(all).toContain('[redacted]');
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const logger = createRedactingLogger({ level: 'warn', secrets: [], write: (_level, line) => lines.push(line) });
    logger.info('quiet');
    logger.debug('quieter');
    logger.warn('loud');
    expect(lines).toHaveLength(1);
    logger.setLevel(LogLevel.DEBUG);
    logger.debug('now heard');
    expect(lines).toHaveLength(2);
  });
});

describe('IP page tokens', () => {
  it('are removed from any path a line mentions, whoever logged it', () => {
    const lines: string[] = [];
    const logger = createRedactingLogger({ level: 'debug', secrets: [], write: (_level, line) => lines.push(line) });
    const token = 'Zk3_-q9aQ2mX0pLr7sT1uV';
    logger.info(`Unhandled HTTP request (HEAD) made to /napter/ip/${token}`);
    logger.warn({ url: `https://bot.example.com/napter/ip/${token}?x=1` });
    logger.error(new Error(`failed at /napter/ip/${encodeURIComponent(token)}`));
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toContain(token);
    expect(lines.join('\n')).toContain('/napter/ip/[redacted]');
  });
});

describe('what a line may carry', () => {
  function logged(...parts: unknown[]): string {
    const lines: string[] = [];
    const logger = createRedactingLogger({ level: 'debug', secrets: [], write: (_level, line) => lines.push(line) });
    logger.debug(...parts);
    expect(lines).toHaveLength(1);
    return lines[0] ?? '';
  }

  it('never prints a Napter endpoint, even in a request body the Web API client echoes', () => {
    const line = logged(
      `http request body: ${JSON.stringify({ text: 'Napter is open: 192.0.2.10:40123 or abcdef123456.napter.soracom.io:40123, from 2001:db8::77' })}`,
    );
    expect(line).not.toMatch(/192\.0\.2\.10|abcdef123456|2001:db8::77/);
    expect(line).toContain('192.0.2.x:40123');
    expect(line).toContain('x.napter.soracom.io:40123');
  });

  it('keeps loopback and private addresses and times readable', () => {
    const line = logged('SORACOM simulator on http://127.0.0.1:8080, proxy 10.0.0.5, at 12:34:56');
    expect(line).toContain('http://127.0.0.1:8080');
    expect(line).toContain('10.0.0.5');
    expect(line).toContain('12:34:56');
  });

  it('writes newlines and control characters from outside text as escapes: one entry stays one line', () => {
    const line = logged('/napter failed', 'open x\n2099-01-01T00:00:00.000Z ERROR [napter-bot] forged\r\u001b[31m\u2028');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what the test looks for
    expect(line).not.toMatch(/[\n\r\u001b\u2028]/);
    expect(line).toContain('open x\\n2099-01-01T00:00:00.000Z ERROR [napter-bot] forged\\r\\u001b[31m\\u2028');
  });
});

describe('LOG_FORMAT=json', () => {
  function jsonLines(): { lines: string[]; logger: ReturnType<typeof createRedactingLogger> } {
    const lines: string[] = [];
    const logger = createRedactingLogger({
      level: 'debug',
      format: 'json',
      secrets: ['s3cr3t"with\\quote', 'plain-secret-42'],
      write: (_level, line) => lines.push(line),
      now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
    });
    return { lines, logger };
  }

  it('writes one object per line: time, level, name, msg, an error as fields, a plain object as fields', () => {
    const { lines, logger } = jsonLines();
    logger.warn('SORACOM call', { method: 'GET', status: 503, level: 'not mine' });
    logger.error('A Slack command failed', Object.assign(new Error('boom', { cause: new Error('deeper') }), { code: 'SORACOM_HTTP_ERROR' }));
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { time: '2026-01-02T03:04:05.000Z', level: 'warn', name: 'napter-bot', msg: 'SORACOM call', method: 'GET', status: 503, _level: 'not mine' },
      {
        time: '2026-01-02T03:04:05.000Z',
        level: 'error',
        name: 'napter-bot',
        msg: 'A Slack command failed',
        error: { name: 'Error', code: 'SORACOM_HTTP_ERROR', message: 'boom', cause: 'Error: deeper' },
      },
    ]);
  });

  it('carries the fields of the request it logs for, from a child or from the request context around it', async () => {
    const { lines, logger } = jsonLines();
    logger.child({ requestId: 'r1', teamId: 'T1' }).info('from a child');
    await withLogFields({ requestId: 'r2', teamId: 'T2', userId: 'U2' }, async () => {
      await Promise.resolve();
      logger.info('deep inside the request');
    });
    logger.info('after it');
    const [child, inside, after] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(child).toMatchObject({ msg: 'from a child', requestId: 'r1', teamId: 'T1' });
    expect(inside).toMatchObject({ msg: 'deep inside the request', requestId: 'r2', teamId: 'T2', userId: 'U2' });
    expect(after?.['requestId']).toBeUndefined();
  });

  it('redacts secrets before escaping, masks endpoints in fields, and keeps each entry on one line', () => {
    const { lines, logger } = jsonLines();
    logger.info('token s3cr3t"with\\quote', {
      body: 'endpoint 192.0.2.10:40123 key plain-secret-42 xoxb-123-456-abcdef',
      nested: { url: '/napter/ip/Zk3_-q9aQ2' },
    });
    logger.debug('forged\n{"level":"error"}\u2028\u0085');
    const all = lines.join('\n');
    expect(lines).toHaveLength(2);
    for (const leaked of ['s3cr3t', 'with\\\\quote', 'plain-secret-42', 'xoxb-123', '192.0.2.10', 'Zk3_-q9aQ2']) expect(all).not.toContain(leaked);
    const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(first?.['body']).toBe('endpoint 192.0.2.x:40123 key [redacted] [redacted-token]');
    expect(first?.['nested']).toEqual({ url: '/napter/ip/[redacted]' });
    expect(second?.['msg']).toBe('forged\n{"level":"error"}\u2028\u0085');
    expect(lines[1]).not.toMatch(/[\n\r\u2028\u0085]/);
  });

  it('keeps the text format of today when no format is asked for', () => {
    const lines: string[] = [];
    const logger = createRedactingLogger({ level: 'info', secrets: [], write: (_level, line) => lines.push(line), now: () => new Date(Date.UTC(2026, 0, 2)) });
    logger.child({ requestId: 'r1' }).info('hello', { a: 1 });
    expect(lines).toEqual(['2026-01-02T00:00:00.000Z INFO [napter-bot] hello {"a":1}']);
  });
});
