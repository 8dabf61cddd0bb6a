import { LogLevel } from '@slack/bolt';
import { createRedactingLogger } from '../../src/slack/logger';

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
