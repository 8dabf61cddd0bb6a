import type { ListCommand } from '../../../domain/command/types';
import type { SimSnapshot } from '../../../domain/soracom';
import { authorize, isAdmin, policySim } from '../../../policy/index';
import { listMappings } from '../../../use-cases/list-mappings';
import { simLabel } from '../../../use-cases/resolve-sim';
import type { CommandContext } from '../../deps';
import { deniedMessage } from '../../blocks/errors';
import { mappingListMessage } from '../../blocks/mapping';
import { replyInPlace, resolveSimOrReply, showProgress } from './reply';

/** `/napter list [<sim>]`: active mappings, with who opened them when the bot knows. Ephemeral. */
export async function runListCommand(ctx: CommandContext<ListCommand>): Promise<void> {
  const { deps, command, lang, parsed } = ctx;
  const userGroupIds = await deps.userGroups(ctx.client, command.team_id, command.user_id);
  await showProgress(ctx, 'slack.progress.reading-mappings');

  let sim: SimSnapshot | undefined;
  if (parsed.sim !== undefined) {
    sim = await resolveSimOrReply(ctx, parsed.sim, 'list');
    if (sim === undefined) return;
  }

  const decision = authorize(deps.policy, {
    action: 'list',
    userId: command.user_id,
    userGroupIds,
    channelId: command.channel_id,
    ...(sim === undefined ? {} : { sim: policySim(sim) }),
  });
  if (!decision.allowed) {
    await replyInPlace(ctx.respond, deniedMessage(lang, decision.reason));
    return;
  }

  const items = await listMappings({ api: deps.api, store: deps.store, nowMs: deps.clock.nowMs() }, sim);
  const viewer = { userId: command.user_id, isAdmin: isAdmin(deps.policy, command.user_id, userGroupIds) };
  // Listing every SIM: a row shows only where the policy would let the viewer list that SIM (or it is theirs).
  const visible =
    sim !== undefined || viewer.isAdmin
      ? items
      : items.filter(
          (item) =>
            item.stored?.openedBy.userId === viewer.userId ||
            (item.sim !== undefined &&
              authorize(deps.policy, { action: 'list', userId: command.user_id, userGroupIds, channelId: command.channel_id, sim: policySim(item.sim) })
                .allowed),
        );
  await replyInPlace(ctx.respond, mappingListMessage(lang, visible, viewer, sim === undefined ? undefined : simLabel(sim), items.length - visible.length));
}
