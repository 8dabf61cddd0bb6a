import { z } from 'zod';
import type { Lang } from '../domain/i18n/message-ref';

/**
 * How to reach the person waiting for work in flight if this process dies first: their language, and the
 * address that replaces their message (a Slack response_url) when there is one that may. Kept with the in-flight
 * row, versioned so that a newer process reads an older row.
 */
const REPLY_ROUTE = z.object({
  v: z.literal(1),
  lang: z.enum(['en', 'ja']),
  responseUrl: z.string().url().optional(),
});
export type ReplyRoute = z.infer<typeof REPLY_ROUTE>;

export function replyRoute(lang: Lang, responseUrl: string | undefined): ReplyRoute {
  return responseUrl === undefined ? { v: 1, lang } : { v: 1, lang, responseUrl };
}

export function parseReplyRoute(value: unknown): ReplyRoute | undefined {
  const parsed = REPLY_ROUTE.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
