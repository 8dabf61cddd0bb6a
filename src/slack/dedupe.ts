import type { Store } from '../use-cases/ports/store';
import { DELIVERY_MEMORY_MS } from './request-gate';

/**
 * True for the first delivery of a Slack request (keyed by its trigger_id), false for a copy of it.
 * A copy stays silent: the first delivery answers on the same response_url, and a second answer would
 * replace the first one's result with "in progress". The key is kept after the work so a late copy
 * is still recognised.
 */
export async function isFirstDelivery(store: Store, teamId: string, triggerId: string | undefined): Promise<boolean> {
  if (triggerId === undefined || triggerId === '') return true;
  const key = `delivery:${teamId}:${triggerId}`;
  const claim = await store.claims.claim(key, DELIVERY_MEMORY_MS);
  if (!claim.claimed) return false;
  await store.claims.complete(key, { seen: true });
  return true;
}
