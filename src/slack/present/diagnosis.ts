import type { WebClient } from '@slack/web-api';
import { t } from '../text';
import type { Lang } from '../../domain/i18n/message-ref';
import type { SimSnapshot } from '../../domain/soracom';
import { type DiagnosisProgress, parentPosted } from '../../use-cases/diagnose';
import type { LoadedDiagnosis } from '../../use-cases/diagnosis-record';
import { escapeMrkdwn, notice, type SlackMessage } from '../blocks/common';
import { buildCandidatesMessage, buildDiagnosisParent, buildNoSuchNameMessage, diagnosisView, type ProgressStage, progressText } from '../blocks/diagnosis';
import { buildDiagnosisThread, buildEphemeralResult } from '../blocks/thread';
import type { SlackDeps } from '../deps';
import { isNotInChannel } from '../failure';
import type { Responder } from '../pipeline/responder';

/** Posts the response_url keeps for the end: the result, or the fallback hint with the result. */
const RESERVED_RESPONSES = 2;
/** Stages worth a response_url post; the others pass too quickly to be read. */
const SHOWN_STAGES: ReadonlySet<DiagnosisProgress['stage']> = new Set(['sim', 'audit-log', 'probe']);

/** Progress lines in place of the command's reply; `flush` waits for those sent, so a late one cannot hide the result. */
export function progressReporter(responder: Responder, lang: Lang, simTyped: string) {
  let chain = Promise.resolve();
  return {
    report: (progress: DiagnosisProgress): void => {
      const stage: ProgressStage | undefined =
        progress.stage === 'probe' ? (progress.port === undefined ? undefined : { kind: 'probe', port: progress.port }) : { kind: progress.stage };
      if (stage === undefined || !responder.showsProgress || !SHOWN_STAGES.has(progress.stage) || responder.remaining() <= RESERVED_RESPONSES) return;
      const sending = responder.replace(notice(progressText(lang, simTyped, stage)));
      chain = chain.then(() => sending).catch(() => undefined);
    },
    flush: (): Promise<void> => chain,
  };
}

/** What a person is told when no diagnosis was made: several SIMs fit, or none does. */
export function noDiagnosisMessage(
  lang: Lang,
  outcome: { readonly typed: string; readonly candidates?: readonly SimSnapshot[]; readonly suggestions?: readonly string[] },
): SlackMessage {
  return outcome.candidates !== undefined && outcome.candidates.length > 0
    ? buildCandidatesMessage(lang, outcome.typed, outcome.candidates)
    : buildNoSuchNameMessage(lang, outcome.typed, outcome.suggestions ?? []);
}

/**
 * A new diagnosis: the parent in the channel and the evidence in its thread; where the bot cannot post, the whole
 * result goes to the requester alone.
 */
export async function postDiagnosis(deps: SlackDeps, client: WebClient, found: LoadedDiagnosis, responder: Responder): Promise<'posted' | 'ephemeral'> {
  deps.metrics?.verdict(found.record.diagnosis.verdict);
  const view = diagnosisView(found);
  const parent = buildDiagnosisParent(view);
  const { stored } = found;
  try {
    const posted = await client.chat.postMessage({ channel: stored.channelId, ...parent });
    if (typeof posted.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
    await parentPosted(deps, stored.id, posted.ts);
    await postThread(deps, client, stored.channelId, posted.ts, buildDiagnosisThread(view));
    return 'posted';
  } catch (error) {
    if (!isNotInChannel(error)) throw error;
    const messages = buildEphemeralResult(view, buildDiagnosisParent(view, { ephemeral: true }), Math.max(1, responder.remaining()));
    const [first, ...rest] = messages;
    if (first !== undefined) await (responder.showsProgress ? responder.replace(first) : responder.send(first));
    for (const message of rest) await responder.send(message);
    return 'ephemeral';
  }
}

/** Another run of a diagnosis: its parent updated in place and the new evidence added to its thread. */
export async function postRerun(deps: SlackDeps, client: WebClient, found: LoadedDiagnosis, responder: Responder): Promise<void> {
  const parentTs = found.stored.parentTs;
  // The first run went to the requester alone: the bot may have been invited since.
  if (parentTs === undefined) {
    await postDiagnosis(deps, client, found, responder);
    return;
  }
  deps.metrics?.verdict(found.record.diagnosis.verdict);
  await deps.painter.redraw(client, found.stored.id);
  await postThread(deps, client, found.stored.channelId, parentTs, buildDiagnosisThread(diagnosisView(found)));
}

/** "Posted in the channel", or why nothing was: the command's reply says it last. */
export function postedNotice(lang: Lang, simTyped: string): SlackMessage {
  return notice(t(lang, 'thread.progress.posted', { sim: `\`${escapeMrkdwn(simTyped)}\`` }));
}

/** Posts the thread replies under `parentTs`; a failed reply is logged and the rest still go out. */
async function postThread(deps: SlackDeps, client: WebClient, channelId: string, parentTs: string, messages: readonly SlackMessage[]): Promise<void> {
  for (const message of messages) {
    try {
      await client.chat.postMessage({ channel: channelId, thread_ts: parentTs, ...message });
    } catch (error) {
      deps.logger.warn('diagnosis thread reply failed', error);
    }
  }
}
