import ipaddr from 'ipaddr.js';
import { msg } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import type { AuthorizationDecision, AuthorizationRequest, Policy, PolicyLimits, PolicyRule, PolicySubjects, SimSelector } from './types';
import { NAPTER_MAX_DURATION_SEC, POLICY_ACTIONS } from './types';

/**
 * Used when no policy file is configured: anyone may do anything but close other people's mappings,
 * within Napter's own cap (8 h) and no wider than a /24 (IPv4) or /48 (IPv6) source range.
 */
export const DEFAULT_POLICY: Policy = {
  admins: { users: [], userGroups: [] },
  rules: [
    {
      name: 'default',
      who: 'everyone',
      channels: 'any',
      sims: 'any',
      ports: 'any',
      maxDurationSec: NAPTER_MAX_DURATION_SEC,
      maxSourcePrefixV4Width: 24,
      maxSourcePrefixV6Width: 48,
      actions: POLICY_ACTIONS.filter((action) => action !== 'close'),
    },
  ],
};

/** The Slack user group ids the policy names; the Slack layer resolves a user's membership of these only. */
export function policyUserGroups(policy: Policy): string[] {
  const ids = new Set<string>(policy.admins.userGroups);
  for (const rule of policy.rules) {
    if (rule.who !== 'everyone') for (const id of rule.who.userGroups) ids.add(id);
  }
  return [...ids].sort();
}

/** The part of a SIM the policy's selectors read: its ID, its group and its tags. */
export function policySim(sim: Pick<SimSnapshot, 'simId' | 'groupId' | 'tags'>): NonNullable<AuthorizationRequest['sim']> {
  return { simId: sim.simId, groupId: sim.groupId, tags: sim.tags };
}

export function isAdmin(policy: Policy, userId: string, userGroupIds: readonly string[]): boolean {
  return isSubject(policy.admins, userId, userGroupIds);
}

/**
 * Pure. Rules are narrowed one dimension at a time in a fixed order (action and user, channel, SIM, port,
 * duration, source range); the first dimension that leaves no rule names the reason, so a denial says
 * which limit was hit. Duration and source range are checked for `open` only. When several rules admit the request, the limits are the most generous of them.
 */
export function authorize(policy: Policy, request: AuthorizationRequest): AuthorizationDecision {
  const actionParam = { action: request.action };

  if (request.action === 'close') {
    if (isAdmin(policy, request.userId, request.userGroupIds) || request.mappingOpenedBy === request.userId) {
      return { allowed: true, limits: mostGenerousLimits(policy.rules) };
    }
  }

  let candidates = policy.rules.filter((rule) => rule.actions.includes(request.action) && ruleAppliesTo(rule, request.userId, request.userGroupIds));
  if (candidates.length === 0) {
    if (request.action === 'close') {
      return {
        allowed: false,
        reason:
          request.mappingOpenedBy === undefined
            ? msg('policy.denied.close-unknown-owner')
            : msg('policy.denied.close-not-owner', { openedBy: request.mappingOpenedBy }),
      };
    }
    return { allowed: false, reason: msg('policy.denied.action', actionParam) };
  }

  candidates = candidates.filter((rule) => rule.channels === 'any' || rule.channels.includes(request.channelId));
  if (candidates.length === 0) {
    return { allowed: false, reason: msg('policy.denied.channel', { ...actionParam, channelId: request.channelId }) };
  }

  const sim = request.sim;
  if (sim !== undefined) {
    candidates = candidates.filter((rule) => rule.sims === 'any' || rule.sims.some((selector) => simMatches(selector, sim)));
    if (candidates.length === 0) {
      return { allowed: false, reason: msg('policy.denied.sim', { ...actionParam, simId: sim.simId }) };
    }
  }

  const port = request.devicePort;
  if (port !== undefined) {
    const before = candidates;
    candidates = candidates.filter((rule) => rule.ports === 'any' || rule.ports.includes(port));
    if (candidates.length === 0) {
      const allowedPorts = [...new Set(before.flatMap((rule) => (rule.ports === 'any' ? [] : rule.ports)))].sort((a, b) => a - b);
      return { allowed: false, reason: msg('policy.denied.port', { port, allowedPorts: allowedPorts.join(', ') }) };
    }
  }

  // Duration and source range describe a new mapping; for any other action they are context, not a request.
  const opening = request.action === 'open';
  const durationSec = request.durationSec;
  if (opening && durationSec !== undefined) {
    const before = candidates;
    candidates = candidates.filter((rule) => durationSec <= rule.maxDurationSec);
    if (candidates.length === 0) {
      const maxDurationSec = Math.max(...before.map((rule) => rule.maxDurationSec));
      return {
        allowed: false,
        reason: msg('policy.denied.duration', {
          durationSec,
          maxDurationSec,
          duration: formatDuration(durationSec),
          maxDuration: formatDuration(maxDurationSec),
        }),
      };
    }
  }

  if (opening && request.sourceCidr !== undefined) {
    const source = parseSource(request.sourceCidr);
    if (source === undefined) {
      return { allowed: false, reason: msg('policy.denied.source-invalid', { sourceCidr: request.sourceCidr }) };
    }
    const widthOf = (rule: PolicyRule) => (source.version === 4 ? rule.maxSourcePrefixV4Width : rule.maxSourcePrefixV6Width);
    const before = candidates;
    candidates = candidates.filter((rule) => source.prefixLength >= widthOf(rule));
    if (candidates.length === 0) {
      return {
        allowed: false,
        reason: msg('policy.denied.source-width', {
          sourceCidr: request.sourceCidr,
          ipVersion: source.version,
          maxWidth: Math.min(...before.map(widthOf)),
        }),
      };
    }
  }

  return { allowed: true, limits: mostGenerousLimits(candidates) };
}

function mostGenerousLimits(rules: readonly PolicyRule[]): PolicyLimits {
  if (rules.length === 0) {
    // Closing one's own mapping under a policy with no rules: nothing else is granted, so no room to open.
    return { maxDurationSec: 0, maxSourcePrefixV4Width: 32, maxSourcePrefixV6Width: 128 };
  }
  return {
    maxDurationSec: Math.max(...rules.map((rule) => rule.maxDurationSec)),
    maxSourcePrefixV4Width: Math.min(...rules.map((rule) => rule.maxSourcePrefixV4Width)),
    maxSourcePrefixV6Width: Math.min(...rules.map((rule) => rule.maxSourcePrefixV6Width)),
  };
}

function isSubject(subjects: PolicySubjects, userId: string, userGroupIds: readonly string[]): boolean {
  return subjects.users.includes(userId) || subjects.userGroups.some((group) => userGroupIds.includes(group));
}

function ruleAppliesTo(rule: PolicyRule, userId: string, userGroupIds: readonly string[]): boolean {
  return rule.who === 'everyone' || isSubject(rule.who, userId, userGroupIds);
}

function simMatches(selector: SimSelector, sim: NonNullable<AuthorizationRequest['sim']>): boolean {
  if (selector.groupIds !== undefined && (sim.groupId === undefined || !selector.groupIds.includes(sim.groupId))) {
    return false;
  }
  for (const [tag, pattern] of Object.entries(selector.tags ?? {})) {
    const value = sim.tags[tag];
    if (value === undefined || !globMatches(pattern, value)) return false;
  }
  return true;
}

/** `*` any run of characters, `?` one character; everything else literal; the whole value must match. */
export function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

function parseSource(text: string): { version: 4 | 6; prefixLength: number } | undefined {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0) return undefined;
  const version = ipaddr.IPv4.isValidFourPartDecimal(address) ? 4 : ipaddr.IPv6.isValid(address) ? 6 : undefined;
  if (version === undefined) return undefined;
  const maxLength = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { version, prefixLength: maxLength };
  if (!/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  return prefixLength <= maxLength ? { version, prefixLength } : undefined;
}

function formatDuration(totalSec: number): string {
  const hours = Math.floor(totalSec / 3600);
  const minutes = Math.floor((totalSec % 3600) / 60);
  const seconds = totalSec % 60;
  const parts = [hours > 0 ? `${hours}h` : '', minutes > 0 ? `${minutes}m` : '', seconds > 0 ? `${seconds}s` : ''];
  return parts.join('') || '0s';
}
