import { LogLevel, type Logger } from '@slack/bolt';

/**
 * The bot's one logger. It replaces every configured secret (bot token, signing secret, app token,
 * SORACOM AuthKey) with a marker before a line leaves the process, whatever logged it: our code, Bolt,
 * or the Web API client echoing a request.
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
    return result.replace(TOKEN_PATTERN, '[redacted-token]').replace(IP_PAGE_TOKEN_PATTERN, '$1[redacted]');
  };

  const emit = (lineLevel: LogLevel, parts: unknown[]) => {
    if (ORDER.indexOf(lineLevel) < ORDER.indexOf(level)) return;
    const body = parts.map(formatPart).join(' ');
    write(lineLevel, redact(`${new Date().toISOString()} ${lineLevel.toUpperCase()} [${name}] ${body}`));
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
