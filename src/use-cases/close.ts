import type { CloseCommand } from '../domain/command/types';
import type { MessageRef } from '../domain/i18n/message-ref';
import { isActive } from '../domain/port-mapping';
import type { SimSnapshot } from '../domain/soracom';
import { activeMappingsForSim } from './active-mappings';
import { authorizeOrDeny } from './authorize';
import { type CloseMappingOutcome, closeMapping } from './close-mapping';
import type { Actor, UseCaseDeps } from './deps';
import type { StoredMapping } from './ports/store';
import { replyRoute } from './reply-route';
import { simLabel } from './resolve-sim';
import { mappingEndOf } from './watch-view';

/** One mapping to close: its public endpoint (what SORACOM deletes by) and what the bot knows of it. */
export interface CloseTarget {
  readonly ipAddress: string;
  readonly port: number;
  /** The bot's own row, when the bot opened it and nobody closed it yet. */
  readonly stored: StoredMapping | undefined;
  readonly sim: SimSnapshot | undefined;
  readonly devicePort: number | undefined;
}

/** The SIM or endpoint `/napter close` names, once the adapter found the SIM (the endpoint needs no look-up). */
export type CloseScope = { readonly kind: 'sim'; readonly sim: SimSnapshot } | Exclude<CloseCommand['target'], { readonly kind: 'sim' }>;

/** The active mappings a close command is about: the SIM's, or the one behind an endpoint or hostname. */
export async function closeTargetsOf(deps: Pick<UseCaseDeps, 'api' | 'store' | 'clock'>, scope: CloseScope): Promise<CloseTarget[]> {
  const nowMs = deps.clock.nowMs();
  const found =
    scope.kind === 'sim'
      ? await activeMappingsForSim(deps.api, scope.sim, nowMs)
      : (await deps.api.listPortMappings()).filter(
          (mapping) =>
            mapping.port === scope.port &&
            (scope.kind === 'endpoint' ? mapping.ipAddress === scope.ipAddress : mapping.hostname?.toLowerCase() === scope.hostname) &&
            isActive(mapping, nowMs),
        );
  const targets = scope.kind === 'sim' ? found : found.slice(0, 1);
  return Promise.all(
    targets.map(async (mapping) => {
      const stored = await deps.store.mappings.findByEndpoint(mapping.ipAddress, mapping.port);
      return {
        ipAddress: mapping.ipAddress,
        port: mapping.port,
        stored: stored?.closed === undefined ? stored : undefined,
        sim: scope.kind === 'sim' ? scope.sim : undefined,
        devicePort: mapping.destination.port,
      };
    }),
  );
}

export type CloseOutcome = CloseMappingOutcome | { readonly kind: 'denied'; readonly reason: MessageRef };

export interface CloseRequest {
  readonly actor: Actor;
  /** Where the request came from: the policy's channel. */
  readonly channelId: string;
  readonly target: CloseTarget;
  /** The user action; the address that replaces the closer's own message, should this process die mid-way. */
  readonly requestKey: string;
  readonly responseUrl: string | undefined;
}

/**
 * Closes one mapping early for a person: its opener or a bot admin may (the policy decides). After `closed` or
 * `already-gone` the adapter updates the channel card, then calls `settleTold` with the outcome's `flightId`.
 */
export async function closeFor(deps: UseCaseDeps, request: CloseRequest): Promise<CloseOutcome> {
  const { actor, target } = request;
  const simId = target.stored?.simId ?? target.sim?.simId;
  const access = await authorizeOrDeny(deps, actor, {
    action: 'close',
    channelId: request.channelId,
    sim: target.sim,
    simId,
    mappingId: target.stored?.id,
    mappingOpenedBy: target.stored?.openedBy.userId,
  });
  if (!access.allowed) return { kind: 'denied', reason: access.reason };
  return closeMapping(deps, {
    teamId: actor.teamId,
    userId: actor.userId,
    channelId: request.channelId,
    ipAddress: target.ipAddress,
    port: target.port,
    stored: target.stored,
    simId,
    devicePort: target.devicePort,
    requestKey: request.requestKey,
    reply: replyRoute(actor.lang, request.responseUrl),
  });
}

export type CloseNowOutcome =
  /** The button names no mapping the bot knows (from before a reset, or altered). */
  | { readonly kind: 'stale' }
  /** It had ended already (expired, or deleted outside the bot): nothing to close. */
  | { readonly kind: 'ended'; readonly mapping: StoredMapping; readonly atMs: number }
  | { readonly kind: 'asked'; readonly mapping: StoredMapping; readonly simLabel: string; readonly outcome: CloseOutcome };

/** "Close now" on a mapping the bot made, for whoever clicks. */
export async function closeNow(
  deps: UseCaseDeps,
  request: Omit<CloseRequest, 'channelId' | 'target'> & { readonly mappingId: string },
): Promise<CloseNowOutcome> {
  const mapping = await deps.store.mappings.get(request.mappingId);
  if (mapping === undefined) return { kind: 'stale' };
  const endedAtMs = mapping.closed === undefined ? await mappingEndOf(deps, mapping) : undefined;
  if (endedAtMs !== undefined) return { kind: 'ended', mapping, atMs: endedAtMs };
  const sim = mapping.simId === undefined ? undefined : await deps.api.getSim(mapping.simId);
  const outcome = await closeFor(deps, {
    ...request,
    channelId: request.actor.channelId ?? mapping.channelId,
    target: { ipAddress: mapping.ipAddress, port: mapping.port, stored: mapping, sim, devicePort: mapping.devicePort },
  });
  return { kind: 'asked', mapping, simLabel: sim === undefined ? (mapping.simId ?? '?') : simLabel(sim), outcome };
}

/** How a mapping's SIM is named on its card: the SIM's name when SORACOM still knows it, else its ID or IMSI. */
export async function simLabelOf(deps: Pick<UseCaseDeps, 'api'>, mapping: StoredMapping): Promise<string> {
  if (mapping.simId === undefined) return mapping.imsi ?? '?';
  const sim = await deps.api.getSim(mapping.simId).catch(() => undefined);
  return sim === undefined ? mapping.simId : simLabel(sim);
}
