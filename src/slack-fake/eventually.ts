import { NapterBotError } from '../common/errors';

/**
 * Waits (in real time) until `check` passes, for state that the app changes after its ack: in Socket
 * Mode, and in HTTP without processBeforeResponse, the work after `ack()` finishes after the driver
 * returns. `check` returns true, or throws (e.g. a failing `expect`) while the state is not there yet;
 * the last failure is rethrown at the deadline, so the test reports what was missing.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a check that asserts with `expect` returns nothing
export async function eventually(check: () => boolean | void, options: { timeoutMs?: number; intervalMs?: number } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const intervalMs = options.intervalMs ?? 10;
  const deadline = Date.now() + timeoutMs;
  let lastFailure: unknown;
  for (;;) {
    try {
      if (check() !== false) return;
      lastFailure = undefined;
    } catch (failure) {
      lastFailure = failure;
    }
    if (Date.now() >= deadline) {
      if (lastFailure !== undefined) throw lastFailure;
      throw new NapterBotError('fake_slack_eventually_timeout', `Condition still false after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
