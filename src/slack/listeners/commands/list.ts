import type { ListCommand } from '../../../domain/command/types';
import { msg } from '../../../domain/i18n/message-ref';
import type { SimSnapshot } from '../../../domain/soracom';
import { listFor } from '../../../use-cases/list';
import { simLabel } from '../../../use-cases/resolve-sim';
import { deniedMessage, plainMessageRef } from '../../blocks/errors';
import { mappingListMessage } from '../../blocks/mapping';
import type { CommandRun } from './napter';
import { simOrReply } from './sim';

/** `/napter list [<sim>]`: active mappings, with who opened them when the bot knows. Ephemeral. */
export async function listCommand(run: CommandRun<ListCommand>): Promise<string> {
  const { deps, ctx, parsed } = run;
  const { actor, responder } = ctx;
  await responder.replace(plainMessageRef(actor.lang, msg('slack.progress.reading-mappings')));
  let sim: SimSnapshot | undefined;
  if (parsed.sim !== undefined) {
    sim = await simOrReply(run, parsed.sim, 'list');
    if (sim === undefined) return ctx.outcome;
  }
  const outcome = await listFor(deps, actor, ctx.request.channelId ?? '', sim);
  if (outcome.kind === 'denied') {
    await responder.replace(deniedMessage(actor.lang, outcome.reason));
    return outcome.kind;
  }
  const viewer = { userId: actor.userId, isAdmin: outcome.isAdmin };
  await responder.replace(mappingListMessage(actor.lang, outcome.items, viewer, sim === undefined ? undefined : simLabel(sim), outcome.hidden));
  return outcome.kind;
}
