import { createKeyedTurns } from '../../src/common/keyed-turns';

/** A piece of work that ends when the test says so, noting when it started. */
function held(log: string[], name: string, fails = false) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const work = async () => {
    log.push(`start ${name}`);
    await released;
    log.push(`end ${name}`);
    if (fails) throw new Error(`${name} failed`);
    return name;
  };
  return { work, release };
}

const turns = () => new Promise((resolve) => setImmediate(resolve));

describe('keyed turns', () => {
  it('runs one piece at a time per key, in the order asked, while other keys go on', async () => {
    const queue = createKeyedTurns();
    const log: string[] = [];
    const [a1, a2, b1] = [held(log, 'a1'), held(log, 'a2'), held(log, 'b1')];
    const results = [queue.run('a', a1.work), queue.run('a', a2.work), queue.run('b', b1.work)];
    await turns();
    expect(log).toEqual(['start a1', 'start b1']);
    a2.release();
    await turns();
    expect(log).toEqual(['start a1', 'start b1']);
    a1.release();
    b1.release();
    await expect(Promise.all(results)).resolves.toEqual(['a1', 'a2', 'b1']);
    expect(log).toEqual(['start a1', 'start b1', 'end a1', 'end b1', 'start a2', 'end a2']);
  });

  it('a failure is its own piece’s: the next one runs, and an idle key is forgotten', async () => {
    const queue = createKeyedTurns();
    const log: string[] = [];
    const [first, second] = [held(log, 'first', true), held(log, 'second')];
    const failing = queue.run('k', first.work);
    const next = queue.run('k', second.work);
    expect(queue.size).toBe(1);
    first.release();
    second.release();
    await expect(failing).rejects.toThrow('first failed');
    await expect(next).resolves.toBe('second');
    await turns();
    expect(queue.size).toBe(0);
  });
});
