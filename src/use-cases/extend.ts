import { errorCodeOf } from '../common/errors';
import { DEFAULT_EXTENSION_SEC, type ExtensionPlan, planExtension } from '../domain/expiry';
import type { MessageRef } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import { authorizeOrDeny } from './authorize';
import { type CloseMappingOutcome, closeMapping } from './close-mapping';
import type { Actor, UseCaseDeps } from './deps';
import { openMapping } from './open-mapping';
import { openParamsOf } from './open-records';
import type { InFlight, StoredMapping } from './ports/store';
import { parseReplyRoute, replyRoute } from './reply-route';
import { mappingEndOf } from './watch-view';

export interface ExtendRequest {
  readonly actor: Actor;
  readonly mappingId: string;
  readonly requestKey: string;
  readonly responseUrl: string | undefined;
  /** Default 30 minutes. */
  readonly extensionSec?: number | undefined;
}

export type ExtendOutcome =
  | { readonly kind: 'stale' }
  /** Only the person who opened it extends it (the new endpoint is theirs). */
  | { readonly kind: 'not-yours'; readonly mapping: StoredMapping }
  | { readonly kind: 'ended'; readonly mapping: StoredMapping; readonly atMs: number }
  | { readonly kind: 'sim-gone'; readonly mapping: StoredMapping }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  /** The plan says no (the policy's longest access reached, Napter's 8 hours): the mapping keeps its end. */
  | { readonly kind: 'refused'; readonly mapping: StoredMapping; readonly plan: ExtensionPlan; readonly policyMaxDurationSec: number }
  /** The new mapping could not be made (or its outcome is not known yet): the old one is untouched. */
  | { readonly kind: 'failed'; readonly mapping: StoredMapping; readonly reason: string }
  | {
      readonly kind: 'extended';
      readonly old: StoredMapping;
      readonly mapping: StoredMapping;
      readonly sim: SimSnapshot;
      readonly plan: ExtensionPlan;
      readonly policyMaxDurationSec: number;
      /** The in-flight row of the new mapping, to settle once the requester was told. */
      readonly flightId: string | undefined;
      /** How the old one's close went (undefined: it could not be closed now and ends on its own). */
      readonly closed: CloseMappingOutcome | undefined;
    };

/** When the chain of Extends that led to this mapping began: the policy's longest access counts from there. */
async function chainStartOf(deps: Pick<UseCaseDeps, 'store'>, mapping: StoredMapping): Promise<number> {
  const rows = await deps.store.ledger.list({ mappingId: mapping.id, limit: 20 });
  const started = rows.find((row) => row.kind === 'extend')?.details?.['chainStartedAtMs'];
  return typeof started === 'number' ? started : mapping.createdAtMs;
}

/**
 * Extend: Napter cannot lengthen a mapping, so a new one is made for the same device, port, source range and TLS
 * setting, through the same crash-safe open (intent first, never created twice), with the policy asked again and
 * the whole access bounded by its longest duration from the chain's start; once the new one exists, the old one
 * is deleted. The new one takes over the old one's channel card with its row (the channel keeps one card). A create
 * that fails leaves the old one as it was.
 */
export async function extend(deps: UseCaseDeps, request: ExtendRequest): Promise<ExtendOutcome> {
  const { actor } = request;
  const mapping = await deps.store.mappings.get(request.mappingId);
  if (mapping?.simId === undefined) return { kind: 'stale' };
  if (mapping.openedBy.userId !== actor.userId || mapping.openedBy.teamId !== actor.teamId) return { kind: 'not-yours', mapping };
  const end = await mappingEndOf(deps, mapping);
  if (end !== undefined) return { kind: 'ended', mapping, atMs: end };
  const sim = await deps.api.getSim(mapping.simId);
  if (sim === undefined) return { kind: 'sim-gone', mapping };
  const channelId = actor.channelId ?? mapping.channelId;
  const access = await authorizeOrDeny(deps, actor, {
    action: 'open',
    channelId,
    sim,
    mappingId: mapping.id,
    devicePort: mapping.devicePort,
    sourceCidr: mapping.sourceCidr,
  });
  if (!access.allowed) return { kind: 'denied', reason: access.reason };
  const policyMaxDurationSec = access.limits.maxDurationSec;
  const chainStartedAtMs = await chainStartOf(deps, mapping);
  const plan = planExtension({
    mapping,
    accessStartedAtMs: chainStartedAtMs,
    nowMs: deps.clock.nowMs(),
    policyMaxDurationSec,
    extensionSec: request.extensionSec ?? deps.watch?.extensionSec ?? DEFAULT_EXTENSION_SEC,
  });
  if (!plan.ok) return { kind: 'refused', mapping, plan, policyMaxDurationSec };

  const reply = replyRoute(actor.lang, request.responseUrl);
  let opened: Awaited<ReturnType<typeof openMapping>>;
  try {
    opened = await openMapping(deps, {
      teamId: actor.teamId,
      userId: actor.userId,
      channelId,
      sim,
      devicePort: mapping.devicePort,
      durationSec: plan.durationSec,
      tlsRequired: mapping.tlsRequired,
      sourceCidr: mapping.sourceCidr,
      sourceKind: mapping.sourceKind ?? 'cidr',
      requestKey: request.requestKey,
      reason: 'extend',
      replaces: { mappingId: mapping.id, ipAddress: mapping.ipAddress, port: mapping.port, chainStartedAtMs },
      reply,
    });
  } catch (error) {
    return { kind: 'failed', mapping, reason: errorCodeOf(error) };
  }
  if (opened.kind !== 'created' && opened.kind !== 'reused') return { kind: 'failed', mapping, reason: opened.kind };

  let closed: CloseMappingOutcome | undefined;
  try {
    closed = await closeReplaced(deps, { teamId: actor.teamId, userId: actor.userId, channelId, requestKey: request.requestKey }, mapping, reply);
  } catch (error) {
    deps.logger.warn('Extend made the new mapping but could not delete the old one; it ends on its own', errorCodeOf(error));
  }
  return { kind: 'extended', old: mapping, mapping: opened.mapping, sim, plan, policyMaxDurationSec, flightId: opened.flightId, closed };
}

/** The second half of an Extend: the old mapping is deleted once the new one exists (idempotent per Extend). */
function closeReplaced(
  deps: UseCaseDeps,
  by: { readonly teamId: string; readonly userId: string; readonly channelId: string; readonly requestKey: string },
  old: StoredMapping,
  reply: ReturnType<typeof replyRoute> | undefined,
): Promise<CloseMappingOutcome> {
  return closeMapping(deps, {
    ...by,
    ipAddress: old.ipAddress,
    port: old.port,
    stored: old,
    simId: old.simId,
    devicePort: old.devicePort,
    requestKey: `${by.requestKey}:replaced`,
    reply,
  });
}

/**
 * At start, for an Extend's open the previous process left made but untold: the old mapping its row names (written
 * before the create) is deleted now, unless it is closed already (its own close row was finished, or someone closed
 * it). The closed old mapping (its card, if it kept one, to say closed); undefined when there was nothing to finish.
 */
export async function finishInterruptedExtend(deps: UseCaseDeps, flight: InFlight): Promise<CloseMappingOutcome | undefined> {
  const replaces = openParamsOf(flight)?.replaces;
  if (replaces === undefined) return undefined;
  const old = await deps.store.mappings.get(replaces.mappingId);
  if (old === undefined || old.closed !== undefined) return undefined;
  const by = { teamId: flight.teamId, userId: flight.userId, channelId: flight.channelId, requestKey: flight.requestKey };
  return closeReplaced(deps, by, old, parseReplyRoute(flight.reply));
}
