/**
 * Keeps every promise started after an ack, so that tests can wait for the bot to be idle without
 * sleeping, and shutdown can let running work finish before the store closes.
 */
export interface TaskTracker {
  /** Runs `work` now and tracks it until it settles. A failure is logged by `onError`, then rethrown to the caller. */
  run<T>(label: string, work: () => Promise<T>): Promise<T>;
  /** Resolves once no tracked work is left, including work started while waiting. */
  settle(): Promise<void>;
  readonly pending: number;
}

export function createTaskTracker(onError: (label: string, error: unknown) => void): TaskTracker {
  const running = new Set<Promise<unknown>>();
  return {
    run<T>(label: string, work: () => Promise<T>): Promise<T> {
      const promise = (async () => work())();
      const tracked = promise.then(
        () => undefined,
        (error: unknown) => onError(label, error),
      );
      running.add(tracked);
      void tracked.finally(() => running.delete(tracked));
      return promise;
    },
    async settle(): Promise<void> {
      while (running.size > 0) {
        await Promise.allSettled([...running]);
      }
    },
    get pending(): number {
      return running.size;
    },
  };
}
