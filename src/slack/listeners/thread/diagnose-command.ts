import type { DiagnoseCommand } from '../../../domain/command/types';
import type { CommandContext } from '../../deps';
import { diagnoseAndPost } from '../../diagnosis-flow';
import { createResponder } from './responder';

/**
 * `/napter diagnose <sim> [since <duration>]`, after the command listener has acked and resolved the
 * requester's language: progress replaces the command's ephemeral reply, the result goes to the channel
 * as a parent with its thread, or to the requester alone when the bot cannot post there.
 */
export async function runDiagnoseCommand(ctx: CommandContext<DiagnoseCommand>): Promise<void> {
  const { deps, client, command, respond, lang, parsed } = ctx;
  const userGroupIds = await deps.userGroups(client, command.team_id, command.user_id);
  await diagnoseAndPost(
    { deps, client },
    {
      teamId: command.team_id,
      channelId: command.channel_id,
      userId: command.user_id,
      userGroupIds,
      lang,
      simRef: parsed.sim,
      windowSec: parsed.sinceSec,
      responder: createResponder(respond, { canReplace: true, logger: deps.logger }),
    },
  );
}
