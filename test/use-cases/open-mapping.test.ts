import { rangeAdmits } from '../../src/domain/port-mapping';
import { openMapping } from '../../src/use-cases/open-mapping';
import type { OpenMappingRequest } from '../../src/use-cases/open-records';
import type { NapterApi } from '../../src/domain/napter-api';
import type { Store } from '../../src/use-cases/ports/store';
import { ManualClock } from '../../src/common/clock';

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

describe('openMapping: the last gate before SORACOM', () => {
  it.each(['0.0.0.0/0', '10.0.0.5/32', '192.168.1.0/24', '100.64.0.1/32', '127.0.0.1/32', 'fe80::1/128', 'not-an-address'])(
    'refuses %s without touching SORACOM or the store',
    async (sourceCidr) => {
      const calls: string[] = [];
      const api = new Proxy({} as NapterApi, {
        get: (_target, name) => () => {
          calls.push(String(name));
          throw new Error(`SORACOM must not be called (${String(name)})`);
        },
      });
      const store = new Proxy({} as Store, {
        get: (_target, name) => () => {
          calls.push(`store.${String(name)}`);
          throw new Error(`the store must not be used (${String(name)})`);
        },
      });
      const request: OpenMappingRequest = {
        teamId: 'T1',
        userId: 'U1',
        channelId: 'C1',
        sim: {
          simId: '8942310000000000001',
          imsi: '295050000000001',
          imsis: ['295050000000001'],
          name: 'gw-01',
          tags: { name: 'gw-01' },
          status: 'active',
          groupId: undefined,
          online: true,
          ueIpAddress: '10.200.1.2',
          sessionUpdatedAtMs: undefined,
          previousSessionEndedAtMs: undefined,
          lastPortMappingCreatedAtMs: undefined,
        },
        devicePort: 22,
        durationSec: 1800,
        tlsRequired: false,
        sourceCidr,
        sourceKind: 'cidr',
        requestKey: 'k1',
        reason: 'open',
      };
      await expect(openMapping({ api, store, clock: new ManualClock(0), sleep: async () => undefined }, request)).rejects.toMatchObject({
        code: 'OPEN_SOURCE_NOT_GLOBAL',
      });
      expect(calls).toEqual([]);
    },
  );
});
