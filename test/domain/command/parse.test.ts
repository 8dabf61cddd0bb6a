import { parseNapterCommand, parseSimRef } from '../../../src/domain/command/parse';
import type { NapterCommand, UsageError } from '../../../src/domain/command/types';
import { hasMessage } from '../../../src/domain/i18n/catalog';

const parse = (text: string, options?: Parameters<typeof parseNapterCommand>[1]) => parseNapterCommand(text, options);

const OPEN_DEFAULTS = { protocol: 'ssh', devicePort: 22, durationSec: 1800, source: { kind: 'me' }, tlsRequired: false } as const;
const GW = { kind: 'name', name: 'gw-01' } as const;

function expectCommand(text: string, expected: NapterCommand): void {
  expect(parse(text)).toEqual(expected);
}

function expectRefusal(text: string, code: UsageError['code'], messageKey: string, usageKey: string): UsageError {
  const result = parse(text);
  expect(result).toMatchObject({ kind: 'usage-error', code, message: { key: messageKey }, usageKey });
  expect(hasMessage(messageKey)).toBe(true);
  expect(hasMessage(usageKey)).toBe(true);
  return result as UsageError;
}

describe('open', () => {
  test.each<[string, Partial<NapterCommand>]>([
    ['open gw-01', {}],
    ['open gw-01 ssh', {}],
    ['open gw-01 http', { protocol: 'http', devicePort: 80 }],
    ['open gw-01 https', { protocol: 'https', devicePort: 443 }],
    ['open gw-01 rdp', { protocol: 'rdp', devicePort: 3389 }],
    ['open gw-01 vnc', { protocol: 'vnc', devicePort: 5900 }],
    ['open gw-01 8080', { protocol: 'tcp', devicePort: 8080 }],
    ['open gw-01 1', { protocol: 'tcp', devicePort: 1 }],
    ['open gw-01 65535', { protocol: 'tcp', devicePort: 65535 }],
    ['open gw-01 443', { protocol: 'https', devicePort: 443 }],
    ['open gw-01 3389', { protocol: 'rdp', devicePort: 3389 }],
    ['open gw-01 ssh 2222', { protocol: 'ssh', devicePort: 2222 }],
    ['open gw-01 2222 ssh', { protocol: 'ssh', devicePort: 2222 }],
    ['open gw-01 port 1883', { protocol: 'tcp', devicePort: 1883 }],
    ['open gw-01 port=1883', { protocol: 'tcp', devicePort: 1883 }],
    ['open gw-01 tcp 1883', { protocol: 'tcp', devicePort: 1883 }],
    ['open gw-01 8080/tcp', { protocol: 'tcp', devicePort: 8080 }],
    ['open gw-01 for 90s', { durationSec: 90 }],
    ['open gw-01 for 45m', { durationSec: 2700 }],
    ['open gw-01 for 2h', { durationSec: 7200 }],
    ['open gw-01 for 1h30m', { durationSec: 5400 }],
    ['open gw-01 for 1h 30m', { durationSec: 5400 }],
    ['open gw-01 for 1 hour', { durationSec: 3600 }],
    ['open gw-01 for 45', { durationSec: 2700 }],
    ['open gw-01 for 8h', { durationSec: 28800 }],
    ['open gw-01 2h', { durationSec: 7200 }],
    ['open gw-01 1h 30m', { durationSec: 5400 }],
    ['open gw-01 for 2時間', { durationSec: 7200 }],
    ['open gw-01 30分', { durationSec: 1800 }],
    ['open gw-01 for 1h 8080', { durationSec: 3600, protocol: 'tcp', devicePort: 8080 }],
    ['open gw-01 from me', {}],
    ['open gw-01 from last', { source: { kind: 'last' } }],
    ['open gw-01 last', { source: { kind: 'last' } }],
    ['open gw-01 from 203.0.113.5', { source: { kind: 'cidr', cidr: '203.0.113.5/32' } }],
    ['open gw-01 203.0.113.5', { source: { kind: 'cidr', cidr: '203.0.113.5/32' } }],
    ['open gw-01 from 198.51.100.0/24', { source: { kind: 'cidr', cidr: '198.51.100.0/24' } }],
    ['open gw-01 from 2001:db8::1', { source: { kind: 'cidr', cidr: '2001:db8::1/128' } }],
    ['open gw-01 from 2001:db8:1::/48', { source: { kind: 'cidr', cidr: '2001:db8:1::/48' } }],
    ['open gw-01 http tls', { protocol: 'http', devicePort: 80, tlsRequired: true }],
    ['open gw-01 8883 tls', { protocol: 'tcp', devicePort: 8883, tlsRequired: true }],
    ['open gw-01 ssh notls', {}],
    ['open gw-01 ssh no-tls', {}],
    ['open gw-01 tls http tls', { protocol: 'http', devicePort: 80, tlsRequired: true }],
    ['open gw-01 ssh ssh', {}],
    [
      'open gw-01 tls from 203.0.113.0/28 for 2h http',
      { protocol: 'http', devicePort: 80, tlsRequired: true, durationSec: 7200, source: { kind: 'cidr', cidr: '203.0.113.0/28' } },
    ],
    ['OPEN GW-01 SSH FOR 2H', { sim: { kind: 'name', name: 'GW-01' }, durationSec: 7200 }],
    ['open 295050000000001', { sim: { kind: 'imsi', imsi: '295050000000001' } }],
    ['open 8942310000000000001', { sim: { kind: 'simId', simId: '8942310000000000001' } }],
    ['open 894231000000000001', { sim: { kind: 'simId', simId: '894231000000000001' } }],
    ['open 89423100000000000012', { sim: { kind: 'simId', simId: '89423100000000000012' } }],
    ['open pi.kitchen_2', { sim: { kind: 'name', name: 'pi.kitchen_2' } }],
    ['open 工場ゲートウェイ', { sim: { kind: 'name', name: '工場ゲートウェイ' } }],
    ['open "my gateway" rdp', { sim: { kind: 'name', name: 'my gateway' }, protocol: 'rdp', devicePort: 3389 }],
    ['open “my gateway”', { sim: { kind: 'name', name: 'my gateway' } }],
    ['open 「my gateway」 http', { sim: { kind: 'name', name: 'my gateway' }, protocol: 'http', devicePort: 80 }],
    ['open "ssh"', { sim: { kind: 'name', name: 'ssh' } }],
  ])('%s', (text, overrides) => {
    expect(parse(text)).toEqual({ kind: 'open', sim: GW, ...OPEN_DEFAULTS, ...overrides });
  });

  test('defaults and limits can be set by the caller', () => {
    expect(parse('open gw-01', { defaults: { protocol: 'https', durationSec: 600 } })).toMatchObject({
      protocol: 'https',
      devicePort: 443,
      durationSec: 600,
    });
    expect(parse('open gw-01 from 203.0.113.0/28', { limits: { maxPrefixV4Width: 29, maxPrefixV6Width: 64 } })).toMatchObject({
      kind: 'usage-error',
      code: 'invalid-source',
      message: { key: 'command.source.too-wide' },
    });
  });
});

describe('forgiving input', () => {
  test.each<[string, NapterCommand]>([
    ['  open   gw-01   ssh  ', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['/napter open gw-01', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['/napter /napter open gw-01', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['napter open gw-01', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['／ｎａｐｔｅｒ　ｏｐｅｎ　ｇｗ－０１', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['ｏｐｅｎ　ｇｗー０１　ｆｏｒ　３０分', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['open gw-01 from ２０３．０．１１３．５', { kind: 'open', sim: GW, ...OPEN_DEFAULTS, source: { kind: 'cidr', cidr: '203.0.113.5/32' } }],
    ['open\tgw-01\nssh', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['open gw\u200B-01', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['open gw-01、http', { kind: 'open', sim: GW, ...OPEN_DEFAULTS, protocol: 'http', devicePort: 80 }],
    ['/open gw-01', { kind: 'open', sim: GW, ...OPEN_DEFAULTS }],
    ['open <gw-01> for <2h>', { kind: 'open', sim: GW, ...OPEN_DEFAULTS, durationSec: 7200 }],
    ['close &lt;203.0.113.10:40123&gt;', { kind: 'close', target: { kind: 'endpoint', ipAddress: '203.0.113.10', port: 40123 } }],
  ])('%j', (text, expected) => {
    expectCommand(text, expected);
  });
});

describe('diagnose, list, close, help', () => {
  test.each<[string, NapterCommand]>([
    ['diagnose gw-01', { kind: 'diagnose', sim: GW, sinceSec: 86400 }],
    ['diagnose gw-01 since 6h', { kind: 'diagnose', sim: GW, sinceSec: 21600 }],
    ['diagnose gw-01 since 1h 30m', { kind: 'diagnose', sim: GW, sinceSec: 5400 }],
    ['diagnose gw-01 last 2d', { kind: 'diagnose', sim: GW, sinceSec: 172800 }],
    ['diagnose gw-01 6h', { kind: 'diagnose', sim: GW, sinceSec: 21600 }],
    ['diagnose gw-01 since 366d', { kind: 'diagnose', sim: GW, sinceSec: 366 * 86400 }],
    ['diagnose gw-01 since 30', { kind: 'diagnose', sim: GW, sinceSec: 1800 }],
    ['diagnose 295050000000001 since ３時間', { kind: 'diagnose', sim: { kind: 'imsi', imsi: '295050000000001' }, sinceSec: 10800 }],
    ['list', { kind: 'list', sim: undefined }],
    ['list all', { kind: 'list', sim: undefined }],
    ['list gw-01', { kind: 'list', sim: GW }],
    ['close gw-01', { kind: 'close', target: { kind: 'sim', sim: GW } }],
    ['close 295050000000001', { kind: 'close', target: { kind: 'sim', sim: { kind: 'imsi', imsi: '295050000000001' } } }],
    ['close 203.0.113.10:40123', { kind: 'close', target: { kind: 'endpoint', ipAddress: '203.0.113.10', port: 40123 } }],
    ['close [2001:DB8::1]:40123', { kind: 'close', target: { kind: 'endpoint', ipAddress: '2001:db8::1', port: 40123 } }],
    ['close ABCD-1234.napter.soracom.io:40123', { kind: 'close', target: { kind: 'hostname', hostname: 'abcd-1234.napter.soracom.io', port: 40123 } }],
    ['close https://abcd-1234.napter.soracom.io:40123/', { kind: 'close', target: { kind: 'hostname', hostname: 'abcd-1234.napter.soracom.io', port: 40123 } }],
    [
      'close <https://abcd-1234.napter.soracom.io:40123|abcd-1234.napter.soracom.io:40123>',
      { kind: 'close', target: { kind: 'hostname', hostname: 'abcd-1234.napter.soracom.io', port: 40123 } },
    ],
    ['close ２０３．０．１１３．１０：４０１２３', { kind: 'close', target: { kind: 'endpoint', ipAddress: '203.0.113.10', port: 40123 } }],
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['   ', { kind: 'help' }],
    ['/napter', { kind: 'help' }],
    ['HELP', { kind: 'help' }],
    ['?', { kind: 'help' }],
    ['--help', { kind: 'help' }],
    ['ヘルプ', { kind: 'help' }],
    ['help open', { kind: 'help', topic: 'open' }],
    ['help close', { kind: 'help', topic: 'close' }],
    ['help whatever', { kind: 'help' }],
  ])('%j', (text, expected) => {
    expectCommand(text, expected);
  });
});

describe('history', () => {
  const WEEK = 7 * 86400;
  test.each<[string, NapterCommand]>([
    ['history', { kind: 'history', sim: undefined, sinceSec: WEEK }],
    ['history all', { kind: 'history', sim: undefined, sinceSec: WEEK }],
    ['history gw-01', { kind: 'history', sim: GW, sinceSec: WEEK }],
    ['history gw-01 since 30d', { kind: 'history', sim: GW, sinceSec: 30 * 86400 }],
    ['history since 2h', { kind: 'history', sim: undefined, sinceSec: 7200 }],
    ['history 3d', { kind: 'history', sim: undefined, sinceSec: 3 * 86400 }],
    ['history all last 1d', { kind: 'history', sim: undefined, sinceSec: 86400 }],
    ['history 295050000000001 for 1h 30m', { kind: 'history', sim: { kind: 'imsi', imsi: '295050000000001' }, sinceSec: 5400 }],
    ['history "3d" since 1d', { kind: 'history', sim: { kind: 'name', name: '3d' }, sinceSec: 86400 }],
    ['HISTORY gw-01 since ２日', { kind: 'history', sim: GW, sinceSec: 2 * 86400 }],
    ['help history', { kind: 'help', topic: 'history' }],
  ])('%j', (text, expected) => {
    expectCommand(text, expected);
  });

  test('a default window of the caller’s own', () => {
    expect(parse('history gw-01', { defaults: { historyWindowSec: 3600 } })).toEqual({ kind: 'history', sim: GW, sinceSec: 3600 });
  });

  test.each<[string, UsageError['code'], string]>([
    ['history gw-01 gw-02', 'unknown-option', 'command.unknown-option'],
    ['history gw-01 since', 'missing-value', 'command.missing-value'],
    ['history gw-01 since 2h since 3h', 'option-twice', 'command.option-twice'],
    ['history gw-01 since soon', 'invalid-duration', 'command.duration.invalid'],
    ['history since 400d', 'invalid-duration', 'command.duration.too-long'],
    ['history 12345678901', 'invalid-sim', 'command.sim.digit-count'],
    ['history gw-01 ssh', 'unknown-option', 'command.unknown-option'],
  ])('%j is refused with the history usage', (text, code, messageKey) => {
    expectRefusal(text, code, messageKey, 'command.usage.history');
  });

  test.each([
    ['histroy', 'history'],
    ['log', 'history'],
    ['履歴', 'history'],
  ])('%j suggests %j', (text, suggestion) => {
    expect(parse(text)).toMatchObject({ code: 'unknown-subcommand', message: { key: 'command.unknown-subcommand-suggest', params: { suggestion } } });
  });
});

describe('refusals that teach', () => {
  test.each<[string, UsageError['code'], string, string]>([
    // Napter forwards TCP only.
    ['open gw-01 udp', 'tcp-only', 'command.open.tcp-only', 'command.usage.open'],
    ['open gw-01 icmp', 'tcp-only', 'command.open.tcp-only', 'command.usage.open'],
    ['open gw-01 ping', 'tcp-only', 'command.open.tcp-only', 'command.usage.open'],
    ['open gw-01 53/udp', 'tcp-only', 'command.open.tcp-only', 'command.usage.open'],
    ['open gw-01 UDP 53', 'tcp-only', 'command.open.tcp-only', 'command.usage.open'],
    // TLS breaks SSH, RDP, VNC and a device that already serves HTTPS.
    ['open gw-01 ssh tls', 'tls-not-supported', 'command.open.tls-not-for-protocol', 'command.usage.open'],
    ['open gw-01 tls', 'tls-not-supported', 'command.open.tls-not-for-protocol', 'command.usage.open'],
    ['open gw-01 rdp tls', 'tls-not-supported', 'command.open.tls-not-for-protocol', 'command.usage.open'],
    ['open gw-01 22 tls', 'tls-not-supported', 'command.open.tls-not-for-protocol', 'command.usage.open'],
    ['open gw-01 3389 tls', 'tls-not-supported', 'command.open.tls-not-for-protocol', 'command.usage.open'],
    ['open gw-01 vnc tls', 'tls-not-supported', 'command.open.tls-not-for-protocol', 'command.usage.open'],
    ['open gw-01 ssh 2222 tls', 'tls-not-supported', 'command.open.tls-not-for-protocol', 'command.usage.open'],
    ['open gw-01 https tls', 'tls-not-supported', 'command.open.tls-with-https', 'command.usage.open'],
    // Durations.
    ['open gw-01 for 9h', 'duration-over-cap', 'command.open.duration-over-cap', 'command.usage.open'],
    ['open gw-01 for 8h1s', 'duration-over-cap', 'command.open.duration-over-cap', 'command.usage.open'],
    ['open gw-01 for 481', 'duration-over-cap', 'command.open.duration-over-cap', 'command.usage.open'],
    ['open gw-01 2d', 'duration-over-cap', 'command.open.duration-over-cap', 'command.usage.open'],
    ['open gw-01 for soon', 'invalid-duration', 'command.duration.invalid', 'command.usage.open'],
    ['open gw-01 for 0m', 'invalid-duration', 'command.duration.zero', 'command.usage.open'],
    ['open gw-01 0m', 'invalid-duration', 'command.duration.zero', 'command.usage.open'],
    ['open gw-01 for -5m', 'invalid-duration', 'command.duration.negative', 'command.usage.open'],
    ['open gw-01 for', 'missing-value', 'command.missing-value', 'command.usage.open'],
    ['open gw-01 for 1h for 2h', 'option-twice', 'command.option-twice', 'command.usage.open'],
    // Sources.
    ['open gw-01 from 10.0.0.5', 'invalid-source', 'command.source.not-global.private', 'command.usage.open'],
    ['open gw-01 from 192.168.1.10', 'invalid-source', 'command.source.not-global.private', 'command.usage.open'],
    ['open gw-01 from 100.64.3.4', 'invalid-source', 'command.source.not-global.carrier-grade-nat', 'command.usage.open'],
    ['open gw-01 from 127.0.0.1', 'invalid-source', 'command.source.not-global.loopback', 'command.usage.open'],
    ['open gw-01 from fe80::1', 'invalid-source', 'command.source.not-global.link-local', 'command.usage.open'],
    ['open gw-01 from 0.0.0.0/0', 'invalid-source', 'command.source.any-address', 'command.usage.open'],
    ['open gw-01 0.0.0.0/0', 'invalid-source', 'command.source.any-address', 'command.usage.open'],
    ['open gw-01 from 203.0.112.0/23', 'invalid-source', 'command.source.too-wide', 'command.usage.open'],
    ['open gw-01 from 203.0.113.5/24', 'invalid-source', 'command.source.host-bits-set', 'command.usage.open'],
    ['open gw-01 from somewhere', 'invalid-source', 'command.source.invalid', 'command.usage.open'],
    ['open gw-01 from', 'missing-value', 'command.missing-value', 'command.usage.open'],
    ['open gw-01 from me from last', 'option-twice', 'command.option-twice', 'command.usage.open'],
    // Ports and protocols.
    ['open gw-01 0', 'invalid-port', 'command.open.invalid-port', 'command.usage.open'],
    ['open gw-01 70000', 'invalid-port', 'command.open.invalid-port', 'command.usage.open'],
    ['open gw-01 port', 'missing-value', 'command.missing-value', 'command.usage.open'],
    ['open gw-01 port abc', 'invalid-port', 'command.open.invalid-port', 'command.usage.open'],
    ['open gw-01 tcp', 'missing-value', 'command.open.tcp-needs-port', 'command.usage.open'],
    ['open gw-01 ssh http', 'conflicting-protocols', 'command.open.conflicting-protocols', 'command.usage.open'],
    ['open gw-01 22 8080', 'option-twice', 'command.option-twice', 'command.usage.open'],
    ['open gw-01 tls notls', 'option-twice', 'command.option-twice', 'command.usage.open'],
    ['open gw-01 telnet', 'unknown-option', 'command.unknown-option', 'command.usage.open'],
    ['open gw-01 "ssh"', 'unknown-option', 'command.unknown-option', 'command.usage.open'],
    // SIMs.
    ['open', 'missing-sim', 'command.sim.missing', 'command.usage.open'],
    ['open ssh', 'missing-sim', 'command.sim.missing-before-option', 'command.usage.open'],
    ['open for 2h', 'missing-sim', 'command.sim.missing-before-option', 'command.usage.open'],
    ['open 29505000000001', 'invalid-sim', 'command.sim.digit-count', 'command.usage.open'],
    ['open 2950500000000011', 'invalid-sim', 'command.sim.digit-count', 'command.usage.open'],
    ['open 894231000000000000123', 'invalid-sim', 'command.sim.digit-count', 'command.usage.open'],
    ['open gw/01', 'invalid-sim', 'command.sim.invalid', 'command.usage.open'],
    ['open gw-01!', 'invalid-sim', 'command.sim.invalid', 'command.usage.open'],
    // SORACOM's SIM search needs at least 2 characters per value and splits values at commas.
    ['diagnose g', 'invalid-sim', 'command.sim.name-too-short', 'command.usage.diagnose'],
    ['diagnose 工', 'invalid-sim', 'command.sim.name-too-short', 'command.usage.diagnose'],
    ['diagnose', 'missing-sim', 'command.sim.missing', 'command.usage.diagnose'],
    // Diagnose.
    ['diagnose gw-01 since 367d', 'invalid-duration', 'command.duration.too-long', 'command.usage.diagnose'],
    ['diagnose gw-01 since', 'missing-value', 'command.missing-value', 'command.usage.diagnose'],
    ['diagnose gw-01 since 1h since 2h', 'option-twice', 'command.option-twice', 'command.usage.diagnose'],
    ['diagnose gw-01 ssh', 'unknown-option', 'command.unknown-option', 'command.usage.diagnose'],
    ['diagnose gw-01 since yesterday', 'invalid-duration', 'command.duration.invalid', 'command.usage.diagnose'],
    // List and close.
    ['list gw-01 gw-02', 'too-many-arguments', 'command.too-many-arguments', 'command.usage.list'],
    ['list all gw-01', 'too-many-arguments', 'command.too-many-arguments', 'command.usage.list'],
    ['close', 'missing-target', 'command.close.missing-target', 'command.usage.close'],
    ['close gw-01 gw-02', 'too-many-arguments', 'command.too-many-arguments', 'command.usage.close'],
    ['close 203.0.113.10', 'endpoint-needs-port', 'command.close.endpoint-needs-port', 'command.usage.close'],
    ['close 2001:db8::1', 'endpoint-needs-port', 'command.close.endpoint-needs-port', 'command.usage.close'],
    ['close abcd-1234.napter.soracom.io', 'endpoint-needs-port', 'command.close.endpoint-needs-port', 'command.usage.close'],
    ['close 203.0.113.10:0', 'invalid-port', 'command.open.invalid-port', 'command.usage.close'],
    ['close 999.0.113.10:40123', 'missing-target', 'command.close.invalid-endpoint', 'command.usage.close'],
    // Unknown subcommands.
    ['opne gw-01', 'unknown-subcommand', 'command.unknown-subcommand-suggest', 'command.usage.general'],
    ['frobnicate', 'unknown-subcommand', 'command.unknown-subcommand', 'command.usage.general'],
    ['"open" gw-01', 'unknown-subcommand', 'command.unknown-subcommand', 'command.usage.general'],
    ['x'.repeat(1001), 'input-too-long', 'command.input-too-long', 'command.usage.general'],
  ])('%j → %s', (text, code, messageKey, usageKey) => {
    expectRefusal(text, code, messageKey, usageKey);
  });

  test.each([
    ['opne', 'open'],
    ['oepn', 'open'],
    ['diagnsoe', 'diagnose'],
    ['diag', 'diagnose'],
    ['check', 'diagnose'],
    ['lst', 'list'],
    ['ls', 'list'],
    ['delete', 'close'],
    ['stop', 'close'],
    ['closee', 'close'],
    ['connect', 'open'],
    ['ssh', 'open'],
    ['診断', 'diagnose'],
    ['削除', 'close'],
    ['hlep', 'help'],
  ])('an unknown subcommand %s suggests %s', (word, suggestion) => {
    expect(parse(`${word} gw-01`)).toMatchObject({ code: 'unknown-subcommand', message: { params: { token: word, suggestion } } });
  });

  test('refusals name what was wrong', () => {
    expect(parse('open gw-01 udp')).toMatchObject({ message: { params: { token: 'udp' } } });
    expect(parse('open gw-01 rdp tls')).toMatchObject({ message: { params: { protocol: 'RDP', port: 3389 } } });
    expect(parse('open gw-01 for 9h')).toMatchObject({ message: { params: { input: '9h', maxHours: 8 } } });
    expect(parse('open 29505000000001')).toMatchObject({ message: { params: { count: 14 } } });
    expect(parse('open gw-01 ssh http')).toMatchObject({ message: { params: { first: 'ssh', second: 'http' } } });
    expect(parse('open gw-01 from 203.0.112.0/23')).toMatchObject({ message: { params: { prefix: 23, maxPrefix: 24 } } });
  });

  test('echoed input is stripped of backticks and markup and kept short', () => {
    const result = parse('open gw-01 `<!channel>`');
    expect(result).toMatchObject({ code: 'unknown-option' });
    const token = (result as UsageError).message.params?.token;
    expect(token).toBe('!channel');
    const long = parse(`open gw-01 ${'a'.repeat(300)}`) as UsageError;
    expect(String(long.message.params?.token).length).toBeLessThanOrEqual(40);
  });
});

describe('parseSimRef: what SORACOM’s name search can take', () => {
  test('a name with a comma is refused: SORACOM would read it as two names (commands never get one: a comma separates words there)', () => {
    expect(parseSimRef('gw-01,gw-02', { quoted: true })).toEqual({
      ok: false,
      error: { code: 'invalid-sim', message: { key: 'command.sim.name-comma', params: { input: 'gw-01,gw-02' } } },
    });
  });

  test('a one-character name is refused; two characters are enough', () => {
    expect(parseSimRef('g')).toMatchObject({ ok: false, error: { message: { key: 'command.sim.name-too-short' } } });
    expect(parseSimRef('gw')).toEqual({ ok: true, value: { kind: 'name', name: 'gw' } });
  });
});
