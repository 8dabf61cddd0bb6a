import type { ListCommand } from '../../../domain/command/types';
import type { SimSnapshot } from '../../../domain/soracom';
import { authorize } from '../../../policy/index';
import { isAdmin } from '../../../policy/authorize';
import { listMappings } from '../../../use-cases/list-mappings';
import { resolveSim, simLabel, simRefText } from '../../../use-cases/resolve-sim';
import type { CommandContext } from '../../deps';
import { deniedMessage, simAmbiguousMessage, simNotFoundMessage } from '../../blocks/errors';
import { mappingListMessage } from '../../blocks/mapping';
import { replyInPlace, showProgress } from './reply';

/** `/napter list [<sim>]`: active mappings, with who opened them when the bot knows. Ephemeral. */
export async function runListCommand(ctx: CommandContext<ListCommand>): Promise<void> {
  const { deps, command, lang, parsed } = ctx;
  const userGroupIds = await deps.userGroups(ctx.client, command.team_id, command.user_id);
  await showProgress(ctx, 'slack.progress.reading-mappings');

  let sim: SimSnapshot | undefined;
  if (parsed.sim !== undefined) {
    const typed = simRefText(parsed.sim);
    const resolution = await resolveSim(deps.api, parsed.sim);
    if (resolution.kind === 'not-found') {
      await replyInPlace(ctx.respond, simNotFoundMessage(lang, typed));
      return;
    }
    if (resolution.kind === 'ambiguous') {
      await replyInPlace(ctx.respond, simAmbiguousMessage(lang, typed, resolution.candidates, 'list'));
      return;
    }
    sim = resolution.sim;
  }

  const decision = authorize(deps.policy, {
    action: 'list',
    userId: command.user_id,
    userGroupIds,
    channelId: command.channel_id,
    ...(sim === undefined ? {} : { sim: { simId: sim.simId, ...(sim.groupId === undefined ? {} : { groupId: sim.groupId }), tags: sim.tags } }),
  });
  if (!decision.allowed) {
    await replyInPlace(ctx.respond, deniedMessage(lang, decision.reason));
    return;
  }

  const items = await listMappings({ api: deps.api, store: deps.store, nowMs: deps.clock.nowMs() }, sim);
  const viewer = { userId: command.user_id, isAdmin: isAdmin(deps.policy, command.user_id, userGroupIds) };
  await replyInPlace(ctx.respond, mappingListMessage(lang, items, viewer, sim === undefined ? undefined : simLabel(sim)));
}
