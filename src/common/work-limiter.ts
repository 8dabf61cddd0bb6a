/**
 * Runs at most `limit` pieces of work at once; the rest wait their turn, first come first served. The request
 * pipeline puts commands' work behind one: Node answers HTTP requests and runs work on the same event loop, so
 * 200 commands all working at once leave the acks of the requests still arriving waiting for the CPU (a cold bot
 * took 3 s, Slack's limit, in the ack benchmark); with a few at a time every ack goes out at once.
 */
export interface WorkLimiter {
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Work started and not yet settled. */
  readonly running: number;
  /** Work waiting for a turn. */
  readonly waiting: number;
}

export function createWorkLimiter(limit: number): WorkLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`A work limit must be a whole number of at least 1, not ${limit}`);
  let running = 0;
  const queue: Array<() => void> = [];
  const turn = (): Promise<void> => {
    if (running < limit) {
      running += 1;
      return Promise.resolve();
    }
    // The slot is handed over as it is freed: `running` stays as it is.
    return new Promise((resolve) => queue.push(resolve));
  };
  const done = (): void => {
    const next = queue.shift();
    if (next === undefined) running -= 1;
    else next();
  };
  return {
    async run<T>(work: () => Promise<T>): Promise<T> {
      await turn();
      try {
        return await work();
      } finally {
        done();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}
