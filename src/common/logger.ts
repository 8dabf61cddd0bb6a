import { AsyncLocalStorage } from 'node:async_hooks';
import { LogLevel, type Logger } from '@slack/bolt';
import { isGlobalAddress, maskIp } from '../domain/net/index';

/**
 * The bot's one logger. Before a line leaves the process, whatever logged it (our code, Bolt, or the Web API
 * client echoing a request body at debug level), it replaces every configured secret (bot token, signing
 * secret, app token, SORACOM AuthKey) with a marker, masks Napter endpoints (every global address, and Napter
 * host names), and writes control characters as escapes, so that text from outside cannot start a forged line.
 */
export interface RedactingLoggerOptions {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly secrets: readonly (string | undefined)[];
  /** `text` (default): one readable line; `json`: one JSON object per line, for log collectors. */
  readonly format?: LogFormat;
  /** Where lines go; the default writes to stdout/stderr. Tests capture them. */
  readonly write?: (level: LogLevel, line: string) => void;
  readonly name?: string;
  /** The clock of the `time` field; tests fix it. */
  readonly now?: () => Date;
}

export type LogFormat = 'text' | 'json';
/** What a line says about where it comes from: the request, the team and user who asked, and any other field. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** The bot's logger: Bolt's interface, plus loggers that add fields to every line they write. */
export interface NapterLogger extends Logger {
  child(fields: LogFields): NapterLogger;
}

const ORDER: readonly LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
/** Slack tokens have recognisable prefixes; redact any, not only the configured ones. */
const TOKEN_PATTERN = /\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{6,}/g;
/**
 * The IP page's one-time token is its whole credential and sits in the path: a request line logged by
 * anyone (Bolt's "unhandled request", a proxy error) must not carry it.
 */
const IP_PAGE_TOKEN_PATTERN = /(\/napter\/ip\/)[^\s/?#"'\\]+/g;
/** Candidates only; ipaddr.js decides. IPv6 needs two colons and a hex digit. */
const IPV4_CANDIDATE = /(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/g;
const IPV6_CANDIDATE = /(?<![0-9a-f:])[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?![0-9a-f:])/gi;
/** SORACOM names Napter endpoints `<random>.napter.soracom.io`. */
const NAPTER_HOST_PATTERN = /\b[a-z0-9-]+(\.napter\.soracom\.io)\b/gi;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
const CONTROL_PATTERN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** A JSON line's own keys; a field of the same name is written with a leading underscore instead. */
const RESERVED_KEYS = new Set(['time', 'level', 'name', 'msg', 'error']);

/**
 * Fields every line written inside `work` carries (the pipeline runs each Slack request in one): whatever logs
 * on the request's behalf, however deep, says which request, team and user it was for.
 */
const contextFields = new AsyncLocalStorage<LogFields>();

export function withLogFields<T>(fields: LogFields, work: () => T): T {
  return contextFields.run({ ...contextFields.getStore(), ...fields }, work);
}

/** `logger.child(fields)` when the logger has children (ours does; a test's may not), else the logger itself. */
export function childLogger(logger: Logger, fields: LogFields): Logger {
  const parent = logger as Partial<NapterLogger>;
  return typeof parent.child === 'function' ? parent.child(fields) : logger;
}

export function createRedactingLogger(options: RedactingLoggerOptions): NapterLogger {
  const secrets = options.secrets.filter((secret): secret is string => secret !== undefined && secret.length >= 4);
  const state = { level: toLogLevel(options.level), name: options.name ?? 'napter-bot' };
  const now = options.now ?? (() => new Date());
  const write =
    options.write ??
    ((lineLevel: LogLevel, line: string) => {
      if (lineLevel === LogLevel.ERROR || lineLevel === LogLevel.WARN) process.stderr.write(`${line}\n`);
      else process.stdout.write(`${line}\n`);
    });

  const redact = (text: string): string => {
    let result = text;
    for (const secret of secrets) result = result.split(secret).join('[redacted]');
    return maskEndpoints(result.replace(TOKEN_PATTERN, '[redacted-token]').replace(IP_PAGE_TOKEN_PATTERN, '$1[redacted]'));
  };

  const format = (lineLevel: LogLevel, parts: readonly unknown[], fields: LogFields): string => {
    if (options.format !== 'json') {
      const body = parts.map(formatPart).join(' ');
      return escapeControls(redact(`${now().toISOString()} ${lineLevel.toUpperCase()} [${state.name}] ${body}`));
    }
    return escapeControls(jsonLine({ time: now().toISOString(), level: lineLevel, name: state.name }, parts, fields, redact));
  };

  const make = (own: LogFields): NapterLogger => {
    const emit = (lineLevel: LogLevel, parts: unknown[]) => {
      if (ORDER.indexOf(lineLevel) < ORDER.indexOf(state.level)) return;
      write(lineLevel, format(lineLevel, parts, { ...contextFields.getStore(), ...own }));
    };
    return {
      debug: (...parts: unknown[]) => emit(LogLevel.DEBUG, parts),
      info: (...parts: unknown[]) => emit(LogLevel.INFO, parts),
      warn: (...parts: unknown[]) => emit(LogLevel.WARN, parts),
      error: (...parts: unknown[]) => emit(LogLevel.ERROR, parts),
      setLevel: (next: LogLevel) => {
        state.level = next;
      },
      getLevel: () => state.level,
      setName: (next: string) => {
        state.name = next;
      },
      child: (fields: LogFields) => make({ ...own, ...fields }),
    };
  };
  return make({});
}

/**
 * One JSON object: the text parts make `msg`, an error becomes `error` ({name, code, message, cause}), a plain
 * object's keys become fields. Every string in it is redacted before it is serialised, so that escaping cannot
 * hide a secret from the redaction.
 */
function jsonLine(
  head: { time: string; level: LogLevel; name: string },
  parts: readonly unknown[],
  fields: LogFields,
  redact: (text: string) => string,
): string {
  const line: Record<string, unknown> = { ...head, msg: '' };
  const add = (key: string, value: unknown) => {
    if (value !== undefined) line[RESERVED_KEYS.has(key) ? `_${key}` : key] = value;
  };
  const words: string[] = [];
  for (const part of parts) {
    if (part instanceof Error) {
      if (line['error'] === undefined) line['error'] = errorFields(part);
      else words.push(formatPart(part));
    } else if (isPlainObject(part)) {
      for (const [key, value] of Object.entries(part)) add(key, value);
    } else {
      words.push(formatPart(part));
    }
  }
  for (const [key, value] of Object.entries(fields)) add(key, value);
  const error = line['error'] as { name: string; message: string } | undefined;
  line['msg'] = words.length > 0 ? words.join(' ') : error === undefined ? '' : `${error.name}: ${error.message}`;
  try {
    return JSON.stringify(line, (_key, value: unknown) => (typeof value === 'string' ? redact(value) : typeof value === 'bigint' ? String(value) : value));
  } catch {
    // A cycle: the line still says what happened, without the fields that could not be written.
    return JSON.stringify({ ...head, msg: redact(parts.map(formatPart).join(' ')) });
  }
}

function errorFields(error: Error): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: error.message,
    ...(error.cause === undefined ? {} : { cause: formatPart(error.cause) }),
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

export function toLogLevel(level: RedactingLoggerOptions['level']): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
}

function formatPart(part: unknown): string {
  if (typeof part === 'string') return part;
  if (part instanceof Error) {
    const code = (part as { code?: unknown }).code;
    const cause = part.cause === undefined ? '' : ` (cause: ${formatPart(part.cause)})`;
    return `${part.name}${typeof code === 'string' ? `[${code}]` : ''}: ${part.message}${cause}`;
  }
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

/**
 * Napter endpoints are private to whoever opened them (SORACOM asks that they not be published), and a log
 * is read by more people: global addresses keep their network part only, Napter host names lose their label.
 * Loopback and private addresses (the bot's own servers, proxies) stay readable.
 */
export function maskEndpoints(text: string): string {
  return text
    .replace(IPV4_CANDIDATE, (candidate) => (isGlobalAddress(candidate) ? maskIp(candidate) : candidate))
    .replace(IPV6_CANDIDATE, (candidate) => (/[0-9a-f]/i.test(candidate) && isGlobalAddress(candidate) ? maskIp(candidate) : candidate))
    .replace(NAPTER_HOST_PATTERN, 'x$1');
}

/** One log entry is one line: newlines and other control characters from outside text are written as escapes. */
function escapeControls(line: string): string {
  return line.replace(CONTROL_PATTERN, (char) => (char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
