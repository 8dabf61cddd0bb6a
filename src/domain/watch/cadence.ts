import type { RateLimitState } from '../napter-api';

/**
 * When the shared audit-log read runs next. One read per interval serves every watch, so the interval is
 * the only knob on SORACOM calls per minute: at most `pages of a window × 60 s / interval`, whatever the
 * number of watches. SORACOM's budget is per operator and per API per minute, and it is shared with
 * everything else that reads the operator's Napter log (the bot's diagnoses, other tools), so the poller
 * keeps out of the last part of it and never calls before SORACOM's refresh once it is spent.
 */

export interface CadenceOptions {
  /** The interval while all is well. */
  readonly baseIntervalMs: number;
  /** The longest wait after failures (a 429 waits as long as SORACOM says, even longer than this). */
  readonly maxIntervalMs: number;
  /** The share of the budget left to other callers: below it, the poller waits for the refresh. */
  readonly reserveShare: number;
  /** Used when a 429 does not say when the budget refreshes: SORACOM asks to wait up to a minute (docs D4). */
  readonly defaultRefreshMs: number;
}

export const DEFAULT_CADENCE: CadenceOptions = {
  baseIntervalMs: 30_000,
  maxIntervalMs: 5 * 60_000,
  reserveShare: 0.2,
  defaultRefreshMs: 60_000,
};

/** What the last read did. */
export type PollOutcome =
  | { readonly kind: 'read'; readonly pages: number; readonly rateLimit: RateLimitState }
  | { readonly kind: 'rate-limited'; readonly rateLimit: RateLimitState }
  /** Network, 5xx or an unreadable answer, `consecutive` times in a row (1 for the first). */
  | { readonly kind: 'failed'; readonly consecutive: number };

export type NextPoll =
  | { readonly kind: 'stop' }
  | { readonly kind: 'wait'; readonly delayMs: number; readonly reason: 'interval' | 'budget-low' | 'rate-limited' | 'failing' };

/**
 * The next read: none when nothing is watched (a new watch starts the poller again); after a 429, not before
 * SORACOM's refresh; when the budget left (less what the next read will spend) falls into the reserve,
 * at the refresh; after failures, the interval doubled per failure up to the maximum; else the interval.
 */
export function nextPoll(activeWatches: number, outcome: PollOutcome | undefined, options: CadenceOptions = DEFAULT_CADENCE): NextPoll {
  if (activeWatches <= 0) return { kind: 'stop' };
  const base = options.baseIntervalMs;
  if (outcome === undefined) return { kind: 'wait', delayMs: base, reason: 'interval' };
  switch (outcome.kind) {
    case 'rate-limited':
      return { kind: 'wait', delayMs: Math.max(base, refreshMs(outcome.rateLimit, options)), reason: 'rate-limited' };
    case 'failed': {
      const doubled = base * 2 ** Math.max(0, outcome.consecutive - 1);
      return { kind: 'wait', delayMs: Math.min(options.maxIntervalMs, Math.max(base, doubled)), reason: 'failing' };
    }
    case 'read': {
      const { limit, remaining } = outcome.rateLimit;
      if (remaining === undefined) return { kind: 'wait', delayMs: base, reason: 'interval' };
      const reserve = limit === undefined ? 0 : Math.ceil(limit * options.reserveShare);
      if (remaining - Math.max(1, outcome.pages) >= reserve) return { kind: 'wait', delayMs: base, reason: 'interval' };
      return { kind: 'wait', delayMs: Math.max(base, refreshMs(outcome.rateLimit, options)), reason: 'budget-low' };
    }
  }
}

function refreshMs(rateLimit: RateLimitState, options: CadenceOptions): number {
  return rateLimit.secondsBeforeRefresh === undefined ? options.defaultRefreshMs : rateLimit.secondsBeforeRefresh * 1000;
}
