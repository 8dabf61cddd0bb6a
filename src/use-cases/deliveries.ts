import type { UseCaseDeps } from './deps';

/**
 * True for the first delivery of a request, false for a copy of it (Slack retries a slow ack; Socket Mode may
 * send an envelope again after a reconnect). One rule for every kind of request: its id is remembered for
 * `memoryMs`, longer than a copy of it can still arrive, and kept after the work so a late copy is recognised.
 */
export async function firstDelivery(deps: Pick<UseCaseDeps, 'store'>, requestId: string, memoryMs: number): Promise<boolean> {
  const key = `delivery:${requestId}`;
  if (!(await deps.store.claims.claim(key, memoryMs)).claimed) return false;
  await deps.store.claims.complete(key, true);
  return true;
}
