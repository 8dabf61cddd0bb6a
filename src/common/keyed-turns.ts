/**
 * Work run one piece at a time per key, in the order it was asked for: a piece that reads stored state when its
 * turn comes and then sends it (a Slack message redrawn in place) can never be overtaken by an older piece for the
 * same key. A failure ends only its own piece. A key is forgotten once nothing waits on it.
 */
export interface KeyedTurns {
  /** `work` once every piece asked for `key` before it has settled; its result or failure. */
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
  /** Keys with a piece running or waiting. */
  readonly size: number;
}

export function createKeyedTurns(): KeyedTurns {
  const tails = new Map<string, Promise<void>>();
  return {
    run(key, work) {
      const running = (tails.get(key) ?? Promise.resolve()).then(work);
      const settled = running.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return running;
    },
    get size() {
      return tails.size;
    },
  };
}
