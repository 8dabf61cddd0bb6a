import type { OpenCommand } from '../../../domain/command/types';
import { resolveSim, simRefText } from '../../../use-cases/resolve-sim';
import type { CommandContext } from '../../deps';
import { simAmbiguousMessage, simNotFoundMessage } from '../../blocks/errors';
import { startOpen, type OpenFlowContext } from '../../open-flow';
import { replyInPlace, showProgress } from './reply';

/** `/napter open <sim> …`: find the SIM, then the shared open flow (policy, source, open or reuse). */
export async function runOpenCommand(ctx: CommandContext<OpenCommand>): Promise<void> {
  const { parsed, command, lang } = ctx;
  const typed = simRefText(parsed.sim);
  await showProgress(ctx, 'slack.progress.reading-sim', { sim: typed });
  const resolution = await resolveSim(ctx.deps.api, parsed.sim);
  if (resolution.kind === 'not-found') {
    await replyInPlace(ctx.respond, simNotFoundMessage(lang, typed));
    return;
  }
  if (resolution.kind === 'ambiguous') {
    await replyInPlace(ctx.respond, simAmbiguousMessage(lang, typed, resolution.candidates, 'open'));
    return;
  }
  const flow: OpenFlowContext = {
    deps: ctx.deps,
    client: ctx.client,
    requester: { teamId: command.team_id, userId: command.user_id, channelId: command.channel_id, lang },
    reply: (message) => replyInPlace(ctx.respond, message),
    responseUrl: command.response_url,
    requestKey: `command:${command.team_id}:${command.trigger_id}`,
  };
  await startOpen(
    flow,
    {
      simId: resolution.sim.simId,
      devicePort: parsed.devicePort,
      protocol: parsed.protocol,
      durationSec: parsed.durationSec,
      tlsRequired: parsed.tlsRequired,
      source: parsed.source,
      reason: 'open',
    },
    resolution.sim,
  );
}
