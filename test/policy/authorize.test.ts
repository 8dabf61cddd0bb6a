import { t } from '../../src/domain/i18n/catalog';
import { authorize, DEFAULT_POLICY, globMatches, policyUserGroups } from '../../src/policy/authorize';
import type { AuthorizationRequest, Policy, PolicyRule } from '../../src/policy';

const rule = (overrides: Partial<PolicyRule>): PolicyRule => ({
  name: 'r',
  who: 'everyone',
  channels: 'any',
  sims: 'any',
  ports: 'any',
  maxDurationSec: 28800,
  maxSourcePrefixV4Width: 24,
  maxSourcePrefixV6Width: 48,
  actions: ['open', 'diagnose', 'list', 'peek', 'ticket'],
  ...overrides,
});

const POLICY: Policy = {
  admins: { users: ['UADMIN'], userGroups: ['SNETOPS'] },
  rules: [
    rule({
      name: 'field',
      who: { users: [], userGroups: ['SFIELD'] },
      channels: ['CFIELD'],
      sims: [{ groupIds: ['grp-field'] }, { tags: { name: 'gw-*', env: 'prod' } }],
      ports: [22, 443],
      maxDurationSec: 3600,
      maxSourcePrefixV4Width: 28,
      maxSourcePrefixV6Width: 56,
      actions: ['open', 'diagnose', 'list', 'peek', 'ticket'],
    }),
    rule({ name: 'readers', who: 'everyone', actions: ['diagnose', 'list'] }),
    rule({ name: 'carol', who: { users: ['UCAROL'], userGroups: [] }, ports: [8080], maxDurationSec: 600, actions: ['open', 'close'] }),
  ],
};

const fieldSim = { simId: 'S-FIELD', groupId: 'grp-field', tags: {} };
const taggedSim = { simId: 'S-GW', tags: { name: 'gw-osaka-01', env: 'prod' } };
const otherSim = { simId: 'S-OTHER', groupId: 'grp-lab', tags: { name: 'gw-osaka-02', env: 'dev' } };

const base: AuthorizationRequest = {
  action: 'open',
  userId: 'UFIELD1',
  userGroupIds: ['SFIELD'],
  channelId: 'CFIELD',
  sim: fieldSim,
  devicePort: 22,
  durationSec: 1800,
  sourceCidr: '203.0.113.5/32',
};

type Case = [
  name: string,
  request: Partial<AuthorizationRequest>,
  expected: string | { maxDurationSec: number; maxSourcePrefixV4Width: number; maxSourcePrefixV6Width: number },
];

const cases: Case[] = [
  ['field engineer opens SSH to a field SIM', {}, { maxDurationSec: 3600, maxSourcePrefixV4Width: 28, maxSourcePrefixV6Width: 56 }],
  ['a SIM matched by tag globs', { sim: taggedSim, devicePort: 443 }, { maxDurationSec: 3600, maxSourcePrefixV4Width: 28, maxSourcePrefixV6Width: 56 }],
  ['a bare address counts as /32', { sourceCidr: '203.0.113.5' }, { maxDurationSec: 3600, maxSourcePrefixV4Width: 28, maxSourcePrefixV6Width: 56 }],
  ['IPv6 /56 is within the limit', { sourceCidr: '2001:db8:0:100::/56' }, { maxDurationSec: 3600, maxSourcePrefixV4Width: 28, maxSourcePrefixV6Width: 56 }],
  ['exactly the maximum duration', { durationSec: 3600 }, { maxDurationSec: 3600, maxSourcePrefixV4Width: 28, maxSourcePrefixV6Width: 56 }],
  ['not in the group', { userGroupIds: [] }, 'policy.denied.action'],
  ['in another channel', { channelId: 'CRANDOM' }, 'policy.denied.channel'],
  ['a SIM of another group whose tags do not all match', { sim: otherSim }, 'policy.denied.sim'],
  ['a SIM without a group', { sim: { simId: 'S-X', tags: {} } }, 'policy.denied.sim'],
  ['a port not listed', { devicePort: 3389 }, 'policy.denied.port'],
  ['longer than allowed', { durationSec: 3601 }, 'policy.denied.duration'],
  ['a /24 when /28 is the widest', { sourceCidr: '203.0.113.0/24' }, 'policy.denied.source-width'],
  ['an IPv6 /48 when /56 is the widest', { sourceCidr: '2001:db8::/48' }, 'policy.denied.source-width'],
  ['garbage source', { sourceCidr: 'my-laptop' }, 'policy.denied.source-invalid'],
  ['a source with a bad prefix', { sourceCidr: '203.0.113.0/33' }, 'policy.denied.source-invalid'],
  ['a three-part IPv4 address', { sourceCidr: '203.0.113' }, 'policy.denied.source-invalid'],
  [
    'everyone may diagnose anywhere',
    { action: 'diagnose', userId: 'UANY', userGroupIds: [], channelId: 'CANY', sim: otherSim },
    { maxDurationSec: 28800, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 48 },
  ],
  ['nobody but carol and field may open', { userId: 'UANY', userGroupIds: [], channelId: 'CANY' }, 'policy.denied.action'],
  [
    'carol opens 8080 anywhere for 10 minutes',
    { userId: 'UCAROL', userGroupIds: [], channelId: 'CANY', sim: otherSim, devicePort: 8080, durationSec: 600, sourceCidr: '198.51.100.0/24' },
    { maxDurationSec: 600, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 48 },
  ],
  ['carol is limited to 10 minutes', { userId: 'UCAROL', userGroupIds: [], channelId: 'CANY', devicePort: 8080, durationSec: 601 }, 'policy.denied.duration'],
  ['admins still need a rule to open', { userId: 'UADMIN', userGroupIds: [], channelId: 'CANY' }, 'policy.denied.action'],
  [
    'the requester closes their own mapping',
    { action: 'close', userId: 'UANY', userGroupIds: [], channelId: 'CANY', mappingOpenedBy: 'UANY' },
    { maxDurationSec: 28800, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 48 },
  ],
  [
    "an admin closes anyone's mapping",
    { action: 'close', userId: 'UADMIN', userGroupIds: [], mappingOpenedBy: 'USOMEONE' },
    { maxDurationSec: 28800, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 48 },
  ],
  [
    'an admin by user group closes a mapping the bot did not open',
    { action: 'close', userId: 'UOPS', userGroupIds: ['SNETOPS'] },
    { maxDurationSec: 28800, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 48 },
  ],
  ['someone else may not close it', { action: 'close', userId: 'UANY', userGroupIds: [], mappingOpenedBy: 'USOMEONE' }, 'policy.denied.close-not-owner'],
  ['nobody but admins closes a mapping the bot did not open', { action: 'close', userId: 'UANY', userGroupIds: [] }, 'policy.denied.close-unknown-owner'],
  [
    "a rule may grant close of others' mappings",
    { action: 'close', userId: 'UCAROL', userGroupIds: [], mappingOpenedBy: 'USOMEONE', devicePort: 8080 },
    { maxDurationSec: 600, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 48 },
  ],
];

describe('authorize', () => {
  it.each(cases)('%s', (_name, overrides, expected) => {
    const decision = authorize(POLICY, { ...base, ...overrides });
    if (typeof expected === 'string') {
      expect(decision.allowed).toBe(false);
      if (!decision.allowed) expect(decision.reason.key).toBe(expected);
    } else {
      expect(decision).toEqual({ allowed: true, limits: expected });
    }
  });

  it('says which limit was hit, with the numbers, in both languages', () => {
    const duration = authorize(POLICY, { ...base, durationSec: 7200 });
    const width = authorize(POLICY, { ...base, sourceCidr: '203.0.113.0/24' });
    const port = authorize(POLICY, { ...base, devicePort: 3389 });
    const channel = authorize(POLICY, { ...base, channelId: 'CRANDOM' });
    if (duration.allowed || width.allowed || port.allowed || channel.allowed) throw new Error('expected denials');
    expect(t('en', duration.reason)).toContain('1h at most');
    expect(t('en', duration.reason)).toContain('2h is longer');
    expect(t('ja', duration.reason)).toContain('上限は 1h');
    expect(t('en', width.reason)).toContain('/28 is the widest IPv4');
    expect(t('en', port.reason)).toContain('port 3389');
    expect(t('en', port.reason)).toContain('22, 443');
    // The channel by its ID; Slack's adapter turns it into a link (`reasonText`).
    expect(t('en', channel.reason)).toContain('CRANDOM');
    for (const reason of [duration.reason, width.reason, port.reason, channel.reason]) {
      expect(t('ja', reason)).not.toMatch(/\{\w+\}/);
      expect(t('en', reason)).not.toMatch(/\{\w+\}/);
    }
  });

  it('gives the most generous limits of the rules that admit the request', () => {
    const policy: Policy = {
      admins: { users: [], userGroups: [] },
      rules: [
        rule({ maxDurationSec: 600, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 64 }),
        rule({ maxDurationSec: 7200, maxSourcePrefixV4Width: 30, maxSourcePrefixV6Width: 48 }),
      ],
    };
    expect(authorize(policy, { ...base, durationSec: 60 })).toEqual({
      allowed: true,
      limits: { maxDurationSec: 7200, maxSourcePrefixV4Width: 24, maxSourcePrefixV6Width: 48 },
    });
    // With 3600 s only the second rule admits it, so its narrower source width applies.
    expect(authorize(policy, { ...base, durationSec: 3600, sourceCidr: '203.0.113.0/24' })).toMatchObject({
      allowed: false,
      reason: { key: 'policy.denied.source-width', params: { maxWidth: 30 } },
    });
  });
});

describe('DEFAULT_POLICY', () => {
  const anyone = { userId: 'UANY', userGroupIds: [], channelId: 'CANY', sim: otherSim };
  it.each(['open', 'diagnose', 'list', 'peek', 'ticket'] as const)('lets anyone %s', (action) => {
    expect(authorize(DEFAULT_POLICY, { ...anyone, action, devicePort: 3389, durationSec: 28800, sourceCidr: '203.0.113.0/24' }).allowed).toBe(true);
  });
  it('caps at 8 hours, /24 and /48', () => {
    expect(authorize(DEFAULT_POLICY, { ...anyone, action: 'open', durationSec: 28801 })).toMatchObject({
      allowed: false,
      reason: { key: 'policy.denied.duration' },
    });
    expect(authorize(DEFAULT_POLICY, { ...anyone, action: 'open', sourceCidr: '203.0.112.0/23' })).toMatchObject({
      allowed: false,
      reason: { key: 'policy.denied.source-width' },
    });
    expect(authorize(DEFAULT_POLICY, { ...anyone, action: 'open', sourceCidr: '2001:db8::/47' })).toMatchObject({
      allowed: false,
      reason: { key: 'policy.denied.source-width' },
    });
    expect(authorize(DEFAULT_POLICY, { ...anyone, action: 'open', sourceCidr: '0.0.0.0/0' }).allowed).toBe(false);
  });
  it('lets only the requester close (no admins by default)', () => {
    expect(authorize(DEFAULT_POLICY, { ...anyone, action: 'close', mappingOpenedBy: 'UANY' }).allowed).toBe(true);
    expect(authorize(DEFAULT_POLICY, { ...anyone, action: 'close', mappingOpenedBy: 'UOTHER' }).allowed).toBe(false);
    expect(authorize(DEFAULT_POLICY, { ...anyone, action: 'close' }).allowed).toBe(false);
  });
});

describe('policyUserGroups', () => {
  it('lists every user group the policy names, once', () => {
    expect(policyUserGroups(POLICY)).toEqual(['SFIELD', 'SNETOPS']);
    expect(policyUserGroups(DEFAULT_POLICY)).toEqual([]);
  });
});

describe('globMatches', () => {
  it.each([
    ['gw-*', 'gw-osaka-01', true],
    ['gw-*', 'xgw-1', false],
    ['gw-??', 'gw-01', true],
    ['gw-??', 'gw-001', false],
    ['prod', 'prod', true],
    ['prod', 'production', false],
    ['a.b', 'axb', false],
    ['(x)+', '(x)+', true],
    ['*', '', true],
  ])('%s vs %s → %s', (pattern, value, expected) => {
    expect(globMatches(pattern, value)).toBe(expected);
  });
});
