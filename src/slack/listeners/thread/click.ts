import type { BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { t } from '../../../domain/i18n/catalog';
import type { Lang } from '../../../domain/i18n/message-ref';
import type { SimSnapshot } from '../../../domain/soracom';
import { authorize, policySim, type AuthorizationDecision, type PolicyAction } from '../../../policy/index';
import type { StoredDiagnosis } from '../../../use-cases/ports/store';
import { readDiagnosisRecord, type DiagnosisRecord, type Responder } from '../../diagnosis-flow';
import { ACTION_VALUE_SCHEMAS, decodeActionValue } from '../../action-value';
import { notice } from '../../blocks/common';
import type { SlackDeps } from '../../deps';
import { failureMessage } from '../../blocks/errors';
import { describeFailure, errorCode } from '../../error-handler';
import { createResponder } from './responder';

export type ButtonClick = BlockAction<ButtonAction>;

/** Who clicked, where, and how to answer them alone. */
export interface Clicker {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string | undefined;
  readonly lang: Lang;
  readonly userGroupIds: readonly string[];
  /** The clicked message is the clicker's own ephemeral (replaceable) rather than a channel message. */
  readonly onEphemeral: boolean;
  /** The clicked message's ts, when Slack sent it. */
  readonly messageTs: string | undefined;
  readonly actionTs: string;
  readonly responder: Responder;
}

export async function clickerOf(deps: SlackDeps, client: WebClient, body: ButtonClick, respond: RespondFn): Promise<Clicker> {
  const container = body.container as { is_ephemeral?: boolean; message_ts?: string } | undefined;
  const teamId = body.team?.id ?? body.user.team_id ?? '';
  const onEphemeral = container?.is_ephemeral === true;
  const [lang, userGroupIds] = await Promise.all([deps.locale(client, body.user.id), deps.userGroups(client, teamId, body.user.id)]);
  return {
    teamId,
    userId: body.user.id,
    channelId: body.channel?.id,
    lang,
    userGroupIds,
    onEphemeral,
    messageTs: body.message?.ts ?? container?.message_ts,
    actionTs: body.actions[0]?.action_ts ?? body.trigger_id,
    responder: createResponder(respond, { canReplace: false, logger: deps.logger }),
  };
}

/**
 * Slack may deliver the same click twice (a retry after a slow ack, a reconnect in Socket Mode): the
 * second delivery of one click (same action, user and action_ts) is dropped here. Two real clicks have
 * different action_ts; the flows' own idempotency keys stop those.
 */
export async function isFirstClickDelivery(deps: SlackDeps, body: ButtonClick): Promise<boolean> {
  const action = body.actions[0];
  const key = `delivery:${action?.action_id ?? '?'}:${body.user.id}:${action?.action_ts ?? body.trigger_id}`;
  const claim = await deps.store.claims.claim(key, 24 * 60 * 60 * 1000);
  if (!claim.claimed) return false;
  await deps.store.claims.complete(key, true);
  return true;
}

/** The stored diagnosis a diagnosisRef value names, or a refusal already sent to the clicker. */
export async function diagnosisFromClick(
  deps: SlackDeps,
  clicker: Clicker,
  rawValue: string | undefined,
): Promise<{ stored: StoredDiagnosis; record: DiagnosisRecord } | undefined> {
  const value = decodeActionValue(ACTION_VALUE_SCHEMAS.diagnosisRef, rawValue);
  if (value === undefined) {
    await refuse(clicker, 'thread.refused.invalidValue');
    return undefined;
  }
  return loadDiagnosis(deps, clicker, value.diagnosisId);
}

/**
 * The stored diagnosis a click names, only when the click comes from the conversation the diagnosis was posted
 * in: a button's value is the bot's own word, but a click naming a diagnosis of another channel (forged, or
 * replayed elsewhere) would act on, and show, what the clicker may never have been able to see.
 */
export async function loadDiagnosis(
  deps: SlackDeps,
  clicker: Pick<Clicker, 'responder' | 'lang' | 'channelId' | 'userId'>,
  diagnosisId: string,
): Promise<{ stored: StoredDiagnosis; record: DiagnosisRecord } | undefined> {
  const stored = await deps.store.diagnoses.get(diagnosisId);
  const record = stored === undefined ? undefined : readDiagnosisRecord(stored);
  if (stored === undefined || record === undefined) {
    await refuse(clicker, 'thread.refused.staleDiagnosis');
    return undefined;
  }
  if (!clickedWhereShown(clicker.channelId, stored.channelId)) {
    deps.logger.warn('Refused a click on a diagnosis of another conversation', { diagnosisId, from: clicker.channelId, userId: clicker.userId });
    await refuse(clicker, 'thread.refused.invalidValue');
    return undefined;
  }
  return { stored, record };
}

/** A click acts on something of a conversation only when it comes from that conversation. */
export function clickedWhereShown(clickChannelId: string | undefined, storedChannelId: string): boolean {
  return clickChannelId !== undefined && clickChannelId === storedChannelId;
}

export async function refuse(clicker: Pick<Clicker, 'responder' | 'lang'>, key: string, params?: Record<string, string | number>): Promise<void> {
  await clicker.responder.send(notice(t(clicker.lang, key, params)));
}

/**
 * The policy, for the clicker (not whoever ran the command). The SIM is read fresh so that selectors on
 * its group and tags apply. A denial is told to the clicker and written to the ledger.
 */
export async function authorizeClick(
  deps: SlackDeps,
  clicker: Clicker,
  request: {
    readonly action: PolicyAction;
    readonly channelId: string;
    readonly simId?: string;
    readonly devicePort?: number;
    readonly durationSec?: number;
    readonly sourceCidr?: string;
  },
): Promise<{ allowed: true; sim: SimSnapshot | undefined } | { allowed: false }> {
  const sim = request.simId === undefined ? undefined : await deps.api.getSim(request.simId);
  const decision: AuthorizationDecision = authorize(deps.policy, {
    action: request.action,
    userId: clicker.userId,
    userGroupIds: clicker.userGroupIds,
    channelId: request.channelId,
    ...(sim === undefined ? {} : { sim: policySim(sim) }),
    ...(request.devicePort === undefined ? {} : { devicePort: request.devicePort }),
    ...(request.durationSec === undefined ? {} : { durationSec: request.durationSec }),
    ...(request.sourceCidr === undefined ? {} : { sourceCidr: request.sourceCidr }),
  });
  if (decision.allowed) return { allowed: true, sim };
  await deps.store.ledger.record({
    kind: 'denied',
    teamId: clicker.teamId,
    userId: clicker.userId,
    channelId: request.channelId,
    ...(request.simId === undefined ? {} : { simId: request.simId }),
    ...(request.devicePort === undefined ? {} : { devicePort: request.devicePort }),
    details: { action: request.action, reason: decision.reason.key },
  });
  await refuse(clicker, 'thread.refused.policy', { reason: t(clicker.lang, decision.reason) });
  return { allowed: false };
}

/** Runs a click's work after the ack; an unexpected failure is logged and told to the clicker. */
export async function guardedClick(deps: SlackDeps, label: string, clicker: () => Promise<Clicker>, work: (clicker: Clicker) => Promise<void>): Promise<void> {
  let who: Clicker | undefined;
  try {
    who = await clicker();
    await work(who);
  } catch (error) {
    deps.logger.error(`${label} failed`, errorCode(error), error);
    if (who !== undefined) {
      await who.responder.send(failureMessage(who.lang, describeFailure(error), errorCode(error))).catch(() => undefined);
    }
  }
}
