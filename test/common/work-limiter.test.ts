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

describe('work limiter', () => {
  it('runs at most the limit at once and the rest in the order they came', async () => {
    const limiter = createWorkLimiter(2);
    const pieces = [held('a'), held('b'), held('c'), held('d')];
    const results = pieces.map((piece) => limiter.run(piece.work));
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
    });
    const next = held('next');
    const after = limiter.run(next.work);
    await expect(failing).rejects.toThrow('boom');
    await turns();
    expect(next.started.yes).toBe(true);
    next.release();
    await expect(after).resolves.toBe('next');
    expect(limiter.running).toBe(0);
  });

  it('refuses a limit that would run nothing', () => {
    expect(() => createWorkLimiter(0)).toThrow(RangeError);
    expect(() => createWorkLimiter(1.5)).toThrow(/whole number/);
  });
});
