import { createWorkLimiter } from '../../src/common/work-limiter';

/** A piece of work that ends when the test says so. */
function held<T>(value: T) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const started = { yes: false };
  const work = async () => {
    started.yes = true;
    await released;
    return value;
  };
  return { work, release, started };
}

const turns = () => new Promise((resolve) => setImmediate(resolve));
const notRun = async (): Promise<never> => {
  throw new Error('refused although the limiter is open');
};

describe('work limiter', () => {
  it('runs at most the limit at once and the rest in the order they came', async () => {
    const limiter = createWorkLimiter(2);
    const pieces = [held('a'), held('b'), held('c'), held('d')];
    const results = pieces.map((piece) => limiter.run(piece.work, notRun));
    await turns();
    expect(pieces.map((piece) => piece.started.yes)).toEqual([true, true, false, false]);
    expect({ running: limiter.running, waiting: limiter.waiting }).toEqual({ running: 2, waiting: 2 });

    pieces[1]?.release();
    await turns();
    expect(pieces.map((piece) => piece.started.yes)).toEqual([true, true, true, false]);
    expect({ running: limiter.running, waiting: limiter.waiting }).toEqual({ running: 2, waiting: 1 });

    for (const piece of pieces) piece.release();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c', 'd']);
    expect({ running: limiter.running, waiting: limiter.waiting }).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the turn of work that fails, and passes the failure on', async () => {
    const limiter = createWorkLimiter(1);
    const failing = limiter.run(async () => {
      throw new Error('boom');
    }, notRun);
    const next = held('next');
    const after = limiter.run(next.work, notRun);
    await expect(failing).rejects.toThrow('boom');
    await turns();
    expect(next.started.yes).toBe(true);
    next.release();
    await expect(after).resolves.toBe('next');
    expect(limiter.running).toBe(0);
  });

  it('once closed, what waits and what comes is refused, and what runs finishes', async () => {
    const limiter = createWorkLimiter(1);
    const first = held('first');
    const running = limiter.run(first.work, notRun);
    const waiting = limiter.run(held('never').work, async () => 'refused while waiting');
    await turns();
    limiter.close();
    await expect(waiting).resolves.toBe('refused while waiting');
    await expect(limiter.run(held('late').work, async () => 'refused on arrival')).resolves.toBe('refused on arrival');
    expect(limiter.waiting).toBe(0);
    first.release();
    await expect(running).resolves.toBe('first');
    expect(limiter.running).toBe(0);
  });

  it('refuses a limit that would run nothing', () => {
    expect(() => createWorkLimiter(0)).toThrow(RangeError);
    expect(() => createWorkLimiter(1.5)).toThrow(/whole number/);
  });
});
