import type { WebClient } from '@slack/web-api';
import type { Lang, MessageRef } from '../domain/i18n/message-ref';
import type { SimSnapshot } from '../domain/soracom';
import { authorize, policySim } from '../policy/index';
import type { StoredMapping } from '../use-cases/ports/store';
import { closeMapping, type CloseMappingOutcome } from '../use-cases/close-mapping';
import { simLabel } from '../use-cases/resolve-sim';
import { mappingCardMessage } from './blocks/mapping';
import type { SlackDeps } from './deps';
import type { ReplyRoute } from './open-flow';
import { slackErrorCode } from './error-handler';

export interface Closer {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly userGroupIds: readonly string[];
}

export interface CloseTarget {
  readonly ipAddress: string;
  readonly port: number;
  readonly stored: StoredMapping | undefined;
  readonly sim?: SimSnapshot;
  readonly devicePort?: number;
}

export type CloseFlowOutcome = CloseMappingOutcome | { readonly kind: 'denied'; readonly reason: MessageRef };

/**
 * Close one mapping for a Slack user: the requester who opened it or a bot admin may (the policy decides),
 * then SORACOM deletes it, the ledger records it, and the channel card says who closed it.
 */
export async function closeForUser(
  deps: SlackDeps,
  client: WebClient,
  closer: Closer,
  target: CloseTarget,
  /** The user action and how to reach the closer should this process die mid-way. */
  route?: { readonly requestKey: string; readonly reply: ReplyRoute },
): Promise<CloseFlowOutcome> {
  const simId = target.stored?.simId ?? target.sim?.simId;
  const decision = authorize(deps.policy, {
    action: 'close',
    userId: closer.userId,
    userGroupIds: closer.userGroupIds,
    channelId: closer.channelId,
    ...(target.stored === undefined ? {} : { mappingOpenedBy: target.stored.openedBy.userId }),
    ...(target.sim === undefined ? {} : { sim: policySim(target.sim) }),
  });
  if (!decision.allowed) {
    await deps.store.ledger.record({
      kind: 'denied',
      teamId: closer.teamId,
      userId: closer.userId,
      channelId: closer.channelId,
      simId,
      mappingId: target.stored?.id,
      details: { action: 'close', reason: decision.reason.key },
    });
    return { kind: 'denied', reason: decision.reason };
  }
  const outcome = await closeMapping(deps, {
    teamId: closer.teamId,
    userId: closer.userId,
    channelId: closer.channelId,
    ipAddress: target.ipAddress,
    port: target.port,
    stored: target.stored,
    ...(simId === undefined ? {} : { simId }),
    ...(target.devicePort === undefined ? {} : { devicePort: target.devicePort }),
    ...(route === undefined ? {} : { requestKey: route.requestKey, reply: route.reply }),
  });
  if (outcome.kind === 'closed' || outcome.kind === 'already-gone') {
    if (outcome.mapping !== undefined) await updateCardClosed(deps, client, outcome.mapping, target.sim);
    await deps.store.inflight.settle(outcome.flightId);
  }
  return outcome;
}

/** Rewrites the channel card to "closed by @x"; a card that cannot be updated is logged, not fatal. */
export async function updateCardClosed(deps: SlackDeps, client: WebClient, mapping: StoredMapping, sim: SimSnapshot | undefined): Promise<void> {
  if (mapping.card === undefined || mapping.closed === undefined) return;
  const label = sim !== undefined ? simLabel(sim) : await simLabelFor(deps, mapping);
  const lang: Lang = await deps.locale(client, mapping.openedBy.userId);
  const card = mappingCardMessage(lang, { mapping, simLabel: label }, { kind: 'closed', byUserId: mapping.closed.byUserId, atMs: mapping.closed.atMs });
  try {
    await client.chat.update({ channel: mapping.card.channelId, ts: mapping.card.ts, text: card.text, blocks: card.blocks, metadata: card.metadata });
  } catch (error) {
    deps.logger.warn('Could not update the mapping card', mapping.id, slackErrorCode(error) ?? error);
  }
}

async function simLabelFor(deps: SlackDeps, mapping: StoredMapping): Promise<string> {
  if (mapping.simId === undefined) return mapping.imsi ?? '?';
  const sim = await deps.api.getSim(mapping.simId).catch(() => undefined);
  return sim === undefined ? mapping.simId : simLabel(sim);
}
