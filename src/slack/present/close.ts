import type { WebClient } from '@slack/web-api';
import type { SimSnapshot } from '../../domain/soracom';
import { type CloseOutcome, simLabelOf } from '../../use-cases/close';
import { simLabel } from '../../use-cases/resolve-sim';
import { settleTold } from '../../use-cases/open';
import type { StoredMapping } from '../../use-cases/ports/store';
import type { SlackDeps } from '../deps';

/**
 * After a close went through: the channel card says "closed by @x" (in the opener's language, as it was posted),
 * then the work in flight is settled. A card that cannot be updated is logged, not fatal.
 */
export async function finishClose(deps: SlackDeps, client: WebClient, outcome: CloseOutcome, sim: SimSnapshot | undefined, label?: string): Promise<void> {
  if (outcome.kind !== 'closed' && outcome.kind !== 'already-gone') return;
  const { mapping } = outcome;
  if (mapping?.card !== undefined) {
    await updateCardClosed(deps, client, mapping, label ?? (sim === undefined ? await simLabelOf(deps, mapping) : simLabel(sim)));
  }
  await settleTold(deps, outcome.flightId);
  if (mapping !== undefined) await refreshHomesOf(deps, mapping);
}

/** The Home tabs a mapping shows on: its opener's, and the closer's when someone else (an admin) closed it. */
async function refreshHomesOf(deps: SlackDeps, mapping: StoredMapping): Promise<void> {
  const { teamId, userId } = mapping.openedBy;
  await deps.homeRefresher.refreshHome(teamId, userId);
  const closer = mapping.closed?.byUserId;
  if (closer !== undefined && closer !== userId) await deps.homeRefresher.refreshHome(teamId, closer);
}

/** A closed mapping's card redrawn: "closed", unless another mapping owns that card by its turn (then as that one). */
export async function updateCardClosed(deps: SlackDeps, client: WebClient, mapping: StoredMapping, simLabel: string): Promise<void> {
  if (mapping.card === undefined || mapping.closed === undefined) return;
  await deps.cards.redraw(client, mapping.card, { simLabel });
}
