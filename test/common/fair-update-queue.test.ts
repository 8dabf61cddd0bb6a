import { ManualClock } from '../../src/common/clock';
import { CHAT_UPDATE_BUDGET, FairUpdateQueue } from '../../src/common/fair-update-queue';

const T0 = Date.UTC(2026, 0, 15, 1, 0, 0);

/** Sends whatever the queue allows at each step of the clock; returns what went, with the time. */
function drain<P>(
  queue: FairUpdateQueue<P>,
  clock: ManualClock,
  untilMs: number,
  stepMs: number,
  feed?: (nowMs: number) => void,
): { atMs: number; key: string; payload: P }[] {
  const sent: { atMs: number; key: string; payload: P }[] = [];
  while (clock.nowMs() <= untilMs) {
    feed?.(clock.nowMs());
    for (let next = queue.take(); next !== undefined; next = queue.take()) sent.push({ atMs: clock.nowMs(), ...next });
    clock.advance(stepMs);
  }
  return sent;
}

function mostInAnyMinute(times: readonly number[]): number {
  let most = 0;
  for (let i = 0; i < times.length; i += 1) {
    const start = times[i] ?? 0;
    most = Math.max(most, times.filter((t) => t >= start && t < start + 60_000).length);
  }
  return most;
}

describe('FairUpdateQueue', () => {
  let clock: ManualClock;
  beforeEach(() => {
    clock = new ManualClock(T0);
  });

  it('sends only the latest payload of a key', () => {
    const queue = new FairUpdateQueue<string>(clock);
    queue.offer('card-1', 'v1');
    queue.offer('card-1', 'v2');
    queue.offer('card-1', 'v3');
    expect(queue.size).toBe(1);
    expect(queue.take()).toEqual({ key: 'card-1', payload: 'v3' });
    expect(queue.take()).toBeUndefined();
    expect(queue.nextAtMs()).toBeUndefined();
  });

  it('never sends more than the budget in any minute, and uses it', () => {
    const queue = new FairUpdateQueue<number>(clock);
    for (let i = 0; i < 500; i += 1) queue.offer(`card-${i}`, i);
    const sent = drain(queue, clock, T0 + 5 * 60_000, 100);
    // The 45th refill lands exactly a minute after the burst, so a minute holds 49 or 50, never more.
    expect(mostInAnyMinute(sent.map((s) => s.atMs))).toBeLessThanOrEqual(CHAT_UPDATE_BUDGET.perMinute);
    expect(mostInAnyMinute(sent.map((s) => s.atMs))).toBeGreaterThanOrEqual(CHAT_UPDATE_BUDGET.perMinute - 1);
    // The burst at once, then one every 60 s / 45: 5 + 45 per minute over five minutes.
    expect(sent.filter((s) => s.atMs === T0)).toHaveLength(CHAT_UPDATE_BUDGET.burst);
    expect(sent.length).toBeGreaterThanOrEqual(5 + 45 * 5 - 1);
    expect(sent.length).toBeLessThanOrEqual(5 + 45 * 5 + 1);
  });

  it('a busy key never starves the others: each of them goes before the busy one has gone twice more', () => {
    const queue = new FairUpdateQueue<string>(clock, { perMinute: 12, burst: 1 });
    let version = 0;
    const quiet = Array.from({ length: 8 }, (_, i) => `quiet-${i}`);
    const sent = drain(queue, clock, T0 + 3 * 60_000, 250, (nowMs) => {
      // The busy card changes four times a second, from before the others are offered.
      version += 1;
      queue.offer('busy', `v${version}`);
      if (nowMs === T0 + 250) for (const key of quiet) queue.offer(key, 'once');
    });
    const order = sent.map((s) => s.key);
    // busy (alone at first), busy (it was waiting before the others came), then the eight, then busy again.
    expect(order.slice(0, quiet.length + 3)).toEqual(['busy', 'busy', ...quiet, 'busy']);
    // Once they are done, the busy card has the budget to itself, and each send carries its newest version.
    const busySends = sent.filter((s) => s.key === 'busy');
    expect(busySends.length).toBe(sent.length - quiet.length);
    expect(busySends.every((s, i) => i === 0 || Number(s.payload.slice(1)) > Number(busySends[i - 1]?.payload.slice(1)))).toBe(true);
    expect(mostInAnyMinute(sent.map((s) => s.atMs))).toBeLessThanOrEqual(12);
  });

  it('a burst of events on one mapping becomes a handful of updates a minute', () => {
    const queue = new FairUpdateQueue<number>(clock);
    let events = 0;
    const sent = drain(queue, clock, T0 + 60_000 - 1, 10, () => {
      // 100 audit events a second on one card for a minute.
      events += 1;
      queue.offer('card', events);
    });
    expect(events).toBe(6000);
    expect(sent.length).toBe(CHAT_UPDATE_BUDGET.perMinute - 1);
    // Each update carries the newest state at the time it goes.
    expect(sent.every((s) => s.payload === (s.atMs - T0) / 10 + 1)).toBe(true);
  });

  it('says when the next send may go', () => {
    const queue = new FairUpdateQueue<string>(clock, { perMinute: 2, burst: 1 });
    queue.offer('a', 'x');
    expect(queue.nextAtMs()).toBe(T0);
    queue.take();
    queue.offer('b', 'y');
    // One token a minute: the next one a minute later.
    expect(queue.nextAtMs()).toBe(T0 + 60_000);
    clock.advance(59_999);
    expect(queue.take()).toBeUndefined();
    clock.advance(1);
    expect(queue.take()).toEqual({ key: 'b', payload: 'y' });
  });

  it('a 429 pauses everything until Slack’s Retry-After', () => {
    const queue = new FairUpdateQueue<string>(clock);
    queue.offer('a', 'x');
    queue.pauseUntil(T0 + 30_000);
    expect(queue.take()).toBeUndefined();
    expect(queue.nextAtMs()).toBe(T0 + 30_000);
    clock.advance(30_000);
    expect(queue.take()).toEqual({ key: 'a', payload: 'x' });
  });

  it('a failed send waits again, behind the others, unless a newer payload came meanwhile', () => {
    const queue = new FairUpdateQueue<string>(clock);
    queue.offer('a', 'a1');
    queue.offer('b', 'b1');
    const failed = queue.take();
    queue.requeue(failed?.key ?? '', failed?.payload ?? '');
    expect([queue.take()?.key, queue.take()?.payload]).toEqual(['b', 'a1']);
    queue.offer('c', 'c1');
    const again = queue.take();
    queue.offer('c', 'c2');
    queue.requeue(again?.key ?? '', again?.payload ?? '');
    expect(queue.take()).toEqual({ key: 'c', payload: 'c2' });
  });

  it('drops what waits for a discarded key', () => {
    const queue = new FairUpdateQueue<string>(clock);
    queue.offer('a', 'x');
    queue.discard('a');
    expect(queue.take()).toBeUndefined();
  });

  it.each([
    { perMinute: 50, burst: 0 },
    { perMinute: 50, burst: 50 },
    { perMinute: 5, burst: 1.5 },
  ])('refuses the budget %j', (budget) => {
    expect(() => new FairUpdateQueue(clock, budget)).toThrow(RangeError);
  });
});
