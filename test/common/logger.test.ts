import { LogLevel } from '@slack/bolt';
import { createRedactingLogger } from '../../src/common/logger';

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
