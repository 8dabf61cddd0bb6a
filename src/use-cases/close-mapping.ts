import { z } from 'zod';
import type { NapterApi } from '../domain/napter-api';
import type { Clock } from '../common/clock';
import { errorCodeOf } from '../common/errors';
import type { InFlight, Store, StoredMapping } from './ports/store';
import type { ReplyRoute } from './reply-route';
import { endWatchOf } from './watch-end';

export interface CloseMappingDeps {
  readonly api: NapterApi;
  readonly store: Store;
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
  readonly simId?: string | undefined;
  readonly devicePort?: number | undefined;
  /** The user action it serves, and how to reach that user if this process dies first. */
  readonly requestKey?: string | undefined;
  readonly reply?: ReplyRoute | undefined;
}

export type CloseMappingOutcome =
  /** `flightId`: the in-flight row to settle once the closer and the channel have been told. */
  | { readonly kind: 'closed'; readonly mapping: StoredMapping | undefined; readonly flightId: string }
  /** SORACOM no longer had it (expired or deleted elsewhere); the bot's row is closed all the same. */
  | { readonly kind: 'already-gone'; readonly mapping: StoredMapping | undefined; readonly flightId: string }
  /** The bot's row says someone already closed it. */
  | { readonly kind: 'already-closed'; readonly mapping: StoredMapping; readonly byUserId: string }
  /** Another close of the same mapping is running right now. */
  | { readonly kind: 'in-progress' };

const CLOSE_KEY_TTL_MS = 60 * 1000;

/** What a close in flight deletes, as its row keeps it. */
const CLOSE_PARAMS = z.object({
  v: z.literal(1),
  ipAddress: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  mappingId: z.string().optional(),
  devicePort: z.number().int().optional(),
});
export type CloseParams = z.infer<typeof CLOSE_PARAMS>;

export function closeParamsOf(flight: InFlight): CloseParams | undefined {
  const parsed = CLOSE_PARAMS.safeParse(flight.params);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Deletes one mapping early, at most once: a double click or a second user's click finds the key taken
 * (running) or the row closed (done). The intent is written before the delete, so a process that dies during
 * it leaves a row the next start finishes (a delete can be sent again: SORACOM answers 404 once it is gone).
 * Authorization is the caller's job (it knows the Slack user groups).
 */
export async function closeMapping(deps: CloseMappingDeps, request: CloseMappingRequest): Promise<CloseMappingOutcome> {
  if (request.stored?.closed !== undefined) {
    return { kind: 'already-closed', mapping: request.stored, byUserId: request.stored.closed.byUserId };
  }
  const key = `close:${request.stored?.id ?? `${request.ipAddress}:${request.port}`}`;
  const claim = await deps.store.claims.claim(key, CLOSE_KEY_TTL_MS);
  if (!claim.claimed) {
    const current = request.stored === undefined ? undefined : await deps.store.mappings.get(request.stored.id);
    if (current?.closed !== undefined) return { kind: 'already-closed', mapping: current, byUserId: current.closed.byUserId };
    return { kind: 'in-progress' };
  }
  const simId = request.stored?.simId ?? request.simId;
  const devicePort = request.stored?.devicePort ?? request.devicePort;
  const params: CloseParams = {
    v: 1,
    ipAddress: request.ipAddress,
    port: request.port,
    mappingId: request.stored?.id,
    devicePort,
  };
  const flight = await deps.store.inflight.begin({
    kind: 'close',
    requestKey: request.requestKey ?? key,
    teamId: request.teamId,
    userId: request.userId,
    channelId: request.channelId,
    simId,
    state: 'deleting',
    params,
    reply: request.reply,
  });
  try {
    const existed = await deps.api.deletePortMapping(request.ipAddress, request.port);
    const mapping = await recordClosed(deps, flight, params, existed);
    // Only the bot's own row remembers the close; a bare endpoint may be handed out again by SORACOM later.
    if (request.stored !== undefined) await deps.store.claims.complete(key, { closed: true });
    else await deps.store.claims.release(key);
    return existed ? { kind: 'closed', mapping, flightId: flight.id } : { kind: 'already-gone', mapping, flightId: flight.id };
  } catch (error) {
    await deps.store.claims.release(key);
    await deps.store.inflight.update(flight.id, { state: 'failed', errorCode: errorCodeOf(error) });
    await deps.store.inflight.settle(flight.id);
    throw error;
  }
}

/** The close happened on SORACOM (or it was gone already): the row, the ledger and the in-flight row say so. */
async function recordClosed(deps: CloseMappingDeps, flight: InFlight, params: CloseParams, existed: boolean): Promise<StoredMapping | undefined> {
  const stored = params.mappingId === undefined ? undefined : await deps.store.mappings.get(params.mappingId);
  if (stored !== undefined) {
    const atMs = deps.clock.nowMs();
    await deps.store.mappings.markClosed(stored.id, { byUserId: flight.userId, atMs });
    // The closer and the channel hear of it from the close itself; the watch only stops telling.
    await endWatchOf(deps, stored.id, { how: 'closed', atMs, evidence: 'bot' }, { tell: false });
  }
  await deps.store.ledger.record({
    kind: 'close',
    teamId: flight.teamId,
    userId: flight.userId,
    channelId: flight.channelId,
    simId: stored?.simId ?? flight.simId,
    imsi: stored?.imsi,
    mappingId: stored?.id,
    devicePort: stored?.devicePort ?? params.devicePort,
    details: { existed, endpointKnownToBot: stored !== undefined },
  });
  await deps.store.inflight.update(flight.id, { state: 'closed' });
  return stored === undefined ? undefined : await deps.store.mappings.get(stored.id);
}

/**
 * Finishes a close cut off by a dying process: the delete is sent again (it is idempotent) unless the row
 * says it already went through. Returns the mapping as closed, or undefined when the row is not a close in
 * flight. Throws when SORACOM cannot be reached (the row stays for the next start).
 */
export async function finishCloseInFlight(
  deps: CloseMappingDeps,
  flightId: string,
): Promise<{ readonly mapping: StoredMapping | undefined; readonly flight: InFlight } | undefined> {
  const flight = await deps.store.inflight.get(flightId);
  const params = flight === undefined ? undefined : closeParamsOf(flight);
  if (flight === undefined || params === undefined || flight.kind !== 'close') return undefined;
  if (flight.state === 'closed') {
    return { mapping: params.mappingId === undefined ? undefined : await deps.store.mappings.get(params.mappingId), flight };
  }
  if (flight.state !== 'deleting') return undefined;
  const existed = await deps.api.deletePortMapping(params.ipAddress, params.port);
  const mapping = await recordClosed(deps, flight, params, existed);
  return { mapping, flight: (await deps.store.inflight.get(flightId)) ?? flight };
}
