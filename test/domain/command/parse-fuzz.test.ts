import fc from 'fast-check';
import { parseNapterCommand } from '../../../src/domain/command/parse';
import type { NapterCommand, UsageError } from '../../../src/domain/command/types';
import { hasMessage } from '../../../src/domain/i18n/catalog';
import { isGlobalAddress } from '../../../src/domain/net/address';

/**
 * Whatever is typed, the parser answers with a command that keeps the rules or a refusal whose texts
 * exist in the catalog, and never throws. 5 properties × 2,500 runs = 12,500 inputs per test run.
 */

const RUNS = 2500;

function assertSound(input: string): void {
  let result: NapterCommand | UsageError;
  try {
    result = parseNapterCommand(input);
  } catch (error) {
    throw new Error(`parseNapterCommand threw on ${JSON.stringify(input)}: ${String(error)}`);
  }
  switch (result.kind) {
    case 'usage-error':
      if (!hasMessage(result.message.key) || !hasMessage(result.usageKey)) {
        throw new Error(`missing catalog key for ${JSON.stringify(input)}: ${result.message.key} / ${result.usageKey}`);
      }
      for (const value of Object.values(result.message.params ?? {})) {
        if (typeof value === 'string' && (value.includes('`') || value.length > 64)) {
          throw new Error(`unsafe echo for ${JSON.stringify(input)}: ${value}`);
        }
      }
      return;
    case 'open': {
      const { devicePort, durationSec, source, tlsRequired, protocol } = result;
      const sound =
        Number.isInteger(devicePort) &&
        devicePort >= 1 &&
        devicePort <= 65535 &&
        Number.isInteger(durationSec) &&
        durationSec >= 1 &&
        durationSec <= 28800 &&
        (source.kind !== 'cidr' || isGlobalAddress(source.cidr.split('/')[0] ?? '')) &&
        !(tlsRequired && (['ssh', 'rdp', 'vnc', 'https'].includes(protocol) || [22, 3389, 5900].includes(devicePort)));
      if (!sound) throw new Error(`unsound open for ${JSON.stringify(input)}: ${JSON.stringify(result)}`);
      return;
    }
    case 'diagnose':
      if (!(Number.isInteger(result.sinceSec) && result.sinceSec >= 1 && result.sinceSec <= 366 * 86400)) {
        throw new Error(`unsound diagnose for ${JSON.stringify(input)}: ${JSON.stringify(result)}`);
      }
      return;
    case 'close':
      if (result.target.kind !== 'sim' && !(result.target.port >= 1 && result.target.port <= 65535)) {
        throw new Error(`unsound close for ${JSON.stringify(input)}: ${JSON.stringify(result)}`);
      }
      return;
    case 'list':
    case 'help':
      return;
  }
}

const VALID_COMMANDS = [
  'open gw-01',
  'open 295050000000001 https for 1h30m from 203.0.113.5',
  'open gw-01 http tls from 198.51.100.0/24 for 2h',
  'open "my gateway" rdp for 45',
  'open 8942310000000000001 8080 last',
  '/napter open ｇｗー０１ for ３０分',
  'diagnose gw-01 since 6h',
  'diagnose 295050000000001',
  'list',
  'list gw-01',
  'close gw-01',
  'close 203.0.113.10:40123',
  'close [2001:db8::1]:443',
  'close abcd-1234.napter.soracom.io:40001',
  'help open',
];

const VOCABULARY = [
  ...'open diagnose list close history help /napter napter ssh http https rdp vnc tcp udp icmp ping tls notls no-tls for from since last me port all'.split(
    ' ',
  ),
  ...'0 1 22 80 443 3389 5900 8080 65535 65536 70000 -1 1.5 2h 1h30m 90s 45m 8h 9h 366d 400d 30分 ２時間 1時間半 0m'.split(' '),
  ...'203.0.113.5 203.0.113.0/24 203.0.113.5/24 10.0.0.1 100.64.0.1 0.0.0.0/0 ::/0 2001:db8::1 fe80::1%eth0 ::ffff:10.0.0.1 1.2.3.4:5 [::1]:22'.split(' '),
  ...'gw-01 295050000000001 8942310000000000001 29505000000001 "my pi" 「工場」 “x” \' " 「 」 < > &lt; &gt; &amp; <a|b> ` 　 、 ， ／ ： ．'.split(' '),
  '\u0000',
  '\u200B',
  '\uFEFF',
  '\n',
  '\t',
  '\r\n',
  '\u202E',
  '\uD800',
  '🙂',
  'ｏｐｅｎ',
  'ＳＳＨ',
];

const separator = fc.constantFrom(' ', '  ', '\u3000', '\t', '', '、', '\n');
const wordSoup = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), separator), { maxLength: 12 })
  .map((pairs) => pairs.map(([word, sep]) => word + sep).join(''));

/** A subcommand and a SIM first, so the soup reaches the option parsing rather than stopping at the first word. */
const optionSoup = fc
  .tuple(fc.constantFrom('open', 'diagnose', 'list', 'close', 'history', 'ｏｐｅｎ'), fc.constantFrom('gw-01', '295050000000001', '"my pi"', ''), wordSoup)
  .map(([subcommand, sim, rest]) => `${subcommand} ${sim} ${rest}`);

const japaneseChar = fc.integer({ min: 0x3000, max: 0x9fff }).map((code) => String.fromCodePoint(code));
const fullWidthChar = fc.integer({ min: 0xff01, max: 0xffef }).map((code) => String.fromCodePoint(code));
const controlChar = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCodePoint(code));
const anyChar = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  japaneseChar,
  fullWidthChar,
  controlChar,
  fc.constantFrom(' ', '/', ':', '.', '-', '"', '<', '>', '`', '\uD800', '\uDFFF'),
);
const randomText = fc.array(anyChar, { maxLength: 120 }).map((chars) => chars.join(''));

type Mutation = { at: number; kind: 'insert' | 'delete' | 'replace' | 'duplicate' | 'fullwidth' | 'upper'; char: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'fullwidth', 'upper'),
  char: anyChar,
});

function mutate(text: string, mutations: readonly Mutation[]): string {
  let result = text;
  for (const { at, kind, char } of mutations) {
    const index = result.length === 0 ? 0 : at % result.length;
    const before = result.slice(0, index);
    const after = result.slice(index);
    if (kind === 'insert') result = before + char + after;
    else if (kind === 'delete') result = before + after.slice(1);
    else if (kind === 'replace') result = before + char + after.slice(1);
    else if (kind === 'duplicate') result = before + after.slice(0, 5) + after;
    else if (kind === 'upper') result = before + after.toUpperCase();
    else result = before + after.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  }
  return result;
}

const mutatedCommand = fc
  .tuple(fc.constantFrom(...VALID_COMMANDS), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([command, mutations]) => mutate(command, mutations));

describe('parseNapterCommand under fuzzing', () => {
  test('the valid examples themselves parse to commands', () => {
    for (const command of VALID_COMMANDS) expect(parseNapterCommand(command).kind).not.toBe('usage-error');
  });

  test('random unicode, Japanese, full-width and control characters', () => {
    fc.assert(
      fc.property(randomText, (text) => assertSound(text)),
      { numRuns: RUNS },
    );
  });

  test('arbitrary full unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => assertSound(text)),
      { numRuns: RUNS },
    );
  });

  test('soups of command words, values and separators', () => {
    fc.assert(
      fc.property(wordSoup, (text) => assertSound(text)),
      { numRuns: RUNS },
    );
  });

  test('a subcommand and a SIM followed by a soup of options', () => {
    fc.assert(
      fc.property(optionSoup, (text) => assertSound(text)),
      { numRuns: RUNS },
    );
  });

  test('valid commands with random mutations', () => {
    fc.assert(
      fc.property(mutatedCommand, (text) => assertSound(text)),
      { numRuns: RUNS },
    );
  });

  test('a few pathological inputs', () => {
    for (const text of [
      '\uD800',
      '"',
      '「',
      '<>',
      '< >',
      '<|>',
      '/napter '.repeat(100),
      'open '.repeat(300),
      '1'.repeat(5000),
      `open gw-01 for ${'9'.repeat(400)}`,
    ]) {
      assertSound(text);
    }
  });
});
