import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorize, DEFAULT_POLICY, loadPolicy, parsePolicy, PolicyError } from '../../src/policy';

const files = (contents: Record<string, string>) => (path: string) => {
  const text = contents[path];
  if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  return text;
};

function policyErrorOf(run: () => unknown): PolicyError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyError) return error;
    throw error;
  }
  throw new Error('expected a PolicyError');
}

describe('loadPolicy', () => {
  it('uses the default policy when no file is configured', () => {
    expect(loadPolicy(undefined)).toBe(DEFAULT_POLICY);
  });

  it('reads YAML with defaults filled in', () => {
    const policy = loadPolicy(
      '/etc/napter/policy.yaml',
      files({
        '/etc/napter/policy.yaml': `
admins:
  users: [U0ADMIN]
rules:
  - who: everyone
    actions: [diagnose, list]
  - name: field
    who: { userGroups: [S0FIELD] }
    channels: [C0FIELD]
    sims: [{ tags: { name: "gw-*" } }]
    ports: [22]
    maxDurationSec: 3600
    actions: [open, open, diagnose]
`,
      }),
    );
    expect(policy.admins).toEqual({ users: ['U0ADMIN'], userGroups: [] });
    expect(policy.rules[0]).toEqual({
      name: 'rule #1',
      who: 'everyone',
      channels: 'any',
      sims: 'any',
      ports: 'any',
      maxDurationSec: 28800,
      maxSourcePrefixV4Width: 24,
      maxSourcePrefixV6Width: 48,
      actions: ['diagnose', 'list'],
    });
    expect(policy.rules[1]).toMatchObject({
      name: 'field',
      who: { users: [], userGroups: ['S0FIELD'] },
      channels: ['C0FIELD'],
      sims: [{ tags: { name: 'gw-*' } }],
      ports: [22],
      maxDurationSec: 3600,
      actions: ['open', 'diagnose'],
    });
  });

  it('reads JSON by extension', () => {
    const policy = loadPolicy('p.json', files({ 'p.json': '{"rules":[{"who":"everyone","ports":"any","actions":["list"]}]}' }));
    expect(policy.rules).toHaveLength(1);
    expect(policy.admins).toEqual({ users: [], userGroups: [] });
  });

  it('loads the example policy shipped at the repo root, and it means what its comments say', () => {
    const examplePath = join(__dirname, '../../policy.example.yaml');
    const policy = parsePolicy(readFileSync(examplePath, 'utf8'), examplePath);
    expect(policy.rules.map((rule) => rule.name)).toEqual(['field-engineers', 'everyone-reads', 'netops']);
    const field = { userId: 'U1', userGroupIds: ['S0123FIELD'], channelId: 'C0123FIELD', sim: { simId: 'S', tags: { name: 'gw-1', env: 'prod' } } };
    expect(authorize(policy, { ...field, action: 'open', devicePort: 22, durationSec: 3600, sourceCidr: '203.0.113.0/28' }).allowed).toBe(true);
    expect(authorize(policy, { ...field, action: 'open', devicePort: 3389 }).allowed).toBe(false);
    expect(authorize(policy, { action: 'open', userId: 'U2', userGroupIds: [], channelId: 'C9' }).allowed).toBe(false);
    expect(authorize(policy, { action: 'diagnose', userId: 'U2', userGroupIds: [], channelId: 'C9' }).allowed).toBe(true);
  });

  it.each([
    ['a missing file', undefined, 'POLICY_UNREADABLE', undefined, /Cannot read the policy file \/p\.yaml.*ENOENT/],
    ['broken YAML', 'rules: [who: everyone', 'POLICY_UNPARSEABLE', undefined, /\/p\.yaml is not valid YAML/],
    ['a duplicate key', 'rules: []\nrules: []', 'POLICY_UNPARSEABLE', undefined, /not valid YAML/],
    ['no rules', 'admins: { users: [U1] }', 'POLICY_INVALID', 'rules', /rules .*Example: rules:/],
    [
      'a misspelt field',
      'rules:\n  - who: everyone\n    chanels: [C1]\n    actions: [open]',
      'POLICY_INVALID',
      'rules[0].chanels',
      /rules\[0\]\.chanels is not a known field.*a rule takes only name, who, channels/,
    ],
    [
      'an unknown action',
      'rules:\n  - who: everyone\n    actions: [open, delete]',
      'POLICY_INVALID',
      'rules[0].actions[1]',
      /rules\[0\]\.actions\[1\] must be one of open, diagnose, list, close, peek, ticket.*Example: actions:/,
    ],
    [
      'a duration in minutes by mistake',
      'rules:\n  - who: everyone\n    maxDurationSec: 36000\n    actions: [open]',
      'POLICY_INVALID',
      'rules[0].maxDurationSec',
      /at most 28800 .*unit is seconds.*Example: maxDurationSec: 3600/,
    ],
    [
      'a /0 source width',
      'rules:\n  - who: everyone\n    maxSourcePrefixV4Width: 0\n    actions: [open]',
      'POLICY_INVALID',
      'rules[0].maxSourcePrefixV4Width',
      /whole Internet/,
    ],
    ['a bad who', 'rules:\n  - who: anybody\n    actions: [open]', 'POLICY_INVALID', 'rules[0].who', /must be "everyone" or/],
    ['an empty who', 'rules:\n  - who: {}\n    actions: [open]', 'POLICY_INVALID', 'rules[0].who', /rules\[0\]\.who/],
    [
      'a port out of range',
      'rules:\n  - who: everyone\n    ports: [22, 70000]\n    actions: [open]',
      'POLICY_INVALID',
      'rules[0].ports[1]',
      /ports\[1\] must be a TCP port \(1-65535\).*Example: ports:/,
    ],
    [
      'ports as a word',
      'rules:\n  - who: everyone\n    ports: all\n    actions: [open]',
      'POLICY_INVALID',
      'rules[0].ports',
      /must be "any" or a list of TCP ports/,
    ],
    [
      'an empty SIM selector',
      'rules:\n  - who: everyone\n    sims: [{}]\n    actions: [open]',
      'POLICY_INVALID',
      'rules[0].sims[0]',
      /must set groupIds or tags/,
    ],
  ])('refuses %s, naming the file and the field', (_name, text, code, field, message) => {
    const read = files(text === undefined ? {} : { '/p.yaml': text });
    const error = policyErrorOf(() => loadPolicy('/p.yaml', read));
    expect(error.code).toBe(code);
    expect(error.file).toBe('/p.yaml');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message).toContain('/p.yaml');
  });

  it('reads the probe section: on by default, a timeout, and the ports whose protocol the team names', () => {
    expect(parsePolicy('rules: []', 'p.yaml').probe).toBeUndefined();
    const policy = parsePolicy('rules: []\nprobe:\n  timeoutSec: 8\n  protocols: { "2222": ssh, "8443": https }\n', 'p.yaml');
    expect(policy.probe).toEqual({ enabled: true, timeoutSec: 8, protocols: { 2222: 'ssh', 8443: 'https' } });
    expect(parsePolicy('rules: []\nprobe: { enabled: false }\n', 'p.yaml').probe).toEqual({ enabled: false, timeoutSec: 5, protocols: {} });
    expect(policyErrorOf(() => parsePolicy('rules: []\nprobe: { protocols: { "2222": telnet } }\n', 'p.yaml')).message).toMatch(
      /probe\.protocols\.2222 must be ssh, http, https, rdp, vnc or tcp/,
    );
    expect(policyErrorOf(() => parsePolicy('rules: []\nprobe: { protocols: { "70000": ssh } }\n', 'p.yaml')).message).toMatch(/TCP port/);
    expect(policyErrorOf(() => parsePolicy('rules: []\nprobe: { timeout: 5 }\n', 'p.yaml')).message).toMatch(/probe\.timeout is not a known field/);
  });

  it('refuses broken JSON', () => {
    const error = policyErrorOf(() => loadPolicy('p.json', files({ 'p.json': '{"rules": [' })));
    expect(error.code).toBe('POLICY_UNPARSEABLE');
    expect(error.message).toMatch(/p\.json is not valid JSON/);
  });
});
