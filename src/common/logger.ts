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
  /** Where lines go; the default writes to stdout/stderr. Tests capture them. */
  readonly write?: (level: LogLevel, line: string) => void;
  readonly name?: string;
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

export function createRedactingLogger(options: RedactingLoggerOptions): Logger {
  const secrets = options.secrets.filter((secret): secret is string => secret !== undefined && secret.length >= 4);
  let level = toLogLevel(options.level);
  let name = options.name ?? 'napter-bot';
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

  const emit = (lineLevel: LogLevel, parts: unknown[]) => {
    if (ORDER.indexOf(lineLevel) < ORDER.indexOf(level)) return;
    const body = parts.map(formatPart).join(' ');
    write(lineLevel, escapeControls(redact(`${new Date().toISOString()} ${lineLevel.toUpperCase()} [${name}] ${body}`)));
  };

  return {
    debug: (...parts: unknown[]) => emit(LogLevel.DEBUG, parts),
    info: (...parts: unknown[]) => emit(LogLevel.INFO, parts),
    warn: (...parts: unknown[]) => emit(LogLevel.WARN, parts),
    error: (...parts: unknown[]) => emit(LogLevel.ERROR, parts),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next: string) => {
      name = next;
    },
  };
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
