import type { NapterApi } from '../domain/napter-api';
import type { Clock } from '../common/clock';
import type { NapterStore, StoredMapping } from '../storage/types';

export interface CloseMappingDeps {
  readonly api: NapterApi;
  readonly store: NapterStore;
  readonly clock: Clock;
}

export interface CloseMappingRequest {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  /** The public endpoint SORACOM deletes by. */
  readonly ipAddress: string;
  readonly port: number;
  /** The bot's own row for it, when the bot opened (or reused) it. */
  readonly stored: StoredMapping | undefined;
  readonly simId?: string;
  readonly devicePort?: number;
}

export type CloseMappingOutcome =
  | { readonly kind: 'closed'; readonly mapping: StoredMapping | undefined }
  /** SORACOM no longer had it (expired or deleted elsewhere); the bot's row is closed all the same. */
  | { readonly kind: 'already-gone'; readonly mapping: StoredMapping | undefined }
  /** The bot's row says someone already closed it. */
  | { readonly kind: 'already-closed'; readonly mapping: StoredMapping; readonly byUserId: string }
  /** Another close of the same mapping is running right now. */
  | { readonly kind: 'in-progress' };

const CLOSE_KEY_TTL_MS = 60 * 1000;

/**
 * Deletes one mapping early, at most once: a double click or a second user's click finds the key taken
 * (running) or the row closed (done). Authorization is the caller's job (it knows the Slack user groups).
 */
export async function closeMapping(deps: CloseMappingDeps, request: CloseMappingRequest): Promise<CloseMappingOutcome> {
  if (request.stored?.closed !== undefined) {
    return { kind: 'already-closed', mapping: request.stored, byUserId: request.stored.closed.byUserId };
  }
  const key = `close:${request.stored?.id ?? `${request.ipAddress}:${request.port}`}`;
  const claim = deps.store.claimIdempotencyKey(key, CLOSE_KEY_TTL_MS);
  if (!claim.claimed) {
    const current = request.stored === undefined ? undefined : deps.store.getMapping(request.stored.id);
    if (current?.closed !== undefined) return { kind: 'already-closed', mapping: current, byUserId: current.closed.byUserId };
    return { kind: 'in-progress' };
  }
  try {
    const existed = await deps.api.deletePortMapping(request.ipAddress, request.port);
    const atMs = deps.clock.nowMs();
    if (request.stored !== undefined) deps.store.markMappingClosed(request.stored.id, { byUserId: request.userId, atMs });
    deps.store.recordLedger({
      kind: 'close',
      teamId: request.teamId,
      userId: request.userId,
      channelId: request.channelId,
      simId: request.stored?.simId ?? request.simId,
      imsi: request.stored?.imsi,
      mappingId: request.stored?.id,
      devicePort: request.stored?.devicePort ?? request.devicePort,
      details: { existed, endpointKnownToBot: request.stored !== undefined },
    });
    const mapping = request.stored === undefined ? undefined : deps.store.getMapping(request.stored.id);
    // Only the bot's own row remembers the close; a bare endpoint may be handed out again by SORACOM later.
    if (request.stored !== undefined) deps.store.completeIdempotencyKey(key, { closed: true });
    else deps.store.releaseIdempotencyKey(key);
    return existed ? { kind: 'closed', mapping } : { kind: 'already-gone', mapping };
  } catch (error) {
    deps.store.releaseIdempotencyKey(key);
    throw error;
  }
}
