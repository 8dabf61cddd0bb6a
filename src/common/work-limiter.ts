/**
 * Runs at most `limit` pieces of work at once; the rest wait their turn, first come first served. The request
 * pipeline puts commands' work behind one: Node answers HTTP requests and runs work on the same event loop, so
 * 200 commands all working at once leave the acks of the requests still arriving waiting for the CPU (a cold bot
 * took 3 s, Slack's limit, in the ack benchmark); with a few at a time every ack goes out at once.
 */
export interface WorkLimiter {
  /**
   * `work` once its turn comes; once the limiter is closed, `refused` instead (at once, outside the limit): what
   * waits when the process stops never starts, and can still say so.
   */
  run<T>(work: () => Promise<T>, refused: () => Promise<T>): Promise<T>;
  /** No turn is given any more: what waits, and what comes, runs its `refused`. */
  close(): void;
  /** Work started and not yet settled. */
  readonly running: number;
  /** Work waiting for a turn. */
  readonly waiting: number;
}

export function createWorkLimiter(limit: number): WorkLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A work limit must be a whole number of at least 1, not ${limit}`);
  let running = 0;
  let closed = false;
  const queue: Array<(granted: boolean) => void> = [];
  const turn = (): Promise<boolean> => {
    if (closed) return Promise.resolve(false);
    if (running < limit) {
      running += 1;
      return Promise.resolve(true);
    }
    // The slot is handed over as it is freed: `running` stays as it is.
    return new Promise((resolve) => queue.push(resolve));
  };
  const done = (): void => {
    const next = queue.shift();
    if (next === undefined) running -= 1;
    else next(true);
  };
  return {
    async run<T>(work: () => Promise<T>, refused: () => Promise<T>): Promise<T> {
      if (!(await turn())) return refused();
      try {
        return await work();
      } finally {
        done();
      }
    },
    close() {
      closed = true;
      for (const waiting of queue.splice(0)) waiting(false);
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
