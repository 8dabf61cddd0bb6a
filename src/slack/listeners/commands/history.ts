import type { HistoryCommand } from '../../../domain/command/types';
import type { SimSnapshot } from '../../../domain/soracom';
import { historyFor } from '../../../use-cases/history';
import { offerHistoryExport } from '../../../use-cases/history-export';
import { simLabel } from '../../../use-cases/resolve-sim';
import { deniedMessage } from '../../blocks/errors';
import { historyMessage } from '../../blocks/history';
import type { CommandRun } from './napter';
import { simOrReply } from './sim';

/** How many rows the ephemeral listing shows; the CSV holds the rest. */
export const HISTORY_LISTING_LIMIT = 30;

/** `/napter history [<sim>] [since <duration>]`: the ledger with Napter's connection counts, to the requester alone. */
export async function historyCommand(run: CommandRun<HistoryCommand>): Promise<string> {
  const { deps, ctx, parsed } = run;
  const { actor, responder } = ctx;
  let sim: SimSnapshot | undefined;
  if (parsed.sim !== undefined) {
    sim = await simOrReply(run, parsed.sim, 'history');
    if (sim === undefined) return ctx.outcome;
  }
  const channelId = ctx.request.channelId ?? '';
  const sinceMs = deps.clock.nowMs() - parsed.sinceSec * 1000;
  const outcome = await historyFor(deps, actor, channelId, { sim, sinceMs, limit: HISTORY_LISTING_LIMIT });
  if (outcome.kind === 'denied') {
    await responder.replace(deniedMessage(actor.lang, outcome.reason));
    return outcome.kind;
  }
  const exportId = outcome.listing.rows.length === 0 ? undefined : await offerHistoryExport(deps, actor, { channelId, simId: sim?.simId, sinceMs });
  await responder.replace(historyMessage(actor.lang, outcome, sim === undefined ? undefined : simLabel(sim), exportId));
  return outcome.kind;
}
