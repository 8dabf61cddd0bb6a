import type { NapterStore } from '../storage/types';

/** How long a delivery is remembered: longer than Slack (or a proxy) would take to send it again. */
const DELIVERY_TTL_MS = 10 * 60 * 1000;

/**
 * True for the first delivery of a Slack request (keyed by its trigger_id), false for a copy of it.
 * A copy stays silent: the first delivery answers on the same response_url, and a second answer would
 * replace the first one's result with "in progress". The key is kept after the work so a late copy
 * is still recognised.
 */
export function isFirstDelivery(store: NapterStore, teamId: string, triggerId: string | undefined): boolean {
  if (triggerId === undefined || triggerId === '') return true;
  const key = `delivery:${teamId}:${triggerId}`;
  const claim = store.claimIdempotencyKey(key, DELIVERY_TTL_MS);
  if (!claim.claimed) return false;
  store.completeIdempotencyKey(key, { seen: true });
  return true;
}
