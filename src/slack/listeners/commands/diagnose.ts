import type { DiagnoseCommand } from '../../../domain/command/types';
import { t } from '../../text';
import { diagnose } from '../../../use-cases/diagnose';
import { simRefText } from '../../../use-cases/resolve-sim';
import { notice } from '../../blocks/common';
import { reasonText } from '../../blocks/errors';
import { noDiagnosisMessage, postDiagnosis, postedNotice, progressReporter } from '../../present/diagnosis';
import type { CommandRun } from './napter';

/**
 * `/napter diagnose <sim> [since <duration>]`: progress replaces the command's reply; the result goes to the
 * channel as a parent with its thread, or to the requester alone when the bot cannot post there.
 */
export async function diagnoseCommand(run: CommandRun<DiagnoseCommand>): Promise<string> {
  const { deps, ctx, parsed } = run;
  const { actor, responder } = ctx;
  const typed = simRefText(parsed.sim);
  const progress = progressReporter(responder, actor.lang, typed);
  const outcome = await diagnose(deps, {
    actor,
    channelId: ctx.request.channelId ?? '',
    simRef: parsed.sim,
    windowSec: parsed.sinceSec,
    onProgress: progress.report,
  });
  await progress.flush();
  switch (outcome.kind) {
    case 'denied':
      await responder.replace(notice(t(actor.lang, 'thread.refused.policy', { reason: reasonText(actor.lang, outcome.reason) })));
      return outcome.kind;
    case 'ambiguous':
    case 'not-found':
      await responder.replace(noDiagnosisMessage(actor.lang, outcome));
      return outcome.kind;
    case 'diagnosed': {
      const where = await postDiagnosis(deps, run.client, outcome.found, responder);
      if (where === 'posted') await responder.replace(postedNotice(actor.lang, typed));
      return where;
    }
  }
}
