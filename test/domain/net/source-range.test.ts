import { hasMessage } from '../../../src/domain/i18n/catalog';
import { NON_GLOBAL_SCOPES } from '../../../src/domain/net/address';
import { checkPrefixWidth, cidrContains, DEFAULT_SOURCE_RANGE_LIMITS, parseSourceRange } from '../../../src/domain/net/source-range';

const refusal = (text: string, limits = DEFAULT_SOURCE_RANGE_LIMITS) => {
  const result = parseSourceRange(text, limits);
  if (result.ok) throw new Error(`${text} was accepted as ${result.value}`);
  return result.error;
};

describe('parseSourceRange', () => {
  test.each([
    ['203.0.113.5', '203.0.113.5/32'],
    [' 203.0.113.5 ', '203.0.113.5/32'],
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['203.0.113.64/26', '203.0.113.64/26'],
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['198.51.100.7/32', '198.51.100.7/32'],
    ['8.8.8.8', '8.8.8.8/32'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['2001:DB8:1::/48', '2001:db8:1::/48'],
    ['2606:4700:4700::/48', '2606:4700:4700::/48'],
    ['2001:db8:1:2::/64', '2001:db8:1:2::/64'],
    ['::ffff:203.0.113.5', '203.0.113.5/32'],
    ['::ffff:203.0.113.0/120', '203.0.113.0/24'],
  ])('%s is accepted as %s', (text, normalised) => {
    expect(parseSourceRange(text, DEFAULT_SOURCE_RANGE_LIMITS)).toEqual({ ok: true, value: normalised });
  });

  test.each([
    ['10.0.0.1', 'private'],
    ['10.0.0.0/8', 'private'],
    ['172.16.5.0/24', 'private'],
    ['192.168.0.10', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['127.0.0.1', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['224.0.0.251', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.0/24', 'reserved'],
    ['198.18.0.0/24', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fd00::/48', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:192.168.1.1', 'private'],
    ['2002::/48', 'reserved'],
  ])('%s is refused: %s', (text, scope) => {
    const error = refusal(text);
    expect(error.code).toBe('not-global');
    expect(error.scope).toBe(scope);
    expect(error.message.key).toBe(`command.source.not-global.${scope}`);
    expect(error.message.params?.input).toBe(text);
  });

  test('a range that only partly overlaps a non-global block is refused (wide limits, so width does not hide it)', () => {
    const wide = { maxPrefixV4Width: 1, maxPrefixV6Width: 1 };
    expect(refusal('100.0.0.0/8', wide).scope).toBe('carrier-grade-nat');
    expect(refusal('172.0.0.0/8', wide).scope).toBe('private');
    expect(refusal('192.0.0.0/16', wide).code).toBe('not-global');
    expect(refusal('2000::/3', wide).scope).toBe('reserved');
    expect(refusal('::/1', wide).code).toBe('not-global');
    expect(parseSourceRange('203.0.0.0/16', wide)).toEqual({ ok: true, value: '203.0.0.0/16' });
    expect(parseSourceRange('2001:db8::/32', wide)).toEqual({ ok: true, value: '2001:db8::/32' });
  });

  test.each([['0.0.0.0/0'], ['::/0'], ['203.0.113.5/0']])('%s (everyone) is always refused', (text) => {
    expect(refusal(text, { maxPrefixV4Width: 0, maxPrefixV6Width: 0 }).code).toBe('any-address');
  });

  test('host bits after the prefix are refused, offering both readings', () => {
    const error = refusal('203.0.113.5/24');
    expect(error.code).toBe('host-bits-set');
    expect(error.message).toEqual({
      key: 'command.source.host-bits-set',
      params: { input: '203.0.113.5/24', network: '203.0.113.0/24', address: '203.0.113.5' },
    });
    expect(refusal('2001:db8::5/48').message.params).toMatchObject({ network: '2001:db8::/48' });
  });

  test('the widest prefix comes from the limits', () => {
    expect(parseSourceRange('203.0.113.0/24', DEFAULT_SOURCE_RANGE_LIMITS).ok).toBe(true);
    const tooWide = refusal('203.0.112.0/23');
    expect(tooWide.code).toBe('too-wide');
    expect(tooWide.message.params).toMatchObject({ prefix: 23, maxPrefix: 24 });
    expect(refusal('2001:db8::/47').code).toBe('too-wide');
    expect(parseSourceRange('2001:db8::/48', DEFAULT_SOURCE_RANGE_LIMITS).ok).toBe(true);
    const strict = { maxPrefixV4Width: 28, maxPrefixV6Width: 64 };
    expect(refusal('203.0.113.0/27', strict).code).toBe('too-wide');
    expect(parseSourceRange('203.0.113.16/28', strict)).toEqual({ ok: true, value: '203.0.113.16/28' });
  });

  test.each([
    [''],
    ['me'],
    ['203.0.113'],
    ['203.0.113.5/33'],
    ['2001:db8::/129'],
    ['203.0.113.5/'],
    ['203.0.113.5/x'],
    ['010.0.0.1'],
    ['fe80::1%eth0/64'],
    ['1.2.3.4/24/8'],
    ['a'.repeat(100)],
  ])('%j is not an address or a CIDR', (text) => {
    expect(refusal(text).code).toBe('invalid');
  });

  test('every error message exists in the catalog', () => {
    for (const scope of NON_GLOBAL_SCOPES) expect(hasMessage(`command.source.not-global.${scope}`)).toBe(true);
    for (const key of ['invalid', 'any-address', 'host-bits-set', 'too-wide']) expect(hasMessage(`command.source.${key}`)).toBe(true);
  });

  test('the echoed input carries no backticks or markup', () => {
    expect(refusal('`10.0.0.1`').message.params?.input).toBe('10.0.0.1');
  });
});

describe('checkPrefixWidth', () => {
  test('accepts a range within the limit and normalises it', () => {
    expect(checkPrefixWidth('203.0.113.0/28', { maxPrefixV4Width: 28, maxPrefixV6Width: 64 })).toEqual({ ok: true, value: '203.0.113.0/28' });
    expect(checkPrefixWidth('203.0.113.5', { maxPrefixV4Width: 32, maxPrefixV6Width: 128 })).toEqual({ ok: true, value: '203.0.113.5/32' });
  });

  test('refuses a wider range and what is not a CIDR', () => {
    const wide = checkPrefixWidth('203.0.113.0/24', { maxPrefixV4Width: 28, maxPrefixV6Width: 64 });
    expect(wide.ok).toBe(false);
    if (!wide.ok) expect(wide.error).toMatchObject({ code: 'too-wide', message: { params: { prefix: 24, maxPrefix: 28 } } });
    const v6 = checkPrefixWidth('2001:db8::/48', { maxPrefixV4Width: 28, maxPrefixV6Width: 64 });
    expect(v6.ok).toBe(false);
    const invalid = checkPrefixWidth('nope', DEFAULT_SOURCE_RANGE_LIMITS);
    expect(invalid.ok).toBe(false);
    if (!invalid.ok) expect(invalid.error.code).toBe('invalid');
  });
});

describe('cidrContains', () => {
  test.each([
    ['203.0.113.0/24', '203.0.113.77', true],
    ['203.0.113.0/24', '203.0.114.1', false],
    ['203.0.113.5/32', '203.0.113.5', true],
    ['203.0.113.5', '203.0.113.5', true],
    ['203.0.113.5/32', '203.0.113.6', false],
    ['203.0.113.0/24', '::ffff:203.0.113.9', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::1', false],
    ['203.0.113.0/24', '2001:db8::1', false],
    ['garbage', '203.0.113.1', false],
    ['203.0.113.0/24', 'garbage', false],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(cidr, ip)).toBe(expected);
  });
});
