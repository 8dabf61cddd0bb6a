import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { addressScope, hostCidr, isDocumentationAddress, isGlobalAddress, maskIp, normaliseIp, parseIpAddress } from '../../../src/domain/net/address';

describe('isGlobalAddress', () => {
  test.each([
    ['8.8.8.8'],
    ['1.1.1.1'],
    ['133.242.0.1'],
    ['100.63.255.255'],
    ['100.128.0.0'],
    ['172.15.255.255'],
    ['172.32.0.0'],
    ['192.0.2.1'],
    ['198.51.100.200'],
    ['203.0.113.5'],
    ['2606:4700:4700::1111'],
    ['2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1'],
    ['3fff::1'],
    ['::ffff:203.0.113.5'],
  ])('%s is global', (ip) => {
    expect(isGlobalAddress(ip)).toBe(true);
  });

  test.each([
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.255', 'carrier-grade-nat'],
    ['127.0.0.1', 'loopback'],
    ['169.254.10.10', 'link-local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.88.99.1', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['2002:c000:0204::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['64:ff9b::1.2.3.4', 'reserved'],
    ['fec0::1', 'reserved'],
    ['4000::1', 'reserved'],
  ])('%s is not global: %s', (ip, scope) => {
    expect(isGlobalAddress(ip)).toBe(false);
    const address = parseIpAddress(ip);
    expect(address).toBeDefined();
    if (address) expect(addressScope(address)).toBe(scope);
  });

  test.each([[''], ['abc'], ['1.2.3'], ['256.1.1.1'], ['010.0.0.1'], ['0x7f.0.0.1'], ['127.1'], ['fe80::1%eth0'], ['203.0.113.5/32']])(
    '%j is not an address at all',
    (text) => {
      expect(parseIpAddress(text)).toBeUndefined();
      expect(isGlobalAddress(text)).toBe(false);
    },
  );

  test('agrees with ipaddr.js on every IPv4 address, except that documentation ranges count as global', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        const address = ipaddr.IPv4.parse(ip);
        const expected = address.range() === 'unicast' || isDocumentationAddress(address);
        expect(isGlobalAddress(ip)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });

  test('agrees with ipaddr.js on IPv6 inside 2000::/3, and refuses everything outside it', () => {
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const address = ipaddr.IPv6.parse(ip);
        if (address.isIPv4MappedAddress()) return;
        const inGlobalBlock = address.match(ipaddr.IPv6.parse('2000::'), 3);
        const expected = inGlobalBlock && (address.range() === 'unicast' || isDocumentationAddress(address));
        expect(isGlobalAddress(ip)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('normaliseIp', () => {
  test.each([
    ['203.0.113.5', '203.0.113.5'],
    [' 203.0.113.5 ', '203.0.113.5'],
    ['::ffff:203.0.113.5', '203.0.113.5'],
    ['::FFFF:CB00:7105', '203.0.113.5'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:1:0:0:0:0', '2001:db8:0:1::'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseIp(input)).toBe(expected);
  });

  test('is undefined for what is not one address', () => {
    expect(normaliseIp('203.0.113.0/24')).toBeUndefined();
    expect(normaliseIp('example.com')).toBeUndefined();
  });
});

describe('maskIp', () => {
  test.each([
    ['203.0.113.45', '203.0.113.x'],
    ['::ffff:203.0.113.45', '203.0.113.x'],
    ['2001:db8:1:2::5', '2001:db8:1:x::x'],
    ['198.51.100.23', '198.51.100.x'],
    ['203.0.113.5/32', '203.0.113.x/32'],
    ['2001:db8::1/128', '2001:db8:0:x::x/128'],
    ['203.0.113.5/abc', 'x'],
    ['not an ip', 'x'],
  ])('%s → %s', (input, expected) => {
    expect(maskIp(input)).toBe(expected);
  });
});

describe('hostCidr', () => {
  test.each([
    ['203.0.113.5', '203.0.113.5/32'],
    ['2001:db8::1', '2001:db8::1/128'],
    ['203.0.113.0/24', '203.0.113.0/24'],
  ])('%s → %s', (input, expected) => {
    expect(hostCidr(input)).toBe(expected);
  });
});
