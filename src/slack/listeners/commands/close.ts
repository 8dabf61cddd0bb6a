import type { CloseCommand } from '../../../domain/command/types';
import { t } from '../../../domain/i18n/catalog';
import type { SimSnapshot } from '../../../domain/soracom';
import { activeMappingsForSim, isActive } from '../../../use-cases/open-mapping';
import { simLabel } from '../../../use-cases/resolve-sim';
import type { CommandContext } from '../../deps';
import { context, escapeMrkdwn, section, type KnownBlock } from '../../blocks/common';
import { deniedMessage, plainMessageRef } from '../../blocks/errors';
import { serviceLabel } from '../../blocks/mapping';
import { closeForUser, type CloseTarget } from '../../close-flow';
import { msg } from '../../../domain/i18n/message-ref';
import { replyInPlace, resolveSimOrReply, showProgress } from './reply';

/** `/napter close <sim|endpoint>`: deletes the caller's mapping(s) early; others' stay unless an admin asks. */
export async function runCloseCommand(ctx: CommandContext<CloseCommand>): Promise<void> {
  const { deps, command, lang, parsed } = ctx;
  const userGroupIds = await deps.userGroups(ctx.client, command.team_id, command.user_id);
  await showProgress(ctx, 'slack.progress.reading-mappings');
  const nowMs = deps.clock.nowMs();

  let targets: CloseTarget[];
  let sim: SimSnapshot | undefined;
  let scope: string;
  if (parsed.target.kind === 'endpoint' || parsed.target.kind === 'hostname') {
    const target = parsed.target;
    scope = `${target.kind === 'endpoint' ? target.ipAddress : target.hostname}:${target.port}`;
    const found = (await deps.api.listPortMappings()).find(
      (mapping) =>
        mapping.port === target.port &&
        (target.kind === 'endpoint' ? mapping.ipAddress === target.ipAddress : mapping.hostname?.toLowerCase() === target.hostname) &&
        isActive(mapping, nowMs),
    );
    const stored = found === undefined ? undefined : await deps.store.mappings.findByEndpoint(found.ipAddress, found.port);
    targets =
      found === undefined
        ? []
        : [{ ipAddress: found.ipAddress, port: found.port, stored: stored?.closed === undefined ? stored : undefined, devicePort: found.destination.port }];
  } else {
    const resolved = await resolveSimOrReply(ctx, parsed.target.sim, 'close');
    if (resolved === undefined) return;
    sim = resolved;
    scope = simLabel(resolved);
    const active = await activeMappingsForSim(deps.api, resolved, nowMs);
    targets = await Promise.all(
      active.map(async (mapping) => {
        const stored = await deps.store.mappings.findByEndpoint(mapping.ipAddress, mapping.port);
        return {
          ipAddress: mapping.ipAddress,
          port: mapping.port,
          stored: stored?.closed === undefined ? stored : undefined,
          sim: resolved,
          devicePort: mapping.destination.port,
        };
      }),
    );
  }

  if (targets.length === 0) {
    await replyInPlace(ctx.respond, plainMessageRef(lang, msg('slack.close.nothing', { target: escapeMrkdwn(scope) })));
    return;
  }

  const closer = { teamId: command.team_id, userId: command.user_id, channelId: command.channel_id, userGroupIds };
  const lines: string[] = [];
  let firstDenial: Parameters<typeof deniedMessage>[1] | undefined;
  let denied = 0;
  for (const target of targets) {
    const outcome = await closeForUser(deps, ctx.client, closer, target, {
      requestKey: `command:${command.team_id}:${command.trigger_id}`,
      reply: { v: 1, lang, responseUrl: command.response_url },
    });
    const params = {
      service: serviceLabel(target.devicePort ?? target.stored?.devicePort ?? 0),
      sim: escapeMrkdwn(sim === undefined ? scope : simLabel(sim)),
    };
    switch (outcome.kind) {
      case 'denied':
        denied += 1;
        firstDenial ??= outcome.reason;
        break;
      case 'closed':
      case 'already-gone':
        lines.push(t(lang, 'slack.close.closed-line', params));
        break;
      case 'already-closed':
        lines.push(t(lang, 'slack.close.already-closed-line', { ...params, user: `<@${outcome.byUserId}>` }));
        break;
      case 'in-progress':
        lines.push(t(lang, 'slack.close.in-progress-line', params));
        break;
    }
  }

  if (lines.length === 0 && firstDenial !== undefined) {
    await replyInPlace(ctx.respond, deniedMessage(lang, firstDenial));
    return;
  }
  const header = t(lang, 'slack.close.header', { target: escapeMrkdwn(scope) });
  const blocks: KnownBlock[] = [section(header), section(lines.join('\n'))];
  if (firstDenial !== undefined) {
    blocks.push(context(t(lang, 'slack.close.some-denied', { count: denied, reason: t(lang, firstDenial) })));
  }
  await replyInPlace(ctx.respond, { text: `${header} ${lines.join(' ')}`, blocks });
}
