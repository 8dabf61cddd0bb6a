import { findCreatedMapping } from '../soracom/client';
import type { PortMapping } from '../domain/soracom';
import { activeMappingsForSim } from './active-mappings';
import { createRequestOf, type OpenMappingDeps, openParamsOf, recordOpened, rememberMapping } from './open-records';
import { reminderLeadOf } from './watch-records';
import type { InFlight, StoredMapping } from './ports/store';

/**
 * How far SORACOM's clock may be behind ours when a mapping made by a lost create is looked for: one created
 * up to this long before the create was sent still counts as its own (as the client does for its own look).
 */
const SERVER_CLOCK_TOLERANCE_MS = 30_000;
export /**
 * An open whose outcome stayed unknown this long (its requester was told to check the list) no longer holds back
 * a new one with the same parameters, once a listing that went through shows nothing it made.
 */
const UNDECIDED_GIVE_UP_MS = 5 * 60 * 1000;

/**
 * The mapping an open in flight made, if SORACOM's listing shows one that no row of the bot claims yet: it is
 * recorded for that open's requester (row, ledger) and the open becomes `created`. A row already made for the
 * same request (the process died between the two writes) counts too. undefined when the listing shows nothing.
 */
export async function adoptFromListing(
  deps: Pick<OpenMappingDeps, 'store' | 'watch'>,
  flight: InFlight,
  listed: readonly PortMapping[],
): Promise<StoredMapping | undefined> {
  const params = openParamsOf(flight);
  if (params === undefined || flight.simId === undefined) return undefined;
  const candidates: PortMapping[] = [];
  for (const mapping of listed) {
    const stored = await deps.store.mappings.findByEndpoint(mapping.ipAddress, mapping.port);
    if (stored === undefined || stored.closed !== undefined || stored.requestKey === flight.requestKey) candidates.push(mapping);
  }
  const made = findCreatedMapping(candidates, createRequestOf(flight.simId, params), flight.startedAtMs - SERVER_CLOCK_TOLERANCE_MS);
  if (made === undefined) return undefined;
  const existing = await deps.store.mappings.findByEndpoint(made.ipAddress, made.port);
  const request = {
    teamId: flight.teamId,
    userId: flight.userId,
    channelId: flight.channelId,
    sim: { simId: flight.simId, imsi: params.imsi },
    devicePort: params.devicePort,
    durationSec: params.durationSec,
    tlsRequired: params.tlsRequired,
    sourceCidr: params.sourceCidr,
    sourceKind: params.sourceKind,
    requestKey: flight.requestKey,
    reason: params.reason,
    protocol: params.protocol,
    replaces: params.replaces,
  };
  const mapping =
    existing !== undefined && existing.requestKey === flight.requestKey && existing.closed === undefined
      ? existing
      : await rememberMapping(deps.store, made, request, request.sourceKind, reminderLeadOf(deps));
  await deps.store.inflight.update(flight.id, { state: 'created', mappingId: mapping.id });
  await recordOpened(deps.store, request, mapping);
  return mapping;
}

export type OpenResolution =
  | { readonly kind: 'adopted'; readonly mapping: StoredMapping; readonly flight: InFlight }
  /** SORACOM shows nothing it made: the open failed and nothing is left on SORACOM. */
  | { readonly kind: 'not-created'; readonly flight: InFlight }
  /** SORACOM could not be asked (its listing failed every time): still unknown. */
  | { readonly kind: 'still-unknown'; readonly flight: InFlight };

/** How hard `resolveOpenInFlight` looks: the waits before each look, and how many answered looks without the mapping are proof. */
export interface ResolveSchedule {
  readonly waitsMs: readonly number[];
  readonly conclusiveLooks: number;
}

/** While the requester waits: a few looks within seconds, then slower ones while SORACOM does not answer. */
export const WHILE_WAITING: ResolveSchedule = { waitsMs: [500, 1500, 3000, 8000, 15_000, 30_000, 60_000], conclusiveLooks: 2 };
/** At start, after the process died: time has passed already, one answered look decides. */
export const AFTER_RESTART: ResolveSchedule = { waitsMs: [0], conclusiveLooks: 1 };

/**
 * Settles an open whose create may or may not have gone through (`creating` or `unknown`) from SORACOM's
 * listing: a mapping it made is adopted; `conclusiveLooks` answered listings without one mean nothing was
 * created (SORACOM answers a create after committing it, so a later listing shows what it made). The request's
 * key is completed or released accordingly. The row is not settled: the caller does that once it has told the
 * requester.
 */
export async function resolveOpenInFlight(
  deps: Pick<OpenMappingDeps, 'api' | 'store' | 'clock' | 'sleep'>,
  flightId: string,
  schedule: ResolveSchedule,
): Promise<OpenResolution | undefined> {
  const flight = await deps.store.inflight.get(flightId);
  if (flight === undefined || flight.kind !== 'open' || flight.simId === undefined) return undefined;
  // Another request with the same parameters found SORACOM's mapping meanwhile and adopted it for this one.
  const adoptedMeanwhile = flight.state === 'created' && flight.mappingId !== undefined ? await deps.store.mappings.get(flight.mappingId) : undefined;
  if (adoptedMeanwhile !== undefined) return { kind: 'adopted', mapping: adoptedMeanwhile, flight };
  if (flight.state !== 'creating' && flight.state !== 'unknown') return undefined;
  const simId = flight.simId;
  const imsi = openParamsOf(flight)?.imsi;
  let answeredLooks = 0;
  for (const waitMs of schedule.waitsMs) {
    if (waitMs > 0) await deps.sleep(waitMs);
    let listed: PortMapping[];
    try {
      listed = await activeMappingsForSim(deps.api, { simId, imsis: imsi === undefined ? [] : [imsi] }, deps.clock.nowMs());
    } catch {
      continue;
    }
    const adopted = await adoptFromListing(deps, flight, listed);
    if (adopted !== undefined) {
      await deps.store.claims.complete(`open-request:${flight.requestKey}`, { mappingId: adopted.id });
      return { kind: 'adopted', mapping: adopted, flight: (await deps.store.inflight.get(flightId)) ?? flight };
    }
    answeredLooks += 1;
    if (answeredLooks >= schedule.conclusiveLooks) {
      await deps.store.inflight.update(flightId, { state: 'failed', errorCode: 'OPEN_NOT_CREATED' });
      await deps.store.claims.release(`open-request:${flight.requestKey}`);
      return { kind: 'not-created', flight: (await deps.store.inflight.get(flightId)) ?? flight };
    }
  }
  return { kind: 'still-unknown', flight };
}
