import type { Clock } from './clock';

/**
 * Updates to many things (Slack messages, by key) under one rate budget (a workspace's `chat.update`
 * allowance), so that a busy thing never starves the others:
 * - per key only the latest payload waits: a newer one replaces it in place (an update rewrites the whole
 *   message, so the older one would be stale the moment it arrived);
 * - keys are served in turn, the one waiting longest first; a key updated again goes to the back, so with N
 *   keys waiting each gets one send in N, however often one of them changes;
 * - the budget is a token bucket: at most `perMinute` sends in any 60 seconds, `burst` of them at once.
 * It only decides; the caller sends and asks again at `nextAtMs()`. Time comes from the injected clock,
 * nothing here sets a timer, so tests drive it with a ManualClock.
 */

export interface UpdateBudget {
  /** The most sends in any 60 seconds. */
  readonly perMinute: number;
  /** How many may go back to back after a quiet spell (part of `perMinute`, not on top of it). */
  readonly burst: number;
}

/**
 * Slack counts `chat.update` per workspace and app as a Tier 3 method (Slack's rate-limit tiers: 50+ a minute, some burst): one queue
 * per workspace with this budget.
 */
export const CHAT_UPDATE_BUDGET: UpdateBudget = { perMinute: 50, burst: 5 };

const MINUTE_MS = 60_000;
/** Floating-point slack when the bucket refills to exactly one token. */
const EPSILON = 1e-9;

export class FairUpdateQueue<Payload> {
  /** Insertion order is the order of turns. */
  private readonly waiting = new Map<string, Payload>();
  private readonly refillPerMs: number;
  private tokens: number;
  private refilledAtMs: number;
  private pausedUntilMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly budget: UpdateBudget = CHAT_UPDATE_BUDGET,
  ) {
    if (!Number.isInteger(budget.burst) || budget.burst < 1 || !(budget.perMinute > budget.burst)) {
      throw new RangeError(`An update budget needs 1 <= burst < perMinute (got burst ${budget.burst}, perMinute ${budget.perMinute})`);
    }
    // B at once plus r per minute: any 60 s then hold at most B + r·60 s = perMinute sends.
    this.refillPerMs = (budget.perMinute - budget.burst) / MINUTE_MS;
    this.tokens = budget.burst;
    this.refilledAtMs = clock.nowMs();
  }

  /** Keys with an update waiting. */
  get size(): number {
    return this.waiting.size;
  }

  /** The latest payload for `key`: it replaces one still waiting (which keeps its turn) or joins the back. */
  offer(key: string, payload: Payload): void {
    this.waiting.set(key, payload);
  }

  /** Whether an update for `key` waits. */
  has(key: string): boolean {
    return this.waiting.has(key);
  }

  /** Drops what waits for `key` (the message is gone, or the update no longer matters). */
  discard(key: string): void {
    this.waiting.delete(key);
  }

  /** The update to send now, if one waits and the budget allows; it is spent at once. */
  take(): { readonly key: string; readonly payload: Payload } | undefined {
    const nowMs = this.clock.nowMs();
    this.refill(nowMs);
    if (nowMs < this.pausedUntilMs || this.tokens < 1 - EPSILON) return undefined;
    const next = this.waiting.entries().next();
    if (next.done === true) return undefined;
    const [key, payload] = next.value;
    this.waiting.delete(key);
    this.tokens = Math.max(0, this.tokens - 1);
    return { key, payload };
  }

  /** When `take()` will give something: now or later; undefined while nothing waits. */
  nextAtMs(): number | undefined {
    if (this.waiting.size === 0) return undefined;
    const nowMs = this.clock.nowMs();
    this.refill(nowMs);
    const tokenAtMs = this.tokens >= 1 - EPSILON ? nowMs : nowMs + Math.ceil((1 - this.tokens) / this.refillPerMs);
    return Math.max(nowMs, tokenAtMs, this.pausedUntilMs);
  }

  /** Slack refused with 429 and a Retry-After: nothing goes before `untilMs`. */
  pauseUntil(untilMs: number): void {
    this.pausedUntilMs = Math.max(this.pausedUntilMs, untilMs);
  }

  /**
   * A send that failed and is worth trying again: its payload waits again at the back, unless a newer one
   * for the key came in meanwhile (which then goes instead). The spent budget is not given back: the call was made.
   */
  requeue(key: string, payload: Payload): void {
    if (!this.waiting.has(key)) this.waiting.set(key, payload);
  }

  private refill(nowMs: number): void {
    if (nowMs <= this.refilledAtMs) return;
    this.tokens = Math.min(this.budget.burst, this.tokens + (nowMs - this.refilledAtMs) * this.refillPerMs);
    this.refilledAtMs = nowMs;
  }
}
