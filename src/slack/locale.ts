import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import { langFromLocale } from '../domain/i18n/catalog';
import type { Lang } from '../domain/i18n/message-ref';
import type { Clock } from '../common/clock';

const USERS_INFO = z.object({ user: z.object({ locale: z.string().optional() }).optional() });

/**
 * Slack payloads carry no locale: ask `users.info` with `include_locale`, once per user per `ttlMs`.
 * Failures (missing scope, rate limit, unknown user) fall back to English and are cached briefly, so a
 * broken scope does not cost one extra API call per command.
 */
export function createLocaleResolver(options: {
  readonly clock: Clock;
  readonly ttlMs?: number;
  readonly failureTtlMs?: number;
  readonly onError?: (userId: string, error: unknown) => void;
}): (client: WebClient, userId: string) => Promise<Lang> {
  const ttlMs = options.ttlMs ?? 6 * 60 * 60 * 1000;
  const failureTtlMs = options.failureTtlMs ?? 60 * 1000;
  const cache = new Map<string, { lang: Lang; expiresAtMs: number }>();

  return async (client, userId) => {
    const nowMs = options.clock.nowMs();
    const cached = cache.get(userId);
    if (cached !== undefined && cached.expiresAtMs > nowMs) return cached.lang;
    try {
      const parsed = USERS_INFO.parse(await client.users.info({ user: userId, include_locale: true }));
      const lang = langFromLocale(parsed.user?.locale);
      cache.set(userId, { lang, expiresAtMs: nowMs + ttlMs });
      return lang;
    } catch (error) {
      options.onError?.(userId, error);
      cache.set(userId, { lang: 'en', expiresAtMs: nowMs + failureTtlMs });
      return 'en';
    }
  };
}
