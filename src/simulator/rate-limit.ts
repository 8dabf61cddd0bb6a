import type { Clock } from '../common/clock';

export interface RateLimitState {
  readonly limit: number;
  readonly remaining: number;
  readonly secondsBeforeRefresh: number;
  readonly exceeded: boolean;
}

/**
 * SORACOM's per-minute budget: a fixed window per key (operator + operation, or caller IP for /auth),
 * measured on the simulator's clock so a ManualClock drives refreshes in tests.
 */
export class RateLimiter {
  private windows = new Map<string, { startMs: number; used: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one call against `key`. A call over budget is not counted (it did nothing). */
  take(key: string): RateLimitState {
    const now = this.clock.nowMs();
    let window = this.windows.get(key);
    if (window === undefined || now >= window.startMs + this.windowMs) {
      window = { startMs: now, used: 0 };
      this.windows.set(key, window);
    }
    const exceeded = window.used >= this.limit;
    if (!exceeded) window.used += 1;
    return {
      limit: this.limit,
      remaining: this.limit - window.used,
      secondsBeforeRefresh: Math.max(1, Math.ceil((window.startMs + this.windowMs - now) / 1000)),
      exceeded,
    };
  }

  /** What a forced 429 reports: the budget as if spent. */
  exhausted(key: string): RateLimitState {
    const now = this.clock.nowMs();
    const window = this.windows.get(key);
    const start = window !== undefined && now < window.startMs + this.windowMs ? window.startMs : now;
    return { limit: this.limit, remaining: 0, secondsBeforeRefresh: Math.max(1, Math.ceil((start + this.windowMs - now) / 1000)), exceeded: true };
  }
}
