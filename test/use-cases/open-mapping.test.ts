import { rangeAdmits } from '../../src/use-cases/open-mapping';

describe('rangeAdmits (reuse before create)', () => {
  it.each([
    ['203.0.113.5/32', '203.0.113.5/32', true],
    ['203.0.113.0/24', '203.0.113.5/32', true],
    ['203.0.113.0/24', '203.0.113.0/24', true],
    ['203.0.113.0/24', '203.0.112.0/23', false],
    ['203.0.113.5/32', '203.0.113.6/32', false],
    ['203.0.113.5/32', '203.0.113.0/24', false],
    ['2001:db8::/48', '2001:db8::1/128', true],
    ['203.0.113.0/24', '2001:db8::1/128', false],
  ])('%s admits %s: %s', (range, requested, expected) => {
    expect(rangeAdmits(range, requested)).toBe(expected);
  });
});
