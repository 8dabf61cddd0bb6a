import type { CloseCommand } from '../../../domain/command/types';
import { t } from '../../text';
import { msg } from '../../../domain/i18n/message-ref';
import type { MessageRef } from '../../../domain/i18n/message-ref';
import { serviceLabel } from '../../../domain/port-mapping';
import { type CloseScope, closeFor, closeTargetsOf } from '../../../use-cases/close';
import { simLabel } from '../../../use-cases/resolve-sim';
import { context, escapeMrkdwn, mention, section } from '../../blocks/common';
import { deniedMessage, plainMessageRef, reasonText } from '../../blocks/errors';
import { finishClose } from '../../present/close';
import type { CommandRun } from './napter';
import { simOrReply } from './sim';

/** `/napter close <sim|endpoint>`: the requester's mapping(s) closed early; others' stay unless an admin asks. */
export async function closeCommand(run: CommandRun<CloseCommand>): Promise<string> {
  const { deps, ctx, parsed } = run;
  const { actor, request, responder } = ctx;
  const lang = actor.lang;
  await responder.replace(plainMessageRef(lang, msg('slack.progress.reading-mappings')));
  let scope: CloseScope;
  let label: string;
  if (parsed.target.kind === 'sim') {
    const sim = await simOrReply(run, parsed.target.sim, 'close');
    if (sim === undefined) return ctx.outcome;
    scope = { kind: 'sim', sim };
    label = simLabel(sim);
  } else {
    scope = parsed.target;
    label = `${scope.kind === 'endpoint' ? scope.ipAddress : scope.hostname}:${scope.port}`;
  }
  const targets = await closeTargetsOf(deps, scope);
  if (targets.length === 0) {
    await responder.replace(plainMessageRef(lang, msg('slack.close.nothing', { target: escapeMrkdwn(label) })));
    return 'nothing';
  }

  const lines: string[] = [];
  let firstDenial: MessageRef | undefined;
  let denied = 0;
  for (const target of targets) {
    const outcome = await closeFor(deps, {
      actor,
      channelId: request.channelId ?? '',
      target,
      requestKey: `command:${actor.teamId}:${request.triggerId}`,
      responseUrl: responder.ownMessageUrl,
    });
    await finishClose(deps, run.client, outcome, target.sim);
    const params = {
      service: serviceLabel(target.devicePort ?? target.stored?.devicePort ?? 0),
      sim: escapeMrkdwn(target.sim === undefined ? label : simLabel(target.sim)),
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
        lines.push(t(lang, 'slack.close.already-closed-line', { ...params, user: mention(outcome.byUserId) }));
        break;
      case 'in-progress':
        lines.push(t(lang, 'slack.close.in-progress-line', params));
        break;
    }
  }
  if (lines.length === 0 && firstDenial !== undefined) {
    await responder.replace(deniedMessage(lang, firstDenial));
    return 'denied';
  }
  const header = t(lang, 'slack.close.header', { target: escapeMrkdwn(label) });
  const note = firstDenial === undefined ? [] : [context(t(lang, 'slack.close.some-denied', { count: denied, reason: reasonText(lang, firstDenial) }))];
  await responder.replace({ text: `${header} ${lines.join(' ')}`, blocks: [section(header), section(lines.join('\n')), ...note] });
  return 'closed';
}
