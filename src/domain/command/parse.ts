import { parseDuration } from '../duration';
import { editDistance } from '../closest-names';
import type { MessageKey, MessageParams, MessageRef } from '../i18n/message-ref';
import { msg } from '../i18n/message-ref';
import { parseIpAddress, formatIpAddress } from '../net/address';
import type { SourceRangeLimits } from '../net/source-range';
import { DEFAULT_SOURCE_RANGE_LIMITS, parseSourceRange } from '../net/source-range';
import type { Result } from '../result';
import { err, ok } from '../result';
import { DEFAULT_MAPPING_DURATION_SEC, MAX_MAPPING_DURATION_SEC } from '../soracom';
import type { Token } from './normalise';
import { echoToken, normaliseUserText, tokenise, unwrapSlackMarkup } from './normalise';
import type {
  CloseCommand,
  DiagnoseCommand,
  HelpCommand,
  HistoryCommand,
  ListCommand,
  NapterCommand,
  OpenCommand,
  PresetProtocol,
  Protocol,
  SimRef,
  SourceSpec,
  Subcommand,
  UsageError,
  UsageErrorCode,
} from './types';
import {
  DEFAULT_DIAGNOSE_WINDOW_SEC,
  DEFAULT_HISTORY_WINDOW_SEC,
  DEFAULT_OPEN_PROTOCOL,
  MAX_DIAGNOSE_WINDOW_SEC,
  PROTOCOL_PRESET_PORTS,
  SUBCOMMANDS,
} from './types';

/**
 * `/napter` text → a command, or a refusal that says what was wrong and shows the right form.
 * Never throws: whatever a person (or a fuzzer) types ends as one of the two.
 *
 * Decisions a field engineer would expect:
 * - `open <sim>` alone opens SSH (port 22) for 30 minutes from the caller's own address, TLS off.
 * - Options after the SIM come in any order; `for` before a duration, `from` before a source and
 *   `since` before a window may be left out when the value speaks for itself (`2h`, `203.0.113.5`, `me`).
 * - A bare number is the device port (`open gw-01 8080`); after `for` it is minutes (`for 45`).
 *   With a preset it overrides the preset's port (`ssh 2222`); a well-known port implies its preset (`443` → https).
 * - `tls` is refused with SSH, RDP and VNC (their clients do not speak TLS to Napter's terminator) and with
 *   `https` (the device already speaks TLS; `http tls` is the form for a plain-HTTP device).
 * - `diagnose` looks back 24 hours by default and at most 366 days (the audit log's paid retention).
 * - Full-width text from Japanese keyboards, a repeated `/napter`, Slack's `<link|text>` escaping and
 *   stray spaces are all tolerated.
 */

export interface ParseDefaults {
  /** The preset `open` uses when neither a preset nor a port is given. */
  readonly protocol?: PresetProtocol;
  readonly durationSec?: number;
  readonly diagnoseWindowSec?: number;
  readonly historyWindowSec?: number;
}

export interface ParseOptions {
  readonly limits?: SourceRangeLimits;
  readonly defaults?: ParseDefaults;
}

const MAX_INPUT_LENGTH = 1000;
const MAX_NAME_LENGTH = 128;

const USAGE_KEY: Readonly<Record<Subcommand | 'general', MessageKey>> = {
  open: 'command.usage.open',
  diagnose: 'command.usage.diagnose',
  list: 'command.usage.list',
  close: 'command.usage.close',
  history: 'command.usage.history',
  help: 'command.usage.help',
  general: 'command.usage.general',
};

function usageError(code: UsageErrorCode, key: MessageKey, params: MessageParams | undefined, subcommand: Subcommand | 'general'): UsageError {
  return { kind: 'usage-error', code, message: msg(key, params), usageKey: USAGE_KEY[subcommand] };
}

function fromMessage(code: UsageErrorCode, message: MessageRef, subcommand: Subcommand): UsageError {
  return { kind: 'usage-error', code, message, usageKey: USAGE_KEY[subcommand] };
}

const isUsageError = (value: unknown): value is UsageError =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'usage-error';

class Cursor {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  get done(): boolean {
    return this.index >= this.tokens.length;
  }

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(): Token | undefined {
    const token = this.tokens[this.index];
    this.index += 1;
    return token;
  }
}

// ---------------------------------------------------------------------------------------------
// Words

const PRESETS = Object.keys(PROTOCOL_PRESET_PORTS) as PresetProtocol[];
const isPreset = (word: string): word is PresetProtocol => (PRESETS as readonly string[]).includes(word);
const PRESET_BY_PORT = new Map<number, PresetProtocol>(PRESETS.map((preset) => [PROTOCOL_PRESET_PORTS[preset], preset]));

const NON_TCP_WORDS = new Set(['udp', 'icmp', 'icmpv6', 'ping', 'ping6', 'traceroute', 'tracert', 'sctp']);
const TLS_ON_WORDS = new Set(['tls', 'tls=on', 'tls:on', 'tls=true', '+tls', 'withtls']);
const TLS_OFF_WORDS = new Set(['notls', 'no-tls', 'no_tls', 'tls=off', 'tls:off', 'tls=false', '-tls', 'withouttls']);
/** Clients that do not speak TLS to Napter's terminator, so `tls` breaks them. */
const NON_TLS_PRESETS: ReadonlySet<Protocol> = new Set<Protocol>(['ssh', 'rdp', 'vnc']);

const OPTION_WORDS = new Set<string>([...PRESETS, ...NON_TCP_WORDS, ...TLS_ON_WORDS, ...TLS_OFF_WORDS, 'tcp', 'port', 'for', 'from', 'since', 'me', 'last']);

const HELP_WORDS = new Set(['help', '?', '-h', '--help', 'h', 'usage', 'ヘルプ', '使い方', 'へるぷ']);

/** Words people type for a subcommand, mapped to the one they meant (suggested, never run). */
const SYNONYMS: Readonly<Record<string, Subcommand>> = {
  start: 'open',
  connect: 'open',
  enable: 'open',
  create: 'open',
  new: 'open',
  ssh: 'open',
  rdp: 'open',
  remote: 'open',
  開く: 'open',
  開始: 'open',
  接続: 'open',
  有効化: 'open',
  オープン: 'open',
  check: 'diagnose',
  debug: 'diagnose',
  diag: 'diagnose',
  troubleshoot: 'diagnose',
  why: 'diagnose',
  test: 'diagnose',
  diagnosis: 'diagnose',
  inspect: 'diagnose',
  診断: 'diagnose',
  調査: 'diagnose',
  確認: 'diagnose',
  切り分け: 'diagnose',
  ls: 'list',
  show: 'list',
  status: 'list',
  mappings: 'list',
  get: 'list',
  一覧: 'list',
  リスト: 'list',
  delete: 'close',
  remove: 'close',
  rm: 'close',
  stop: 'close',
  disable: 'close',
  kill: 'close',
  end: 'close',
  del: 'close',
  閉じる: 'close',
  削除: 'close',
  終了: 'close',
  停止: 'close',
  無効化: 'close',
  log: 'history',
  logs: 'history',
  audit: 'history',
  ledger: 'history',
  who: 'history',
  履歴: 'history',
  監査: 'history',
  記録: 'history',
  man: 'help',
};

function suggestSubcommand(word: string): Subcommand | undefined {
  const synonym = SYNONYMS[word];
  if (synonym !== undefined) return synonym;
  if (word.length >= 3) {
    const byPrefix = SUBCOMMANDS.find((name) => name.startsWith(word) || word.startsWith(name));
    if (byPrefix !== undefined) return byPrefix;
  }
  let best: { name: Subcommand; distance: number } | undefined;
  for (const name of SUBCOMMANDS) {
    const distance = editDistance(word, name);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

// ---------------------------------------------------------------------------------------------
// Values

export type SimRefError = { readonly code: 'invalid-sim'; readonly message: MessageRef };

/**
 * `<sim>`: 15 digits is an IMSI, 18–20 digits a SIM ID (an ICCID, e.g. `8942310000000000001`), anything
 * else the SIM's `name` tag. Other all-digit strings of 10 or more are refused: they are almost always an
 * IMSI or SIM ID with a digit missing or doubled, and searching names for them would only find nothing.
 */
export function parseSimRef(text: string, options: { quoted?: boolean } = {}): Result<SimRef, SimRefError> {
  const input = text.trim();
  if (/^\d+$/.test(input)) {
    if (input.length === 15) return ok({ kind: 'imsi', imsi: input });
    if (input.length >= 18 && input.length <= 20) return ok({ kind: 'simId', simId: input });
    if (input.length >= 10) {
      return err({ code: 'invalid-sim', message: msg('command.sim.digit-count', { input: echoToken(input), count: input.length }) });
    }
  }
  // SORACOM's SIM search: "Each search value must be at least 2 characters long", and "the literal
  // character `,` itself cannot be used as part of a search value" (spec, searchSims).
  if (input.includes(',')) return err({ code: 'invalid-sim', message: msg('command.sim.name-comma', { input: echoToken(input) }) });
  if (input !== '' && [...input].length < 2) {
    return err({ code: 'invalid-sim', message: msg('command.sim.name-too-short', { input: echoToken(input) }) });
  }
  const allowed = options.quoted ? /^[^\p{Cc}\p{Cf}`<>&]+$/u : /^[\p{L}\p{N}\p{M}_.-]+$/u;
  if (input === '' || input.length > MAX_NAME_LENGTH || !allowed.test(input)) {
    return err({ code: 'invalid-sim', message: msg('command.sim.invalid', { input: echoToken(input) }) });
  }
  return ok({ kind: 'name', name: input });
}

function readSim(cursor: Cursor, subcommand: Subcommand): SimRef | UsageError {
  const token = cursor.peek();
  if (token === undefined) return usageError('missing-sim', 'command.sim.missing', { subcommand }, subcommand);
  if (!token.quoted && OPTION_WORDS.has(token.text.toLowerCase())) {
    return usageError('missing-sim', 'command.sim.missing-before-option', { subcommand, token: echoToken(token.text) }, subcommand);
  }
  cursor.next();
  const sim = parseSimRef(token.text, { quoted: token.quoted });
  return sim.ok ? sim.value : fromMessage(sim.error.code, sim.error.message, subcommand);
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

const isBareNumber = (word: string): boolean => /^\d+$/.test(word);

/**
 * Reads a duration that may span tokens (`1h 30m`, `1 hour`, `2時間 30分`). A following bare number is
 * never taken as minutes: in `for 1h 8080` the 8080 is a port.
 */
function readDuration(first: string, cursor: Cursor): { text: string; result: ReturnType<typeof parseDuration> } {
  let text = first;
  let result = parseDuration(text);
  for (let next = cursor.peek(); next !== undefined && !next.quoted && !isBareNumber(next.text); next = cursor.peek()) {
    const joined = `${text} ${next.text}`;
    const joinedResult = parseDuration(joined);
    if (!joinedResult.ok) break;
    text = joined;
    result = joinedResult;
    cursor.next();
  }
  return { text, result };
}

/** A token that reads as a duration on its own: starts with a digit, has a unit (`2h`, `30分`, `1h30m`). */
function looksLikeDuration(word: string): boolean {
  if (!/^\d/.test(word) || isBareNumber(word)) return false;
  const result = parseDuration(word);
  // Also a wrong one (`0m`, `400d`): its own message says more than "unknown option".
  return result.ok || result.error.code !== 'invalid';
}

/** A token that can only be meant as an address or a CIDR. */
function looksLikeSource(word: string): boolean {
  return /^[0-9a-f:./]+$/i.test(word) && /[.:]/.test(word) && /\d/.test(word);
}

// ---------------------------------------------------------------------------------------------
// Subcommands

function parseOpen(cursor: Cursor, options: ParseOptions): OpenCommand | UsageError {
  const sim = readSim(cursor, 'open');
  if (isUsageError(sim)) return sim;
  const limits = options.limits ?? DEFAULT_SOURCE_RANGE_LIMITS;
  const fail = (code: UsageErrorCode, key: MessageKey, params?: MessageParams): UsageError => usageError(code, key, params, 'open');

  let preset: PresetProtocol | undefined;
  let port: number | undefined;
  let tcpOnlyMarker = false;
  let duration: { sec: number; text: string } | undefined;
  let source: SourceSpec | undefined;
  let tlsRequired: boolean | undefined;

  const setPort = (value: number): UsageError | undefined => {
    if (port !== undefined && port !== value) return fail('option-twice', 'command.option-twice', { option: 'port' });
    port = value;
    return undefined;
  };
  const setDuration = (first: string): UsageError | undefined => {
    if (duration !== undefined) return fail('option-twice', 'command.option-twice', { option: 'for' });
    const read = readDuration(first, cursor);
    if (!read.result.ok) return fromMessage('invalid-duration', read.result.error.message, 'open');
    duration = { sec: read.result.value, text: read.text };
    return undefined;
  };
  const setSource = (text: string): UsageError | undefined => {
    if (source !== undefined) return fail('option-twice', 'command.option-twice', { option: 'from' });
    const word = text.toLowerCase();
    if (word === 'me' || word === 'last') {
      source = { kind: word };
      return undefined;
    }
    const range = parseSourceRange(text, limits);
    if (!range.ok) return fromMessage('invalid-source', range.error.message, 'open');
    source = { kind: 'cidr', cidr: range.value };
    return undefined;
  };
  const setTls = (value: boolean): UsageError | undefined => {
    if (tlsRequired !== undefined && tlsRequired !== value) return fail('option-twice', 'command.option-twice', { option: 'tls' });
    tlsRequired = value;
    return undefined;
  };

  for (let token = cursor.next(); token !== undefined; token = cursor.next()) {
    const word = token.text.toLowerCase();
    const shown = echoToken(token.text);
    let problem: UsageError | undefined;
    if (token.quoted) {
      problem = fail('unknown-option', 'command.unknown-option', { token: shown });
    } else if (NON_TCP_WORDS.has(word) || /^\d+\/(udp|icmp|sctp)$/.test(word)) {
      problem = fail('tcp-only', 'command.open.tcp-only', { token: shown });
    } else if (isPreset(word)) {
      if (preset !== undefined && preset !== word) {
        problem = fail('conflicting-protocols', 'command.open.conflicting-protocols', { first: preset, second: word });
      }
      preset = word;
    } else if (word === 'tcp') {
      tcpOnlyMarker = true;
    } else if (/^\d+(\/tcp)?$/.test(word)) {
      const value = parsePort(word.replace('/tcp', ''));
      problem = value === undefined ? fail('invalid-port', 'command.open.invalid-port', { input: shown }) : setPort(value);
    } else if (word === 'port' || /^port[=:]/.test(word)) {
      const valueText = word === 'port' ? cursor.next()?.text : word.slice(5);
      if (valueText === undefined || valueText === '') {
        problem = fail('missing-value', 'command.missing-value', { option: 'port' });
      } else {
        const value = parsePort(valueText);
        problem = value === undefined ? fail('invalid-port', 'command.open.invalid-port', { input: echoToken(valueText) }) : setPort(value);
      }
    } else if (word === 'for') {
      const next = cursor.next();
      problem = next === undefined ? fail('missing-value', 'command.missing-value', { option: 'for' }) : setDuration(next.text);
    } else if (word === 'from') {
      const next = cursor.next();
      problem = next === undefined ? fail('missing-value', 'command.missing-value', { option: 'from' }) : setSource(next.text);
    } else if (TLS_ON_WORDS.has(word)) {
      problem = setTls(true);
    } else if (TLS_OFF_WORDS.has(word)) {
      problem = setTls(false);
    } else if (word === 'me' || word === 'last') {
      problem = setSource(word);
    } else if (looksLikeDuration(word)) {
      problem = setDuration(token.text);
    } else if (looksLikeSource(word)) {
      problem = setSource(token.text);
    } else {
      problem = fail('unknown-option', 'command.unknown-option', { token: shown });
    }
    if (problem) return problem;
  }

  let protocol: Protocol;
  let devicePort: number;
  if (preset !== undefined) {
    protocol = preset;
    devicePort = port ?? PROTOCOL_PRESET_PORTS[preset];
  } else if (port !== undefined) {
    protocol = PRESET_BY_PORT.get(port) ?? 'tcp';
    devicePort = port;
  } else if (tcpOnlyMarker) {
    return fail('missing-value', 'command.open.tcp-needs-port');
  } else {
    protocol = options.defaults?.protocol ?? DEFAULT_OPEN_PROTOCOL;
    devicePort = PROTOCOL_PRESET_PORTS[protocol];
  }

  if (tlsRequired === true) {
    if (NON_TLS_PRESETS.has(protocol)) {
      return fail('tls-not-supported', 'command.open.tls-not-for-protocol', { protocol: protocol.toUpperCase(), port: devicePort });
    }
    if (protocol === 'https') return fail('tls-not-supported', 'command.open.tls-with-https', { port: devicePort });
  }

  const durationSec = duration?.sec ?? options.defaults?.durationSec ?? DEFAULT_MAPPING_DURATION_SEC;
  if (durationSec > MAX_MAPPING_DURATION_SEC) {
    return fail('duration-over-cap', 'command.open.duration-over-cap', {
      input: echoToken(duration?.text ?? String(durationSec)),
      maxHours: MAX_MAPPING_DURATION_SEC / 3600,
    });
  }

  return {
    kind: 'open',
    sim,
    protocol,
    devicePort,
    durationSec,
    source: source ?? { kind: 'me' },
    tlsRequired: tlsRequired ?? false,
  };
}

const WINDOW_WORDS = new Set(['since', 'last', 'for']);

/** `since <duration>` (also `last`/`for`, or the duration alone) up to the end of the command: the window, if given. */
function readWindow(cursor: Cursor, subcommand: Subcommand): { sec: number; text: string } | undefined | UsageError {
  const fail = (code: UsageErrorCode, key: MessageKey, params?: MessageParams): UsageError => usageError(code, key, params, subcommand);
  let window: { sec: number; text: string } | undefined;
  for (let token = cursor.next(); token !== undefined; token = cursor.next()) {
    const word = token.text.toLowerCase();
    let durationText: string | undefined;
    if (!token.quoted && WINDOW_WORDS.has(word)) {
      durationText = cursor.next()?.text;
      if (durationText === undefined) return fail('missing-value', 'command.missing-value', { option: word });
    } else if (!token.quoted && looksLikeDuration(word)) {
      durationText = token.text;
    } else {
      return fail('unknown-option', 'command.unknown-option', { token: echoToken(token.text) });
    }
    if (window !== undefined) return fail('option-twice', 'command.option-twice', { option: 'since' });
    const read = readDuration(durationText, cursor);
    if (!read.result.ok) return fromMessage('invalid-duration', read.result.error.message, subcommand);
    window = { sec: read.result.value, text: read.text };
  }
  return window;
}

function parseDiagnose(cursor: Cursor, options: ParseOptions): DiagnoseCommand | UsageError {
  const sim = readSim(cursor, 'diagnose');
  if (isUsageError(sim)) return sim;
  const window = readWindow(cursor, 'diagnose');
  if (isUsageError(window)) return window;
  const sinceSec = window?.sec ?? options.defaults?.diagnoseWindowSec ?? DEFAULT_DIAGNOSE_WINDOW_SEC;
  if (sinceSec > MAX_DIAGNOSE_WINDOW_SEC) {
    return usageError(
      'duration-over-cap',
      'command.diagnose.since-over-cap',
      { input: echoToken(window?.text ?? String(sinceSec)), maxDays: MAX_DIAGNOSE_WINDOW_SEC / 86400 },
      'diagnose',
    );
  }
  return { kind: 'diagnose', sim, sinceSec };
}

/**
 * `history [<sim>|all] [since <duration>]`: the SIM is optional, so a first word that reads as the window
 * (`since`, `7d`) starts the window instead; a SIM named like a duration can be quoted.
 */
function parseHistory(cursor: Cursor, options: ParseOptions): HistoryCommand | UsageError {
  let sim: SimRef | undefined;
  const first = cursor.peek();
  const firstWord = first?.text.toLowerCase() ?? '';
  if (first !== undefined && !first.quoted && firstWord === 'all') {
    cursor.next();
  } else if (first !== undefined && (first.quoted || (!WINDOW_WORDS.has(firstWord) && !looksLikeDuration(firstWord)))) {
    const read = readSim(cursor, 'history');
    if (isUsageError(read)) return read;
    sim = read;
  }
  const window = readWindow(cursor, 'history');
  if (isUsageError(window)) return window;
  return { kind: 'history', sim, sinceSec: window?.sec ?? options.defaults?.historyWindowSec ?? DEFAULT_HISTORY_WINDOW_SEC };
}

function parseList(cursor: Cursor): ListCommand | UsageError {
  const first = cursor.peek();
  if (first === undefined || (!first.quoted && first.text.toLowerCase() === 'all')) {
    cursor.next();
    const extra = cursor.next();
    if (extra !== undefined) return usageError('too-many-arguments', 'command.too-many-arguments', { token: echoToken(extra.text) }, 'list');
    return { kind: 'list', sim: undefined };
  }
  const sim = readSim(cursor, 'list');
  if (isUsageError(sim)) return sim;
  const extra = cursor.next();
  if (extra !== undefined) return usageError('too-many-arguments', 'command.too-many-arguments', { token: echoToken(extra.text) }, 'list');
  return { kind: 'list', sim };
}

type CloseTarget = CloseCommand['target'];

/** `ip:port`, `[ipv6]:port`, `hostname:port`, also pasted as `https://host:port/`. */
function parseEndpoint(text: string): CloseTarget | UsageError | undefined {
  const bare = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
  const fail = (code: UsageErrorCode, key: MessageKey, params: MessageParams): UsageError => usageError(code, key, params, 'close');
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(bare);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(bare);
  const named = /^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+):(\d+)$/i.exec(bare);
  const match = bracketed ?? v4 ?? named;
  if (match) {
    const host = match[1] ?? '';
    const port = parsePort(match[2] ?? '');
    if (port === undefined) return fail('invalid-port', 'command.open.invalid-port', { input: echoToken(match[2] ?? '') });
    const address = parseIpAddress(host);
    if (address !== undefined) return { kind: 'endpoint', ipAddress: formatIpAddress(address), port };
    if (match === named && !/^[\d.]+$/.test(host)) return { kind: 'hostname', hostname: host.toLowerCase(), port };
    return fail('missing-target', 'command.close.invalid-endpoint', { input: echoToken(text) });
  }
  if (parseIpAddress(bare) !== undefined || /\.napter\.soracom\.io$/i.test(bare)) {
    return fail('endpoint-needs-port', 'command.close.endpoint-needs-port', { input: echoToken(text) });
  }
  return undefined;
}

function parseClose(cursor: Cursor): CloseCommand | UsageError {
  const token = cursor.peek();
  if (token === undefined) return usageError('missing-target', 'command.close.missing-target', undefined, 'close');
  let target: CloseTarget | UsageError | undefined = token.quoted ? undefined : parseEndpoint(token.text);
  if (target === undefined) {
    const sim = readSim(cursor, 'close');
    if (isUsageError(sim)) return sim;
    target = { kind: 'sim', sim };
  } else {
    cursor.next();
  }
  if (isUsageError(target)) return target;
  const extra = cursor.next();
  if (extra !== undefined) return usageError('too-many-arguments', 'command.too-many-arguments', { token: echoToken(extra.text) }, 'close');
  return { kind: 'close', target };
}

const HELP_TOPICS: readonly string[] = SUBCOMMANDS.filter((name) => name !== 'help');
const isHelpTopic = (word: string | undefined): word is NonNullable<HelpCommand['topic']> => word !== undefined && HELP_TOPICS.includes(word);

function parseHelp(cursor: Cursor): HelpCommand {
  const topic = cursor.next()?.text.toLowerCase();
  return isHelpTopic(topic) ? { kind: 'help', topic } : { kind: 'help' };
}

// ---------------------------------------------------------------------------------------------

const isNapterWord = (token: Token): boolean => !token.quoted && /^\/?napter$/i.test(token.text);

export function parseNapterCommand(text: string, options: ParseOptions = {}): NapterCommand | UsageError {
  if (text.length > MAX_INPUT_LENGTH * 4) return usageError('input-too-long', 'command.input-too-long', { max: MAX_INPUT_LENGTH }, 'general');
  const normalised = normaliseUserText(unwrapSlackMarkup(text)).trim();
  if (normalised.length > MAX_INPUT_LENGTH) {
    return usageError('input-too-long', 'command.input-too-long', { max: MAX_INPUT_LENGTH }, 'general');
  }
  // `<gw-01>`: the usage's placeholder brackets copied along with the value.
  const tokens = tokenise(normalised).map((token) => {
    const inner = /^<([^<>]+)>$/.exec(token.text)?.[1];
    return inner === undefined ? token : { ...token, text: inner };
  });
  // `/napter /napter open …` when the command was typed twice, or pasted with its name.
  while (tokens[0] !== undefined && isNapterWord(tokens[0])) tokens.shift();
  const cursor = new Cursor(tokens);
  const first = cursor.next();
  if (first === undefined) return { kind: 'help' };
  const word = first.text.toLowerCase().replace(/^\//, '');
  if (!first.quoted) {
    if (word === 'open') return parseOpen(cursor, options);
    if (word === 'diagnose') return parseDiagnose(cursor, options);
    if (word === 'list') return parseList(cursor);
    if (word === 'close') return parseClose(cursor);
    if (word === 'history') return parseHistory(cursor, options);
    if (HELP_WORDS.has(word)) return parseHelp(cursor);
  }
  const token = echoToken(first.text);
  const suggestion = first.quoted ? undefined : suggestSubcommand(word);
  return suggestion === undefined
    ? usageError('unknown-subcommand', 'command.unknown-subcommand', { token }, 'general')
    : usageError('unknown-subcommand', 'command.unknown-subcommand-suggest', { token, suggestion }, 'general');
}
