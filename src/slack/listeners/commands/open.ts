import type { OpenCommand } from '../../../domain/command/types';
import { simRefText } from '../../../use-cases/resolve-sim';
import type { CommandContext } from '../../deps';
import { startOpen, type OpenFlowContext } from '../../open-flow';
import { replyInPlace, resolveSimOrReply, showProgress } from './reply';

/** `/napter open <sim> …`: find the SIM, then the shared open flow (policy, source, open or reuse). */
export async function runOpenCommand(ctx: CommandContext<OpenCommand>): Promise<void> {
  const { parsed, command, lang } = ctx;
  await showProgress(ctx, 'slack.progress.reading-sim', { sim: simRefText(parsed.sim) });
  const sim = await resolveSimOrReply(ctx, parsed.sim, 'open');
  if (sim === undefined) return;
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
      simId: sim.simId,
      devicePort: parsed.devicePort,
      protocol: parsed.protocol,
      durationSec: parsed.durationSec,
      tlsRequired: parsed.tlsRequired,
      source: parsed.source,
      reason: 'open',
    },
    sim,
  );
}
