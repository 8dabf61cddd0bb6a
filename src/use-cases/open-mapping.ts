import { cidrContains, hostCidr, parseSourceRange } from '../domain/net/index';
import type { NapterApi } from '../domain/napter-api';
import type { PortMapping, SimSnapshot } from '../domain/soracom';
import type { Clock } from '../common/clock';
import { NapterBotError } from '../common/errors';
import type { LedgerInput, NapterStore, StoredMapping } from '../storage/types';

export interface OpenMappingDeps {
  readonly api: NapterApi;
  readonly store: NapterStore;
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
}

export type OpenMappingOutcome =
  | { readonly kind: 'created'; readonly mapping: StoredMapping }
  /** An active mapping to the same device port already admits the source: nothing new was created. */
  | { readonly kind: 'reused'; readonly mapping: StoredMapping }
  /** An identical request is still running after the wait: the user sees its result there. */
  | { readonly kind: 'in-progress' };

const REQUEST_KEY_TTL_MS = 2 * 60 * 1000;
const LOCK_TTL_MS = 60 * 1000;
const LOCK_POLL_MS = 250;
const LOCK_POLLS = 40;

/**
 * Opens (or reuses) a Napter mapping for one request. Two guards keep a double click, a redelivery or two
 * identical requests from creating two mappings: the per-request key replays a finished request's result,
 * and a lock on the mapping's parameters serialises identical requests, so the second one finds the first
 * one's mapping through reuse-before-create. The client's own create never retries blindly either.
 */
export async function openMapping(deps: OpenMappingDeps, request: OpenMappingRequest): Promise<OpenMappingOutcome> {
  assertGlobalSource(request.sourceCidr);
  const requestKey = `open-request:${request.requestKey}`;
  const claim = deps.store.claimIdempotencyKey(requestKey, REQUEST_KEY_TTL_MS);
  if (!claim.claimed) {
    const replayed = replayedMapping(deps.store, claim.result);
    return replayed === undefined ? { kind: 'in-progress' } : { kind: 'reused', mapping: replayed };
  }

  const lockKey = `open-lock:${request.teamId}:${request.sim.simId}:${request.devicePort}:${request.tlsRequired}:${request.sourceCidr}`;
  let locked = false;
  try {
    for (let attempt = 0; attempt < LOCK_POLLS && !locked; attempt += 1) {
      locked = deps.store.claimIdempotencyKey(lockKey, LOCK_TTL_MS).claimed;
      if (!locked) await deps.sleep(LOCK_POLL_MS);
    }
    if (!locked) {
      deps.store.releaseIdempotencyKey(requestKey);
      return { kind: 'in-progress' };
    }
    const outcome = await openUnderLock(deps, request);
    deps.store.completeIdempotencyKey(requestKey, { mappingId: outcome.mapping.id });
    return outcome;
  } catch (error) {
    deps.store.releaseIdempotencyKey(requestKey);
    throw error;
  } finally {
    if (locked) deps.store.releaseIdempotencyKey(lockKey);
  }
}

/**
 * Reusing a mapping shows its endpoint to the requester. A typed range proves nothing about where the
 * requester is (anyone can type the /24 they read off a masked card), and neither does an address a browser
 * reported: with those only the requester's own mappings are reused. An address the server itself saw (the IP
 * page, or `last`, which only ever holds such an address) may reuse any mapping that admits it.
 */
function mayReveal(store: NapterStore, mapping: PortMapping, request: OpenMappingRequest): boolean {
  if (request.sourceKind === 'me' || request.sourceKind === 'last') return true;
  const known = store.findMappingByEndpoint(mapping.ipAddress, mapping.port);
  return known !== undefined && known.closed === undefined && known.openedBy.userId === request.userId && known.openedBy.teamId === request.teamId;
}

async function openUnderLock(
  deps: OpenMappingDeps,
  request: OpenMappingRequest,
): Promise<{ kind: 'created' | 'reused'; mapping: StoredMapping }> {
  const nowMs = deps.clock.nowMs();
  const active = await activeMappingsForSim(deps.api, request.sim, nowMs);
  const admitting = active
    .filter(
      (mapping) =>
        mapping.destination.port === request.devicePort &&
        mapping.tlsRequired === request.tlsRequired &&
        mapping.sourceIpRanges.some((range) => rangeAdmits(range, request.sourceCidr)) &&
        mayReveal(deps.store, mapping, request),
    )
    .sort((a, b) => b.expiresAtMs - a.expiresAtMs);
  const [best] = admitting;
  if (best !== undefined) {
    const known = deps.store.findMappingByEndpoint(best.ipAddress, best.port);
    const mapping = known !== undefined && known.closed === undefined ? known : rememberMapping(deps.store, best, request);
    deps.store.recordLedger({
      kind: 'reuse',
      ...ledgerFields(request, mapping),
      details: { source: request.sourceKind, requestKey: request.requestKey },
    });
    return { kind: 'reused', mapping };
  }

  const created = await deps.api.createPortMapping({
    target: { kind: 'sim', simId: request.sim.simId, service: 'air' },
    devicePort: request.devicePort,
    durationSec: request.durationSec,
    tlsRequired: request.tlsRequired,
    sourceIpRanges: [request.sourceCidr],
  });
  const mapping = rememberMapping(deps.store, created, request);
  deps.store.recordLedger({
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
  return { kind: 'created', mapping };
}

/** What the ledger records of an open or a reuse besides its kind and details. */
function ledgerFields(request: OpenMappingRequest, mapping: StoredMapping): Omit<LedgerInput, 'kind' | 'details'> {
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
export async function activeMappingsForSim(api: NapterApi, sim: SimSnapshot, nowMs: number): Promise<PortMapping[]> {
  const [bySim, ...byImsi] = await Promise.all([
    api.listPortMappingsForSim(sim.simId),
    ...sim.imsis.map((imsi) => api.listPortMappingsForSubscriber(imsi)),
  ]);
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

function rememberMapping(store: NapterStore, mapping: PortMapping, request: OpenMappingRequest): StoredMapping {
  const imsi = mapping.destination.imsi ?? request.sim.imsi;
  return store.saveMapping({
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

function replayedMapping(store: NapterStore, result: unknown): StoredMapping | undefined {
  if (typeof result !== 'object' || result === null || !('mappingId' in result)) return undefined;
  const mappingId = (result as { mappingId: unknown }).mappingId;
  return typeof mappingId === 'string' ? store.getMapping(mappingId) : undefined;
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
