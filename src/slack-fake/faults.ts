/**
 * Faults a test asks for: the next N calls to a method fail with an error code, a 429 or an HTTP 5xx, and every
 * call to a method can be delayed. The method name `response_url` targets response_url posts.
 * Latency is real time (setTimeout), not the fake's clock: it exists to exercise timeouts and ordering. A held call
 * orders calls without any timing: it waits, neither answered nor applied, until the test lets it go.
 */
export type InjectedFault =
  | { kind: 'error'; error: string }
  | { kind: 'ratelimited'; retryAfterSec: number }
  /** Slack (or its edge) failing outright: an HTTP 5xx with no Web API body. */
  | { kind: 'server-error'; status: number }
  /** No answer at all, until the fake closes: the caller's request is cut off in the middle. */
  | { kind: 'hang' };

/** A call the fake holds: `reached` once it came in (it waits there), `release` lets it be answered as usual. */
export interface HeldCall {
  readonly reached: Promise<void>;
  release(): void;
}

export interface FakeSlackFaults {
  /** The next `count` calls (default 1) to `method` answer `{ok:false, error}`. */
  failNext(method: string, error: string, count?: number): void;
  /** The next `count` calls (default 1) to `method` answer 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext(method: string, retryAfterSec: number, count?: number): void;
  /** The next `count` calls (default 1) to `method` answer HTTP `status` (default 503). */
  serverErrorNext(method: string, status?: number, count?: number): void;
  /** The next `count` calls (default 1) to `method` are never answered (a request cut off in the middle). */
  hangNext(method: string, count?: number): void;
  /** Every call to `method` (or `*` for all) waits `ms` before it is answered; 0 removes the delay. */
  latency(method: string, ms: number): void;
  /** The next call to `method` not yet held waits, unanswered and not applied (a message not yet changed), until released. */
  holdNext(method: string): HeldCall;
  /** Forgets every queued fault and delay; held calls go on. */
  clear(): void;
}

export class FaultInjector implements FakeSlackFaults {
  private readonly queued = new Map<string, { fault: InjectedFault; remaining: number }[]>();
  private readonly delays = new Map<string, number>();
  private readonly holds = new Map<string, { arrive: () => void; released: Promise<void>; release: () => void }[]>();

  failNext(method: string, error: string, count = 1): void {
    this.enqueue(method, { kind: 'error', error }, count);
  }

  rateLimitNext(method: string, retryAfterSec: number, count = 1): void {
    if (!Number.isInteger(retryAfterSec) || retryAfterSec < 0) {
      throw new RangeError(`Retry-After is whole seconds ≥ 0, got ${retryAfterSec}`);
    }
    this.enqueue(method, { kind: 'ratelimited', retryAfterSec }, count);
  }

  serverErrorNext(method: string, status = 503, count = 1): void {
    if (!Number.isInteger(status) || status < 500 || status > 599) throw new RangeError(`a server error is 5xx, got ${status}`);
    this.enqueue(method, { kind: 'server-error', status }, count);
  }

  hangNext(method: string, count = 1): void {
    this.enqueue(method, { kind: 'hang' }, count);
  }

  latency(method: string, ms: number): void {
    if (ms < 0) throw new RangeError(`latency must be ≥ 0 ms, got ${ms}`);
    if (ms === 0) this.delays.delete(method);
    else this.delays.set(method, ms);
  }

  holdNext(method: string): HeldCall {
    let arrive!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method, [...(this.holds.get(method) ?? []), { arrive, released, release }]);
    return { reached, release };
  }

  /** Waits while this call is held (the oldest hold asked for its method takes it); at once otherwise. */
  async waitIfHeld(method: string): Promise<void> {
    const hold = this.holds.get(method)?.shift();
    if (hold === undefined) return;
    hold.arrive();
    await hold.released;
  }

  /** The fault for this call, consumed; undefined when the call should go through. */
  take(method: string): InjectedFault | undefined {
    const queue = this.queued.get(method);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  delayFor(method: string): number {
    return this.delays.get(method) ?? this.delays.get('*') ?? 0;
  }

  clear(): void {
    this.queued.clear();
    this.delays.clear();
    for (const hold of [...this.holds.values()].flat()) hold.release();
    this.holds.clear();
  }

  private enqueue(method: string, fault: InjectedFault, count: number): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    const queue = this.queued.get(method) ?? [];
    queue.push({ fault, remaining: count });
    this.queued.set(method, queue);
  }
}
