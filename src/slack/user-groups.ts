import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { policyUserGroups, type Policy } from '../policy/index';
import type { Clock } from '../common/clock';

const USERGROUP_USERS = z.object({ users: z.array(z.string()).optional() });

/**
 * Which of the user groups the policy names a user belongs to. Only those groups are asked about
 * (`usergroups.users.list`), and each group's members are cached for `ttlMs`. A group that cannot be read
 * counts as "not a member": a policy never grants more because Slack was unreachable.
 */
export function createUserGroupResolver(options: {
  readonly policy: Policy;
  readonly clock: Clock;
  readonly ttlMs?: number;
  readonly onError?: (groupId: string, error: unknown) => void;
}): (client: WebClient, teamId: string, userId: string) => Promise<string[]> {
  const groupIds = policyUserGroups(options.policy);
  const ttlMs = options.ttlMs ?? 5 * 60 * 1000;
  const cache = new Map<string, { members: ReadonlySet<string>; expiresAtMs: number }>();

  const membersOf = async (client: WebClient, teamId: string, groupId: string): Promise<ReadonlySet<string>> => {
    const key = `${teamId}:${groupId}`;
    const nowMs = options.clock.nowMs();
    const cached = cache.get(key);
    if (cached !== undefined && cached.expiresAtMs > nowMs) return cached.members;
    try {
      const parsed = USERGROUP_USERS.parse(await client.usergroups.users.list({ usergroup: groupId }));
      const members = new Set(parsed.users ?? []);
      cache.set(key, { members, expiresAtMs: nowMs + ttlMs });
      return members;
    } catch (error) {
      options.onError?.(groupId, error);
      return new Set();
    }
  };

  return async (client, teamId, userId) => {
    if (groupIds.length === 0) return [];
    const memberships = await Promise.all(groupIds.map(async (groupId) => ((await membersOf(client, teamId, groupId)).has(userId) ? groupId : undefined)));
    return memberships.filter((groupId): groupId is string => groupId !== undefined);
  };
}
