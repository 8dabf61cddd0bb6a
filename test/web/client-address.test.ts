import type { IncomingHttpHeaders } from 'node:http';
import { clientAddress, normaliseAddress, parseTrustedProxies } from '../../src/web/client-address';

const request = (remoteAddress: string | undefined, headers: IncomingHttpHeaders = {}) =>
  ({ socket: { remoteAddress }, headers }) as unknown as Parameters<typeof clientAddress>[0];

describe('clientAddress', () => {
  it.each<[string, string | undefined, IncomingHttpHeaders, readonly string[], string]>([
    ['the direct peer when there is no proxy', '203.0.113.5', {}, [], '203.0.113.5'],
    ['IPv4-mapped IPv6 as plain IPv4', '::ffff:203.0.113.5', {}, [], '203.0.113.5'],
    ['IPv6 in canonical form', '2001:DB8:0:0:0:0:0:1', {}, [], '2001:db8::1'],
    ['X-Forwarded-For from an untrusted peer is ignored', '198.51.100.9', { 'x-forwarded-for': '203.0.113.5' }, ['10.0.0.0/8'], '198.51.100.9'],
    ['X-Forwarded-For ignored when no proxy is trusted', '10.0.0.2', { 'x-forwarded-for': '203.0.113.5' }, [], '10.0.0.2'],
    ['X-Forwarded-For from a trusted proxy (CIDR)', '10.1.2.3', { 'x-forwarded-for': '203.0.113.5' }, ['10.0.0.0/8'], '203.0.113.5'],
    ['X-Forwarded-For from a trusted proxy given as IPv4-mapped', '::ffff:10.1.2.3', { 'x-forwarded-for': '203.0.113.5' }, ['10.1.2.3'], '203.0.113.5'],
    [
      'the right-most untrusted hop, not the spoofable left-most',
      '10.0.0.2',
      { 'x-forwarded-for': '192.0.2.66, 203.0.113.5, 10.0.0.7' },
      ['10.0.0.0/8'],
      '203.0.113.5',
    ],
    [
      'several X-Forwarded-For headers joined in order',
      '10.0.0.2',
      { 'x-forwarded-for': ['192.0.2.66', '203.0.113.5'] as unknown as string },
      ['10.0.0.0/8'],
      '203.0.113.5',
    ],
    ['hops with ports', '10.0.0.2', { 'x-forwarded-for': '[2001:db8::7]:4433' }, ['10.0.0.0/8'], '2001:db8::7'],
    ['an IPv4 hop with a port', '10.0.0.2', { 'x-forwarded-for': '203.0.113.5:51000' }, ['10.0.0.0/8'], '203.0.113.5'],
    ['a garbage hop stops the walk at the last trusted hop', '10.0.0.2', { 'x-forwarded-for': '203.0.113.5, evil, 10.0.0.9' }, ['10.0.0.0/8'], '10.0.0.9'],
    ['all hops trusted: the left-most', '10.0.0.2', { 'x-forwarded-for': '10.0.0.8, 10.0.0.9' }, ['10.0.0.0/8'], '10.0.0.8'],
    ['a trusted proxy with no header: the proxy itself', '10.0.0.2', {}, ['10.0.0.0/8'], '10.0.0.2'],
    ['an IPv6 trusted proxy', 'fd00::1', { 'x-forwarded-for': '2001:db8::5' }, ['fd00::/8'], '2001:db8::5'],
    ['no remote address at all', undefined, { 'x-forwarded-for': '203.0.113.5' }, ['10.0.0.0/8'], ''],
  ])('%s', (_name, remote, headers, trusted, expected) => {
    expect(clientAddress(request(remote, headers), trusted)).toBe(expected);
  });
});

describe('normaliseAddress', () => {
  it.each([
    ['203.0.113.5', '203.0.113.5'],
    [' ::ffff:203.0.113.5 ', '203.0.113.5'],
    ['fe80::1%eth0', 'fe80::1'],
    ['1.2.3', undefined],
    ['0x7f.0.0.1', undefined],
    ['', undefined],
    ['unknown', undefined],
  ])('%s → %s', (text, expected) => {
    expect(normaliseAddress(text)).toBe(expected);
  });
});

describe('parseTrustedProxies', () => {
  it('names an entry that is not an address or CIDR', () => {
    expect(() => parseTrustedProxies(['10.0.0.0/8', 'proxy.internal'])).toThrow(/TRUSTED_PROXIES entry "proxy.internal"/);
    expect(() => parseTrustedProxies(['10.0.0.0/33'])).toThrow(RangeError);
    expect(parseTrustedProxies(['127.0.0.1', '::ffff:10.0.0.0/104'])).toHaveLength(2);
  });
});
