import { BotError, errorCodeOf } from '../common/errors';
import { parseSourceRange } from '../domain/net/index';
import { rangeAdmits } from '../domain/port-mapping';
import type { PortMapping } from '../domain/soracom';
import { SoracomOutcomeUnknownError } from '../soracom/errors';
import { activeMappingsForSim } from './active-mappings';
import { adoptFromListing, UNDECIDED_GIVE_UP_MS } from './open-resolution';
import {
  createRequestOf,
  ledgerFields,
  type OpenMappingDeps,
  type OpenMappingOutcome,
  type OpenMappingRequest,
  openParamsOf,
  paramsOf,
  recordOpened,
  rememberMapping,
  sameOpen,
} from './open-records';
import type { InFlight, Store, StoredMapping } from './ports/store';
import { reminderLeadOf } from './watch-records';

const REQUEST_KEY_TTL_MS = 2 * 60 * 1000;
const LOCK_TTL_MS = 60 * 1000;
const LOCK_POLL_MS = 250;
const LOCK_POLLS = 40;
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
      reply: request.reply,
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
      await deps.store.inflight.update(flight.id, { state: 'failed', errorCode: errorCodeOf(error) });
      await deps.store.inflight.settle(flight.id);
    }
    throw error;
  } finally {
    if (locked) await deps.store.claims.release(lockKey);
  }
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
    const replaced = request.replaces !== undefined && mapping.ipAddress === request.replaces.ipAddress && mapping.port === request.replaces.port;
    const fits =
      !replaced &&
      mapping.destination.port === request.devicePort &&
      mapping.tlsRequired === request.tlsRequired &&
      mapping.sourceIpRanges.some((range) => rangeAdmits(range, request.sourceCidr));
    if (fits && (await mayReveal(deps.store, mapping, request))) admitting.push(mapping);
  }
  const [best] = admitting.sort((a, b) => b.expiresAtMs - a.expiresAtMs);
  if (best !== undefined) {
    const known = await deps.store.mappings.findByEndpoint(best.ipAddress, best.port);
    const mapping =
      known !== undefined && known.closed === undefined ? known : await rememberMapping(deps.store, best, request, undefined, reminderLeadOf(deps));
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
  const mapping = await rememberMapping(deps.store, created, request, request.sourceKind, reminderLeadOf(deps));
  await deps.store.inflight.update(flight.id, { state: 'created', mappingId: mapping.id });
  await recordOpened(deps.store, request, mapping);
  return { kind: 'created', mapping, flightId: flight.id };
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
    throw new BotError(
      'OPEN_SOURCE_NOT_GLOBAL',
      `Refused to open a Napter mapping from ${sourceCidr} (${checked.error.code}): Napter admits only global source addresses.`,
    );
  }
}
