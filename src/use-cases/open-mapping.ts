import { z } from 'zod';
import { cidrContains, hostCidr, parseSourceRange } from '../domain/net/index';
import type { NapterApi } from '../domain/napter-api';
import type { PortMapping, SimSnapshot } from '../domain/soracom';
import type { Clock } from '../common/clock';
import { errorCode, NapterBotError } from '../common/errors';
import { findCreatedMapping } from '../soracom/client';
import { SoracomOutcomeUnknownError } from '../soracom/errors';
import type { InFlight, LedgerInput, Store, StoredMapping } from './ports/store';

export interface OpenMappingDeps {
  readonly api: NapterApi;
  readonly store: Store;
  readonly clock: Clock;
  /** Waits between looks at a concurrent identical request. */
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * How the source range was chosen; kept in the ledger so "Open again" can repeat it. `me`: the IP page saw the
 * address itself; `last`: such an address, remembered; `claimed`: the IP page saw only a private peer and took
 * the address the browser reported; `cidr`: typed, or picked from the audit log.
 */
export type SourceKind = 'me' | 'last' | 'claimed' | 'cidr';

export interface OpenMappingRequest {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly sim: SimSnapshot;
  readonly devicePort: number;
  readonly durationSec: number;
  readonly tlsRequired: boolean;
  /** Normalised CIDR (an address is /32 or /128). */
  readonly sourceCidr: string;
  readonly sourceKind: SourceKind;
  /**
   * Unique per user action (a slash command's trigger_id, a click's trigger_id, an IP capture's id):
   * a redelivered request with the same key gets the mapping its first delivery made.
   */
  readonly requestKey: string;
  /** `retry` for Open again and fixes; recorded in the ledger. */
  readonly reason: 'open' | 'retry';
  readonly protocol?: string;
  /** How to reach the requester if this process dies before telling them (kept with the in-flight row, opaque here). */
  readonly reply?: unknown;
}

export type OpenMappingOutcome =
  /** `flightId`: the in-flight row to settle once the requester has been told. */
  | { readonly kind: 'created'; readonly mapping: StoredMapping; readonly flightId: string }
  /** An active mapping to the same device port already admits the source: nothing new was created. */
  | { readonly kind: 'reused'; readonly mapping: StoredMapping; readonly flightId?: string }
  /** An identical request is still running after the wait (or an earlier one's outcome is still unknown). */
  | { readonly kind: 'in-progress' }
  /**
   * SORACOM's answer to the create was lost and its listing does not show a mapping (yet): it may still appear.
   * Nothing else is created for this request; `resolveOpenInFlight` looks again and settles it.
   */
  | { readonly kind: 'unknown'; readonly flightId: string };

const REQUEST_KEY_TTL_MS = 2 * 60 * 1000;
const LOCK_TTL_MS = 60 * 1000;
const LOCK_POLL_MS = 250;
const LOCK_POLLS = 40;
/**
 * How far SORACOM's clock may be behind ours when a mapping made by a lost create is looked for: one created
 * up to this long before the create was sent still counts as its own (as the client does for its own look).
 */
const SERVER_CLOCK_TOLERANCE_MS = 30_000;
/**
 * An open whose outcome stayed unknown this long (its requester was told to check the list) no longer holds back
 * a new one with the same parameters, once a listing that went through shows nothing it made.
 */
const UNDECIDED_GIVE_UP_MS = 5 * 60 * 1000;

/** What an open in flight is doing, as its row keeps it (versioned: a newer process reads an older row). */
const OPEN_PARAMS = z.object({
  v: z.literal(1),
  devicePort: z.number().int().min(1).max(65535),
  tlsRequired: z.boolean(),
  sourceCidr: z.string().min(1),
  sourceKind: z.enum(['me', 'last', 'claimed', 'cidr']),
  durationSec: z.number().int().min(1),
  reason: z.enum(['open', 'retry']),
  protocol: z.string().optional(),
  imsi: z.string().optional(),
});
export type OpenParams = z.infer<typeof OPEN_PARAMS>;

/** The parameters of an open in flight; undefined for a row this version cannot read. */
export function openParamsOf(flight: InFlight): OpenParams | undefined {
  const parsed = OPEN_PARAMS.safeParse(flight.params);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Opens (or reuses) a Napter mapping for one request, crash-safe and at most once:
 * - the per-request key replays a finished request's result (a double click, a redelivery);
 * - a lock on the mapping's parameters serialises identical requests, so the second one finds the first one's
 *   mapping through reuse-before-create;
 * - the intent is written before anything is sent to SORACOM (an in-flight row with the request's parameters),
 *   so a process that dies mid-way leaves a row that the next start finishes (`reconcileInFlight`);
 * - a create whose answer is lost (or unreadable) is never sent again: SORACOM's listing decides, now or later,
 *   and until it has, another request with the same parameters adopts what it made or waits.
 */
export async function openMapping(deps: OpenMappingDeps, request: OpenMappingRequest): Promise<OpenMappingOutcome> {
  assertGlobalSource(request.sourceCidr);
  const requestKey = `open-request:${request.requestKey}`;
  const claim = await deps.store.claims.claim(requestKey, REQUEST_KEY_TTL_MS);
  if (!claim.claimed) {
    const replayed = await replayedMapping(deps.store, claim.result);
    return replayed === undefined ? { kind: 'in-progress' } : { kind: 'reused', mapping: replayed };
  }

  const lockKey = `open-lock:${request.teamId}:${request.sim.simId}:${request.devicePort}:${request.tlsRequired}:${request.sourceCidr}`;
  let locked = false;
  let flight: InFlight | undefined;
  try {
    for (let attempt = 0; attempt < LOCK_POLLS && !locked; attempt += 1) {
      locked = (await deps.store.claims.claim(lockKey, LOCK_TTL_MS)).claimed;
      if (!locked) await deps.sleep(LOCK_POLL_MS);
    }
    if (!locked) {
      await deps.store.claims.release(requestKey);
      return { kind: 'in-progress' };
    }
    flight = await deps.store.inflight.begin({
      kind: 'open',
      requestKey: request.requestKey,
      teamId: request.teamId,
      userId: request.userId,
      channelId: request.channelId,
      simId: request.sim.simId,
      state: 'started',
      params: paramsOf(request),
      ...(request.reply === undefined ? {} : { reply: request.reply }),
    });
    const outcome = await openUnderLock(deps, request, flight);
    switch (outcome.kind) {
      case 'created':
      case 'reused':
        await deps.store.claims.complete(requestKey, { mappingId: outcome.mapping.id });
        break;
      case 'in-progress':
        await deps.store.claims.release(requestKey);
        break;
      case 'unknown':
        // The key stays claimed: a redelivery of this request must not create while the outcome is open.
        break;
    }
    return outcome;
  } catch (error) {
    await deps.store.claims.release(requestKey);
    if (flight !== undefined) {
      // The caller tells the requester about the failure; nothing on SORACOM is left to finish.
      await deps.store.inflight.update(flight.id, { state: 'failed', errorCode: errorCode(error) });
      await deps.store.inflight.settle(flight.id);
    }
    throw error;
  } finally {
    if (locked) await deps.store.claims.release(lockKey);
  }
}

function paramsOf(request: OpenMappingRequest): OpenParams {
  return {
    v: 1,
    devicePort: request.devicePort,
    tlsRequired: request.tlsRequired,
    sourceCidr: request.sourceCidr,
    sourceKind: request.sourceKind,
    durationSec: request.durationSec,
    reason: request.reason,
    ...(request.protocol === undefined ? {} : { protocol: request.protocol }),
    ...(request.sim.imsi === undefined ? {} : { imsi: request.sim.imsi }),
  };
}

/**
 * Reusing a mapping shows its endpoint to the requester. A typed range proves nothing about where the
 * requester is (anyone can type the /24 they read off a masked card), and neither does an address a browser
 * reported: with those only the requester's own mappings are reused. An address the server itself saw (the IP
 * page, or `last`, which only ever holds such an address) may reuse any mapping that admits it.
 */
async function mayReveal(store: Store, mapping: PortMapping, request: OpenMappingRequest): Promise<boolean> {
  if (request.sourceKind === 'me' || request.sourceKind === 'last') return true;
  const known = await store.mappings.findByEndpoint(mapping.ipAddress, mapping.port);
  return known !== undefined && known.closed === undefined && known.openedBy.userId === request.userId && known.openedBy.teamId === request.teamId;
}

async function openUnderLock(deps: OpenMappingDeps, request: OpenMappingRequest, flight: InFlight): Promise<OpenMappingOutcome> {
  const nowMs = deps.clock.nowMs();
  const active = await activeMappingsForSim(deps.api, request.sim, nowMs);

  // Earlier opens with these very parameters whose create may have gone through: what SORACOM shows now is
  // theirs (adopted for whoever asked); one still unaccounted for blocks a second create until it is settled.
  const undecided = (await deps.store.inflight.list({ kind: 'open', simId: request.sim.simId, unsettled: true })).filter(
    (other) => other.id !== flight.id && (other.state === 'creating' || other.state === 'unknown') && sameOpen(openParamsOf(other), request),
  );
  for (const other of undecided) {
    if ((await adoptFromListing(deps, other, active)) !== undefined) continue;
    if (nowMs - other.startedAtMs > UNDECIDED_GIVE_UP_MS) {
      // Long past any create SORACOM could still commit, and this listing went through: it made nothing.
      await deps.store.inflight.update(other.id, { state: 'failed', errorCode: 'OPEN_NOT_CREATED' });
      await deps.store.inflight.settle(other.id);
      continue;
    }
    await deps.store.inflight.update(flight.id, { state: 'failed', errorCode: 'OPEN_OUTCOME_PENDING' });
    await deps.store.inflight.settle(flight.id);
    return { kind: 'in-progress' };
  }

  const admitting: PortMapping[] = [];
  for (const mapping of active) {
    const fits =
      mapping.destination.port === request.devicePort &&
      mapping.tlsRequired === request.tlsRequired &&
      mapping.sourceIpRanges.some((range) => rangeAdmits(range, request.sourceCidr));
    if (fits && (await mayReveal(deps.store, mapping, request))) admitting.push(mapping);
  }
  const [best] = admitting.sort((a, b) => b.expiresAtMs - a.expiresAtMs);
  if (best !== undefined) {
    const known = await deps.store.mappings.findByEndpoint(best.ipAddress, best.port);
    const mapping = known !== undefined && known.closed === undefined ? known : await rememberMapping(deps.store, best, request);
    await deps.store.inflight.update(flight.id, { state: 'reused', mappingId: mapping.id });
    await deps.store.ledger.record({
      kind: 'reuse',
      ...ledgerFields(request, mapping),
      details: { source: request.sourceKind, requestKey: request.requestKey },
    });
    return { kind: 'reused', mapping, flightId: flight.id };
  }

  // From here the create may reach SORACOM: the row says so, with the time a lost answer's mapping is looked for from.
  await deps.store.inflight.update(flight.id, { state: 'creating', startedAtMs: deps.clock.nowMs() });
  let created: PortMapping;
  try {
    created = await deps.api.createPortMapping(createRequestOf(request.sim.simId, paramsOf(request)));
  } catch (error) {
    if (!(error instanceof SoracomOutcomeUnknownError)) throw error;
    await deps.store.inflight.update(flight.id, { state: 'unknown', errorCode: error.code });
    return { kind: 'unknown', flightId: flight.id };
  }
  const mapping = await rememberMapping(deps.store, created, request);
  await deps.store.inflight.update(flight.id, { state: 'created', mappingId: mapping.id });
  await recordOpened(deps.store, request, mapping);
  return { kind: 'created', mapping, flightId: flight.id };
}

async function recordOpened(
  store: Store,
  request: Omit<OpenMappingRequest, 'sim'> & { readonly sim: Pick<SimSnapshot, 'simId' | 'imsi'> },
  mapping: StoredMapping,
): Promise<void> {
  await store.ledger.record({
    kind: request.reason,
    ...ledgerFields(request, mapping),
    details: {
      source: request.sourceKind,
      durationSec: request.durationSec,
      tlsRequired: request.tlsRequired,
      requestKey: request.requestKey,
      ...(request.protocol === undefined ? {} : { protocol: request.protocol }),
    },
  });
}

function createRequestOf(simId: string, params: OpenParams) {
  return {
    target: { kind: 'sim' as const, simId, service: 'air' as const },
    devicePort: params.devicePort,
    durationSec: params.durationSec,
    tlsRequired: params.tlsRequired,
    sourceIpRanges: [params.sourceCidr],
  };
}

function sameOpen(params: OpenParams | undefined, request: Pick<OpenMappingRequest, 'devicePort' | 'tlsRequired' | 'sourceCidr'>): boolean {
  return (
    params !== undefined && params.devicePort === request.devicePort && params.tlsRequired === request.tlsRequired && params.sourceCidr === request.sourceCidr
  );
}

/**
 * The mapping an open in flight made, if SORACOM's listing shows one that no row of the bot claims yet: it is
 * recorded for that open's requester (row, ledger) and the open becomes `created`. A row already made for the
 * same request (the process died between the two writes) counts too. undefined when the listing shows nothing.
 */
async function adoptFromListing(deps: Pick<OpenMappingDeps, 'store'>, flight: InFlight, listed: readonly PortMapping[]): Promise<StoredMapping | undefined> {
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
    ...(params.protocol === undefined ? {} : { protocol: params.protocol }),
  };
  const mapping =
    existing !== undefined && existing.requestKey === flight.requestKey && existing.closed === undefined
      ? existing
      : await rememberMapping(deps.store, made, request);
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

/** What the ledger records of an open or a reuse besides its kind and details. */
function ledgerFields(
  request: Pick<OpenMappingRequest, 'teamId' | 'userId' | 'channelId' | 'devicePort' | 'sourceCidr'> & { readonly sim: Pick<SimSnapshot, 'simId' | 'imsi'> },
  mapping: StoredMapping,
): Omit<LedgerInput, 'kind' | 'details'> {
  return {
    teamId: request.teamId,
    userId: request.userId,
    channelId: request.channelId,
    simId: request.sim.simId,
    ...(request.sim.imsi === undefined ? {} : { imsi: request.sim.imsi }),
    mappingId: mapping.id,
    devicePort: request.devicePort,
    sourceCidr: request.sourceCidr,
  };
}

/** Active mappings of the SIM, whether made by SIM ID or by IMSI (SORACOM lists those separately). */
export async function activeMappingsForSim(api: NapterApi, sim: Pick<SimSnapshot, 'simId' | 'imsis'>, nowMs: number): Promise<PortMapping[]> {
  const [bySim, ...byImsi] = await Promise.all([api.listPortMappingsForSim(sim.simId), ...sim.imsis.map((imsi) => api.listPortMappingsForSubscriber(imsi))]);
  const seen = new Set<string>();
  const result: PortMapping[] = [];
  for (const mapping of [...(bySim ?? []), ...byImsi.flat()]) {
    const key = `${mapping.ipAddress}:${mapping.port}`;
    if (seen.has(key) || !isActive(mapping, nowMs)) continue;
    seen.add(key);
    result.push(mapping);
  }
  return result;
}

export function isActive(mapping: PortMapping, nowMs: number): boolean {
  return !mapping.expired && mapping.expiresAtMs > nowMs;
}

/** Whether `range` lets every address of `requested` through (a wider or equal range containing it). */
export function rangeAdmits(range: string, requested: string): boolean {
  const prefixOf = (cidr: string): number => Number(hostCidr(cidr).split('/')[1]);
  const [address = ''] = requested.split('/');
  return prefixOf(range) <= prefixOf(requested) && cidrContains(range, address);
}

async function rememberMapping(
  store: Store,
  mapping: PortMapping,
  request: Pick<OpenMappingRequest, 'teamId' | 'userId' | 'channelId' | 'sourceCidr' | 'requestKey'> & { readonly sim: Pick<SimSnapshot, 'simId' | 'imsi'> },
): Promise<StoredMapping> {
  const imsi = mapping.destination.imsi ?? request.sim.imsi;
  return store.mappings.save({
    simId: request.sim.simId,
    ...(imsi === undefined ? {} : { imsi }),
    ipAddress: mapping.ipAddress,
    port: mapping.port,
    ...(mapping.hostname === undefined ? {} : { hostname: mapping.hostname }),
    devicePort: mapping.destination.port,
    tlsRequired: mapping.tlsRequired,
    sourceCidr: mapping.sourceIpRanges[0] ?? request.sourceCidr,
    durationSec: mapping.durationSec,
    createdAtMs: mapping.createdAtMs,
    expiresAtMs: mapping.expiresAtMs,
    openedBy: { teamId: request.teamId, userId: request.userId },
    channelId: request.channelId,
    requestKey: request.requestKey,
  });
}

async function replayedMapping(store: Store, result: unknown): Promise<StoredMapping | undefined> {
  if (typeof result !== 'object' || result === null || !('mappingId' in result)) return undefined;
  const mappingId = (result as { mappingId: unknown }).mappingId;
  return typeof mappingId === 'string' ? store.mappings.get(mappingId) : undefined;
}

/** Any prefix length from /1 up: the policy's width limit is checked earlier, against the requester's rule. */
const ANY_WIDTH = { maxPrefixV4Width: 1, maxPrefixV6Width: 1 } as const;

/**
 * The last gate before SORACOM, whichever path produced the range (a typed CIDR, the IP page, `last`, an
 * address seen in DENIED events): only global addresses, never 0.0.0.0/0. Earlier layers already refuse
 * these with a friendly message, so reaching this throw is a bug, not a user error.
 */
function assertGlobalSource(sourceCidr: string): void {
  const checked = parseSourceRange(sourceCidr, ANY_WIDTH);
  if (!checked.ok) {
    throw new NapterBotError(
      'OPEN_SOURCE_NOT_GLOBAL',
      `Refused to open a Napter mapping from ${sourceCidr} (${checked.error.code}): Napter admits only global source addresses.`,
    );
  }
}
