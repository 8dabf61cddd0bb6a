import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting of the bot, parsed once at start from the environment. With no Slack and no SORACOM
 * credentials at all the bot runs on the built-in SORACOM simulator and the local Slack stand-in; a real
 * workspace runs on the simulator only when NAPTER_SIMULATOR=1 says so.
 * Error messages name the setting and show a valid example; they never echo a secret's value.
 */
const optionalString = z
  .string()
  .transform((value) => value.trim())
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const url = (example: string) =>
  optionalString.refine((value) => value === undefined || /^https?:\/\/[^\s]+$/.test(value), {
    message: `must be an http(s) URL, for example ${example}`,
  });

/** Whole minutes from 1 to 8 hours (Napter's longest mapping), `fallback` when unset. */
function minutes(fallback: number, what: string) {
  return optionalString
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((v) => Number.isInteger(v) && v >= 1 && v <= 480, { message: `must be whole minutes from 1 to 480: ${what}` });
}

const SETTINGS = z.object({
  SLACK_BOT_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xoxb-'), {
    message: 'must be a bot token starting with xoxb- (Slack app settings → OAuth & Permissions)',
  }),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((v) => v === undefined || v.startsWith('xapp-'), {
    message: 'must be an app-level token starting with xapp- with the connections:write scope',
  }),
  SLACK_API_URL: url('http://127.0.0.1:3001/api/'),
  PORT: optionalString
    .transform((v) => (v === undefined ? 3000 : Number(v)))
    .refine((v) => Number.isInteger(v) && v >= 0 && v <= 65535, { message: 'must be a TCP port, for example 3000' }),
  HOST: optionalString.refine((v) => v === undefined || v === 'localhost' || isIP(v) !== 0, {
    message: 'must be the address to listen on, for example 127.0.0.1 or :: (unset: every interface)',
  }),
  PUBLIC_URL: url('https://napter-bot.example.com'),
  TRUSTED_PROXIES: optionalString.transform((v) =>
    v === undefined
      ? []
      : v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
  ),
  IP_ECHO_URL: url('https://api.ipify.org?format=json'),
  SORACOM_AUTH_KEY_ID: optionalString.refine((v) => v === undefined || v.startsWith('keyId-'), {
    message: 'must be an AuthKey ID starting with keyId-',
  }),
  SORACOM_AUTH_KEY: optionalString,
  SORACOM_COVERAGE: optionalString
    .transform((v) => v ?? 'jp')
    .refine((v): v is 'jp' | 'g' => v === 'jp' || v === 'g', { message: 'must be jp (Japan) or g (global)' }),
  SORACOM_API_ENDPOINT: url('https://api-sandbox.soracom.io'),
  NAPTER_SIMULATOR: optionalString.refine((v) => v === undefined || v === '1' || v === '0', {
    message: 'must be 1 (use the built-in SORACOM simulator) or 0',
  }),
  NAPTER_DB: optionalString,
  NAPTER_POLICY: optionalString,
  NAPTER_REMINDER_MINUTES: minutes(5, 'how long before a mapping ends its requester is reminded, for example 5'),
  NAPTER_EXTEND_MINUTES: minutes(30, 'how much Extend adds, for example 30'),
  NAPTER_COMMAND_CONCURRENCY: optionalString
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .refine((v) => v === undefined || (Number.isInteger(v) && v >= 1 && v <= 256), {
      message: 'must be a whole number from 1 to 256: how many commands work at once, for example 16',
    }),
  LOG_LEVEL: optionalString
    .transform((v) => (v ?? 'info').toLowerCase())
    .refine((v): v is 'debug' | 'info' | 'warn' | 'error' => ['debug', 'info', 'warn', 'error'].includes(v), {
      message: 'must be one of debug, info, warn, error',
    }),
  LOG_FORMAT: optionalString
    .transform((v) => (v ?? 'text').toLowerCase())
    .refine((v): v is 'text' | 'json' => v === 'text' || v === 'json', { message: 'must be text (readable lines) or json (one JSON object per line)' }),
  METRICS_PORT: optionalString
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .refine((v) => v === undefined || (Number.isInteger(v) && v >= 0 && v <= 65535), {
      message: 'must be a TCP port for /metrics, for example 9464 (unset: no metrics)',
    }),
  METRICS_HOST: optionalString.transform((v) => v ?? '127.0.0.1'),
});

export type Settings = z.infer<typeof SETTINGS>;

export type SlackMode =
  | { readonly kind: 'socket'; readonly botToken: string; readonly appToken: string; readonly signingSecret: string | undefined }
  | { readonly kind: 'http'; readonly botToken: string; readonly signingSecret: string }
  /** No Slack credentials: the local Slack stand-in on loopback. */
  | { readonly kind: 'local' };

export type SoracomMode =
  | { readonly kind: 'real'; readonly authKeyId: string; readonly authKey: string; readonly endpoint: string }
  /** No AuthKey: the built-in simulator on loopback. */
  | { readonly kind: 'simulator' };

export interface Config {
  readonly slack: SlackMode;
  readonly slackApiUrl: string | undefined;
  readonly soracom: SoracomMode;
  readonly port: number;
  /** The address the HTTP server binds; undefined: every interface (a container's port is published by Docker). */
  readonly host: string | undefined;
  readonly publicUrl: string | undefined;
  readonly trustedProxies: readonly string[];
  readonly ipEchoUrl: string | undefined;
  /**
   * The SQLite file; undefined: a fresh database for this run only, which is the default on the built-in simulator
   * (its world starts anew each time, so yesterday's mappings would all look deleted outside the bot).
   */
  readonly dbPath: string | undefined;
  readonly policyPath: string | undefined;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly logFormat: 'text' | 'json';
  /**
   * Where `/metrics` is served: its own server on `host:port` (loopback by default), or none when METRICS_PORT is
   * unset. `port` equal to PORT serves it on the public server instead, since that was asked for by name.
   */
  readonly metrics: { readonly port: number; readonly host: string } | undefined;
  /** The reminder before a mapping ends, and what Extend adds. */
  readonly watch: { readonly reminderLeadSec: number; readonly extensionSec: number };
  /** How many commands work at once (the others wait their turn after their ack); undefined: the bot's default. */
  readonly commandConcurrency: number | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const SORACOM_ENDPOINTS = { jp: 'https://api.soracom.io', g: 'https://g.api.soracom.io' } as const;

/** Pure: takes the environment as an object so tests pass their own; throws ConfigError listing every problem. */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = SETTINGS.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const s = parsed.data;
  const problems: string[] = [];

  let slack: SlackMode = { kind: 'local' };
  if (s.SLACK_BOT_TOKEN !== undefined) {
    if (s.SLACK_APP_TOKEN !== undefined) {
      slack = { kind: 'socket', botToken: s.SLACK_BOT_TOKEN, appToken: s.SLACK_APP_TOKEN, signingSecret: s.SLACK_SIGNING_SECRET };
    } else if (s.SLACK_SIGNING_SECRET !== undefined) {
      slack = { kind: 'http', botToken: s.SLACK_BOT_TOKEN, signingSecret: s.SLACK_SIGNING_SECRET };
    } else {
      problems.push('SLACK_SIGNING_SECRET is required in HTTP mode (set SLACK_APP_TOKEN=xapp-… for Socket Mode instead)');
    }
  } else if (s.SLACK_APP_TOKEN !== undefined || s.SLACK_SIGNING_SECRET !== undefined) {
    problems.push('SLACK_BOT_TOKEN is required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set, for example xoxb-123-456-abc');
  }

  let soracom: SoracomMode = { kind: 'simulator' };
  const simulatorAsked = s.NAPTER_SIMULATOR === '1';
  if (simulatorAsked && (s.SORACOM_AUTH_KEY_ID !== undefined || s.SORACOM_AUTH_KEY !== undefined)) {
    problems.push('NAPTER_SIMULATOR=1 asks for the built-in simulator, but SORACOM_AUTH_KEY_ID / SORACOM_AUTH_KEY are set too: keep one of them');
  } else if (s.SORACOM_AUTH_KEY_ID !== undefined && s.SORACOM_AUTH_KEY !== undefined) {
    soracom = {
      kind: 'real',
      authKeyId: s.SORACOM_AUTH_KEY_ID,
      authKey: s.SORACOM_AUTH_KEY,
      endpoint: (s.SORACOM_API_ENDPOINT ?? SORACOM_ENDPOINTS[s.SORACOM_COVERAGE]).replace(/\/+$/, ''),
    };
  } else if (s.SORACOM_AUTH_KEY_ID !== undefined || s.SORACOM_AUTH_KEY !== undefined) {
    problems.push('SORACOM_AUTH_KEY_ID and SORACOM_AUTH_KEY go together: set both (keyId-… and secret-…) or neither');
  } else if (slack.kind !== 'local' && !simulatorAsked) {
    // A real workspace on the simulator would answer real people with made-up devices: only when asked for.
    problems.push(
      'SORACOM_AUTH_KEY_ID and SORACOM_AUTH_KEY are not set, but Slack is (SLACK_BOT_TOKEN): set the AuthKey of a SAM user allowed to use Napter, ' +
        'or NAPTER_SIMULATOR=1 to serve this workspace from the built-in SORACOM simulator',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    slack,
    slackApiUrl: s.SLACK_API_URL,
    soracom,
    port: s.PORT,
    host: s.HOST,
    publicUrl: s.PUBLIC_URL?.replace(/\/+$/, ''),
    trustedProxies: s.TRUSTED_PROXIES,
    ipEchoUrl: s.IP_ECHO_URL,
    dbPath: s.NAPTER_DB ?? (soracom.kind === 'simulator' ? undefined : './napter-bot.db'),
    policyPath: s.NAPTER_POLICY,
    logLevel: s.LOG_LEVEL,
    logFormat: s.LOG_FORMAT,
    metrics: s.METRICS_PORT === undefined ? undefined : { port: s.METRICS_PORT, host: s.METRICS_HOST },
    watch: { reminderLeadSec: s.NAPTER_REMINDER_MINUTES * 60, extensionSec: s.NAPTER_EXTEND_MINUTES * 60 },
    commandConcurrency: s.NAPTER_COMMAND_CONCURRENCY,
  };
}
