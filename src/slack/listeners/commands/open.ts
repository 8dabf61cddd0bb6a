import type { OpenCommand } from '../../../domain/command/types';
import { msg } from '../../../domain/i18n/message-ref';
import { requestOpen } from '../../../use-cases/open';
import { simRefText } from '../../../use-cases/resolve-sim';
import { escapeMrkdwn } from '../../blocks/common';
import { plainMessageRef } from '../../blocks/errors';
import { openingNotice, presentOpen, simShown } from '../../present/open';
import type { CommandRun } from './napter';
import { simOrReply } from './sim';

/** `/napter open <sim> …`: the SIM, then the open use-case; each answer replaces the command's reply. */
export async function openCommand(run: CommandRun<OpenCommand>): Promise<string> {
  const { deps, ctx, parsed } = run;
  const { actor, request, responder } = ctx;
  await responder.replace(plainMessageRef(actor.lang, msg('slack.progress.reading-sim', { sim: escapeMrkdwn(simRefText(parsed.sim)) })));
  const sim = await simOrReply(run, parsed.sim, 'open');
  if (sim === undefined) return ctx.outcome;
  const outcome = await requestOpen(deps, {
    actor,
    channelId: request.channelId ?? '',
    sim,
    intent: { ...parsed, reason: 'open' },
    requestKey: `command:${actor.teamId}:${request.triggerId}`,
    responseUrl: responder.ownMessageUrl,
    onOpening: () => responder.replace(openingNotice(actor.lang, sim)),
  });
  await presentOpen(deps, { client: run.client, lang: actor.lang, channelId: request.channelId ?? '', reply: responder.replace }, simShown(sim), outcome);
  return outcome.kind;
}
