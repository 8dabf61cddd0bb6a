import { ConfigError, parseConfig } from '../src/config';

describe('parseConfig', () => {
  it('runs fully local (simulator + Slack stand-in) with an empty environment', () => {
    const config = parseConfig({});
    expect(config.slack).toEqual({ kind: 'local' });
    expect(config.soracom).toEqual({ kind: 'simulator' });
    expect(config.port).toBe(3000);
    expect(config.dbPath).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('keeps a database file on real SORACOM, and on the simulator a fresh one per run unless NAPTER_DB names one', () => {
    const real = { SORACOM_AUTH_KEY_ID: 'keyId-abc', SORACOM_AUTH_KEY: 'secret-xyz' };
    expect(parseConfig(real).dbPath).toBe('./napter-bot.db');
    expect(parseConfig({ ...real, NAPTER_DB: '/data/bot.db' }).dbPath).toBe('/data/bot.db');
    expect(parseConfig({}).dbPath).toBeUndefined();
    expect(parseConfig({ NAPTER_DB: './kept.db' }).dbPath).toBe('./kept.db');
  });

  const authKey = { SORACOM_AUTH_KEY_ID: 'keyId-abc', SORACOM_AUTH_KEY: 'secret-xyz' };

  it('chooses Socket Mode when an app token is set', () => {
    const config = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A1-xyz', ...authKey });
    expect(config.slack.kind).toBe('socket');
  });

  it('chooses HTTP mode with a signing secret and no app token', () => {
    const config = parseConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh', ...authKey });
    expect(config.slack).toEqual({ kind: 'http', botToken: 'xoxb-1-2-abc', signingSecret: 'shh' });
  });

  it.each([
    { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh' },
    { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A1-xyz' },
  ])('refuses a real workspace with no SORACOM AuthKey unless NAPTER_SIMULATOR=1 asks for the simulator (%j)', (slack) => {
    expect(() => parseConfig(slack)).toThrow(/NAPTER_SIMULATOR=1/);
    expect(() => parseConfig({ ...slack, NAPTER_SIMULATOR: '0' })).toThrow(/SORACOM_AUTH_KEY_ID/);
    expect(parseConfig({ ...slack, NAPTER_SIMULATOR: '1' }).soracom).toEqual({ kind: 'simulator' });
  });

  it('refuses NAPTER_SIMULATOR=1 together with an AuthKey, and any other value', () => {
    expect(() => parseConfig({ NAPTER_SIMULATOR: '1', ...authKey })).toThrow(/keep one of them/);
    expect(() => parseConfig({ NAPTER_SIMULATOR: 'yes' })).toThrow(/NAPTER_SIMULATOR/);
  });

  it('derives the SORACOM endpoint from the coverage, and lets SORACOM_API_ENDPOINT override it', () => {
    const keys = { SORACOM_AUTH_KEY_ID: 'keyId-abc', SORACOM_AUTH_KEY: 'secret-xyz' };
    expect(parseConfig({ ...keys, SORACOM_COVERAGE: 'g' }).soracom).toMatchObject({ endpoint: 'https://g.api.soracom.io' });
    expect(parseConfig(keys).soracom).toMatchObject({ endpoint: 'https://api.soracom.io' });
    expect(parseConfig({ ...keys, SORACOM_API_ENDPOINT: 'http://127.0.0.1:8080/' }).soracom).toMatchObject({
      endpoint: 'http://127.0.0.1:8080',
    });
  });

  it('splits TRUSTED_PROXIES on commas', () => {
    expect(parseConfig({ TRUSTED_PROXIES: ' 10.0.0.1, 10.0.1.0/24 ,' }).trustedProxies).toEqual(['10.0.0.1', '10.0.1.0/24']);
  });

  it('reminds 5 minutes before the end and extends by 30 unless told otherwise', () => {
    expect(parseConfig({}).watch).toEqual({ reminderLeadSec: 300, extensionSec: 1800 });
    expect(parseConfig({ NAPTER_REMINDER_MINUTES: '10', NAPTER_EXTEND_MINUTES: '60' }).watch).toEqual({ reminderLeadSec: 600, extensionSec: 3600 });
  });

  it.each([
    [{ NAPTER_REMINDER_MINUTES: '0' }, 'NAPTER_REMINDER_MINUTES'],
    [{ NAPTER_EXTEND_MINUTES: '1.5' }, 'NAPTER_EXTEND_MINUTES'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ SORACOM_COVERAGE: 'eu' }, 'SORACOM_COVERAGE'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token', SLACK_SIGNING_SECRET: 's' }, 'SLACK_BOT_TOKEN'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET'],
    [{ SORACOM_AUTH_KEY_ID: 'keyId-only' }, 'SORACOM_AUTH_KEY'],
    [{ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('stops start-up naming the setting for %j', (env, setting) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    try {
      parseConfig(env);
    } catch (error) {
      expect((error as ConfigError).problems.join('\n')).toContain(setting);
    }
  });

  it('never echoes a secret value in its error', () => {
    const secret = 'secret-very-private-value';
    try {
      parseConfig({ SORACOM_AUTH_KEY: secret, SLACK_SIGNING_SECRET: 'signing-very-private' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(String((error as Error).message)).not.toContain(secret);
      expect(String((error as Error).message)).not.toContain('signing-very-private');
    }
  });
});

describe('observability settings', () => {
  it('default to readable logs and no metrics server', () => {
    const config = parseConfig({});
    expect(config.logFormat).toBe('text');
    expect(config.metrics).toBeUndefined();
  });

  it('take how many commands work at once, within 1 to 256', () => {
    expect(parseConfig({}).commandConcurrency).toBeUndefined();
    expect(parseConfig({ NAPTER_COMMAND_CONCURRENCY: '4' }).commandConcurrency).toBe(4);
    expect(() => parseConfig({ NAPTER_COMMAND_CONCURRENCY: '0' })).toThrow(/NAPTER_COMMAND_CONCURRENCY must be a whole number from 1 to 256/);
    expect(() => parseConfig({ NAPTER_COMMAND_CONCURRENCY: 'many' })).toThrow(/NAPTER_COMMAND_CONCURRENCY/);
  });

  it('bind every interface unless HOST names an address', () => {
    expect(parseConfig({}).host).toBeUndefined();
    expect(parseConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(parseConfig({ HOST: '::1' }).host).toBe('::1');
    expect(() => parseConfig({ HOST: 'my server' })).toThrow(/HOST must be the address to listen on/);
  });

  it('take LOG_FORMAT=json, and METRICS_PORT on loopback unless METRICS_HOST says otherwise', () => {
    expect(parseConfig({ LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    expect(parseConfig({ METRICS_PORT: '9464' }).metrics).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(parseConfig({ METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ port: 9464, host: '0.0.0.0' });
  });

  it.each([
    [{ LOG_FORMAT: 'yaml' }, /LOG_FORMAT must be text/],
    [{ METRICS_PORT: 'nine' }, /METRICS_PORT must be a TCP port/],
    [{ METRICS_PORT: '70000' }, /METRICS_PORT must be a TCP port/],
  ])('refuses %j naming the setting', (env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });
});
