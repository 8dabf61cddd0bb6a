/**
 * The Web API client waits out a 429's Retry-After before it tries again, however long Slack asks, and holds
 * every other call of the bot meanwhile. This fetch lets it do that only for short waits; a longer one ends the
 * call at once as Slack's own `ratelimited` error, which the flows handle like any refusal (the card is not
 * posted, the requester is still answered). Only Web API calls are touched: response_url posts pass as they are.
 */
export const MAX_SLACK_RATE_LIMIT_WAIT_SEC = 5;

export function boundedRateLimitFetch(apiBase: string, maxWaitSec: number = MAX_SLACK_RATE_LIMIT_WAIT_SEC, base: typeof fetch = fetch): typeof fetch {
  const prefix = apiBase.endsWith('/') ? apiBase : `${apiBase}/`;
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status !== 429) return response;
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(prefix)) return response;
    const retryAfterSec = Number(response.headers.get('retry-after'));
    if (Number.isFinite(retryAfterSec) && retryAfterSec >= 0 && retryAfterSec <= maxWaitSec) return response;
    await response.arrayBuffer().catch(() => undefined);
    return new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}
