import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Clock } from '../../common/clock';
import { langFromLocale } from '../../domain/i18n/catalog';
import type { Lang } from '../../domain/i18n/message-ref';
import { type Policy, policyUserGroups } from '../../policy/index';
import type { Actor } from '../../use-cases/deps';

const USERS_INFO = z.object({ user: z.object({ locale: z.string().optional() }).optional() });
const USERGROUP_USERS = z.object({ users: z.array(z.string()).optional() });

/** Who asks: their language and the user groups the policy names, each read from Slack once and shared. */
export interface ActorResolver {
  resolve(client: WebClient, who: { readonly teamId: string; readonly userId: string; readonly channelId: string | undefined }): Promise<Actor>;
  /** A user's language alone (the opener of a mapping whose card is redrawn). */
  lang(client: WebClient, userId: string): Promise<Lang>;
}

export interface ActorResolverOptions {
  readonly policy: Policy;
  readonly clock: Clock;
  readonly onError: (what: string, id: string, error: unknown) => void;
  readonly localeTtlMs?: number;
  readonly groupTtlMs?: number;
}

/**
 * Slack payloads carry no locale: `users.info` with `include_locale` tells it, once per user per 6 hours (a failure
 * answers English for a minute). Only the user groups the policy names are read (`usergroups.users.list`), each for
 * 5 minutes; one that cannot be read counts as "not a member": a policy never grants more because Slack was down.
 * A read in flight is shared: a burst of commands from one user makes one call, not one per command.
 */
export function createActorResolver(options: ActorResolverOptions): ActorResolver {
  const locales = cachedReads<Lang>(options.clock);
  const groups = cachedReads<ReadonlySet<string>>(options.clock);
  const groupIds = policyUserGroups(options.policy);

  const lang = (client: WebClient, userId: string): Promise<Lang> =>
    locales.read(userId, async () => {
      try {
        const parsed = USERS_INFO.parse(await client.users.info({ user: userId, include_locale: true }));
        return { value: langFromLocale(parsed.user?.locale), ttlMs: options.localeTtlMs ?? 6 * 60 * 60 * 1000 };
      } catch (error) {
        options.onError('users.info', userId, error);
        return { value: 'en', ttlMs: 60 * 1000 };
      }
    });

  const membersOf = (client: WebClient, teamId: string, groupId: string): Promise<ReadonlySet<string>> =>
    groups.read(`${teamId}:${groupId}`, async () => {
      try {
        const parsed = USERGROUP_USERS.parse(await client.usergroups.users.list({ usergroup: groupId }));
        return { value: new Set(parsed.users ?? []), ttlMs: options.groupTtlMs ?? 5 * 60 * 1000 };
      } catch (error) {
        options.onError('usergroups.users.list', groupId, error);
        return { value: new Set<string>(), ttlMs: 0 };
      }
    });

  return {
    lang,
    async resolve(client, who) {
      const [userLang, memberships] = await Promise.all([
        lang(client, who.userId),
        Promise.all(groupIds.map(async (groupId) => ((await membersOf(client, who.teamId, groupId)).has(who.userId) ? groupId : undefined))),
      ]);
      const userGroupIds = memberships.filter((groupId): groupId is string => groupId !== undefined);
      return { teamId: who.teamId, userId: who.userId, channelId: who.channelId, lang: userLang, userGroupIds };
    },
  };
}

/** Values read from somewhere slow, kept for as long as each read says, and one read at a time per key. */
function cachedReads<T>(clock: Clock) {
  const cache = new Map<string, { readonly value: T; readonly expiresAtMs: number }>();
  const inFlight = new Map<string, Promise<T>>();
  return {
    read(key: string, load: () => Promise<{ readonly value: T; readonly ttlMs: number }>): Promise<T> {
      const cached = cache.get(key);
      if (cached !== undefined && cached.expiresAtMs > clock.nowMs()) return Promise.resolve(cached.value);
      const running = inFlight.get(key);
      if (running !== undefined) return running;
      const reading = load().then(({ value, ttlMs }) => {
        if (ttlMs > 0) cache.set(key, { value, expiresAtMs: clock.nowMs() + ttlMs });
        return value;
      });
      inFlight.set(key, reading);
      void reading.finally(() => inFlight.delete(key)).catch(() => undefined);
      return reading;
    },
  };
}
