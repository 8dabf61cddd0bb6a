import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import { BotError } from '../common/errors';
import { DEFAULT_POLICY } from './authorize';
import type { Policy, PolicyRule } from './types';
import { DEFAULT_PROBE_SETTINGS, NAPTER_MAX_DURATION_SEC, POLICY_ACTIONS } from './types';

/**
 * A policy file that cannot be used stops the bot at start with the file, the field and an example:
 * running with a silently different policy than the one written would be a security bug.
 * Unknown fields are refused for the same reason: a misspelt `chanels` must not mean "any channel".
 */
export class PolicyError extends BotError {
  constructor(
    code: 'POLICY_UNREADABLE' | 'POLICY_UNPARSEABLE' | 'POLICY_INVALID',
    message: string,
    readonly file: string,
    readonly field: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const FIELD_EXAMPLES: Readonly<Record<string, string>> = {
  admins: 'admins: { users: [U0123ADMIN], userGroups: [S0123OPS] }',
  users: 'users: [U0123ABCD]',
  userGroups: 'userGroups: [S0123ABCD]',
  rules: 'rules: [{ who: everyone, actions: [open, diagnose, list] }]',
  name: 'name: field-engineers',
  who: 'who: everyone   (or)   who: { userGroups: [S0123ABCD] }',
  channels: 'channels: [C0123ABCD]',
  sims: 'sims: [{ groupIds: [0f1e2d3c-...] }, { tags: { name: "gw-*", env: prod } }]',
  groupIds: 'groupIds: [0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b]',
  tags: 'tags: { name: "gw-*", env: prod }',
  ports: 'ports: [22, 443]   (or)   ports: any',
  maxDurationSec: `maxDurationSec: 3600   (seconds, at most ${NAPTER_MAX_DURATION_SEC})`,
  maxSourcePrefixV4Width: 'maxSourcePrefixV4Width: 24   (a /24 is the widest IPv4 source range allowed)',
  maxSourcePrefixV6Width: 'maxSourcePrefixV6Width: 48   (a /48 is the widest IPv6 source range allowed)',
  actions: `actions: [${POLICY_ACTIONS.join(', ')}]`,
  probe: 'probe: { enabled: true, timeoutSec: 5, protocols: { 2222: ssh, 8443: https } }',
  protocols: 'protocols: { 2222: ssh, 8443: https }   (ssh, http, https, rdp, vnc or tcp)',
  timeoutSec: 'timeoutSec: 5   (seconds SORACOM waits for a silent device, 1-60)',
};

const id = z.string().trim().min(1, 'must be a non-empty id');
const ids = z.array(id);

const subjectsSchema = z
  .strictObject({ users: ids.default([]), userGroups: ids.default([]) })
  .refine((s) => s.users.length + s.userGroups.length > 0, { message: 'must name at least one user or user group' });

const simSelectorSchema = z
  .strictObject({
    groupIds: ids.min(1).optional(),
    tags: z.record(z.string().min(1), z.string()).optional(),
  })
  .refine((s) => s.groupIds !== undefined || (s.tags !== undefined && Object.keys(s.tags).length > 0), {
    message: 'must set groupIds or tags',
  });

const ruleSchema = z.strictObject({
  name: z.string().trim().min(1).optional(),
  who: z.union([z.literal('everyone'), subjectsSchema], { error: 'must be "everyone" or { users: [...], userGroups: [...] }' }),
  channels: ids.min(1, 'must list at least one channel id, or be left out for any channel').optional(),
  sims: z.array(simSelectorSchema).min(1, 'must list at least one selector, or be left out for any SIM').optional(),
  ports: z
    .union(
      [
        z.literal('any'),
        z
          .array(z.number({ error: 'must be a TCP port (1-65535)' }).int().min(1, 'must be a TCP port (1-65535)').max(65535, 'must be a TCP port (1-65535)'))
          .min(1),
      ],
      {
        error: 'must be "any" or a list of TCP ports (1-65535)',
      },
    )
    .default('any'),
  maxDurationSec: z
    .number()
    .int()
    .min(1)
    .max(NAPTER_MAX_DURATION_SEC, `must be at most ${NAPTER_MAX_DURATION_SEC} (Napter's 8-hour cap; the unit is seconds)`)
    .default(NAPTER_MAX_DURATION_SEC),
  maxSourcePrefixV4Width: z.number().int().min(1, 'must be 1-32 (a /0 would admit the whole Internet)').max(32).default(24),
  maxSourcePrefixV6Width: z.number().int().min(1, 'must be 1-128 (a /0 would admit the whole Internet)').max(128).default(48),
  actions: z.array(z.enum(POLICY_ACTIONS, { error: `must be one of ${POLICY_ACTIONS.join(', ')}` })).min(1),
});

const probeSchema = z.strictObject({
  enabled: z.boolean().default(DEFAULT_PROBE_SETTINGS.enabled),
  timeoutSec: z.number().int().min(1).max(60, 'must be at most 60 (seconds)').default(DEFAULT_PROBE_SETTINGS.timeoutSec),
  protocols: z
    .record(z.string(), z.enum(['ssh', 'http', 'https', 'rdp', 'vnc', 'tcp'], { error: 'must be ssh, http, https, rdp, vnc or tcp' }))
    .superRefine((table, ctx) => {
      for (const port of Object.keys(table)) {
        if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
          ctx.addIssue({ code: 'custom', path: [port], message: 'is not a TCP port (1-65535): name ports like "2222": ssh' });
        }
      }
    })
    .default({}),
});

const policySchema = z.strictObject({
  admins: subjectsSchema.optional(),
  rules: z.array(ruleSchema),
  probe: probeSchema.optional(),
});

/** With no path, the permissive-but-safe DEFAULT_POLICY. */
export function loadPolicy(path: string | undefined, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Policy {
  if (path === undefined) return DEFAULT_POLICY;
  let text: string;
  try {
    text = readFile(path);
  } catch (cause) {
    throw new PolicyError('POLICY_UNREADABLE', `Cannot read the policy file ${path} (NAPTER_POLICY): ${describe(cause)}`, path, undefined, { cause });
  }
  return parsePolicy(text, path);
}

/** `file` names the source in errors and picks JSON when it ends in `.json`; anything else is read as YAML. */
export function parsePolicy(text: string, file: string): Policy {
  let document: unknown;
  try {
    if (/\.json$/i.test(file)) {
      document = JSON.parse(text);
    } else {
      document = YAML.parse(text, { prettyErrors: true, uniqueKeys: true });
    }
  } catch (cause) {
    throw new PolicyError(
      'POLICY_UNPARSEABLE',
      `The policy file ${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${describe(cause)}`,
      file,
      undefined,
      { cause },
    );
  }
  const parsed = policySchema.safeParse(document ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // For an unknown key, name the key itself: that is the line to fix.
    const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const path = [...(issue?.path ?? []), ...(unknownKey === undefined ? [] : [unknownKey])];
    const field =
      path.length === 0
        ? '(top level)'
        : path
            .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
            .join('')
            .replace(/^\./, '');
    const lastName = [...(issue?.path ?? [])].reverse().find((part): part is string => typeof part === 'string');
    const example =
      unknownKey !== undefined ? knownFieldsAt(issue?.path ?? []) : ((lastName !== undefined ? FIELD_EXAMPLES[lastName] : undefined) ?? FIELD_EXAMPLES.rules);
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problem(s))` : '';
    throw new PolicyError(
      'POLICY_INVALID',
      `Invalid policy file ${file}: ${field} ${unknownKey !== undefined ? 'is not a known field' : (issue?.message ?? 'is invalid')}${more}. Example: ${example}`,
      file,
      field,
    );
  }
  const data = parsed.data;
  return {
    admins: data.admins ?? { users: [], userGroups: [] },
    rules: data.rules.map(
      (rule, index): PolicyRule => ({
        name: rule.name ?? `rule #${index + 1}`,
        who: rule.who,
        channels: rule.channels ?? 'any',
        sims: rule.sims ?? 'any',
        ports: rule.ports,
        maxDurationSec: rule.maxDurationSec,
        maxSourcePrefixV4Width: rule.maxSourcePrefixV4Width,
        maxSourcePrefixV6Width: rule.maxSourcePrefixV6Width,
        actions: [...new Set(rule.actions)],
      }),
    ),
    ...(data.probe === undefined
      ? {}
      : {
          probe: {
            enabled: data.probe.enabled,
            timeoutSec: data.probe.timeoutSec,
            protocols: Object.fromEntries(Object.entries(data.probe.protocols).map(([port, protocol]) => [Number(port), protocol])),
          },
        }),
  };
}

function knownFieldsAt(path: readonly PropertyKey[]): string {
  const where = path.filter((part) => typeof part === 'string').join('.');
  if (where === '') return `the top level takes only admins, rules and probe; ${FIELD_EXAMPLES.rules}`;
  if (where === 'probe') return `probe takes only enabled, timeoutSec and protocols; ${FIELD_EXAMPLES.probe}`;
  if (where === 'admins' || where.endsWith('who')) return `only users and userGroups are allowed here; ${FIELD_EXAMPLES.admins}`;
  if (where === 'rules') {
    return `a rule takes only name, who, channels, sims, ports, maxDurationSec, maxSourcePrefixV4Width, maxSourcePrefixV6Width, actions; ${FIELD_EXAMPLES.rules}`;
  }
  if (where === 'rules.sims') return `a SIM selector takes only groupIds and tags; ${FIELD_EXAMPLES.sims}`;
  return FIELD_EXAMPLES.rules ?? '';
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
