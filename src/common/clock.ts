/** The one source of "now" outside the pure core. Tests and the simulator drive a ManualClock. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };

export class ManualClock implements Clock {
  constructor(private currentMs: number) {}
  nowMs(): number {
    return this.currentMs;
  }
  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`ManualClock cannot go back in time (advance(${ms}))`);
    this.currentMs += ms;
  }
  set(ms: number): void {
    this.currentMs = ms;
  }
}
