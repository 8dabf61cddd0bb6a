import type { Clock } from '../common/clock';

/**
 * Real time plus an offset the playground can move forward (`:advance 30m`), so a newcomer can watch a
 * mapping expire without waiting. The simulator, the local Slack stand-in, the store and the app share it.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError(`Time only moves forward here (advance(${ms}))`);
    this.offsetMs += ms;
  }
}
