import type { App, BlockAction, ButtonAction, RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SourceSpec } from '../../../domain/command/types';
import { msg, type Lang } from '../../../domain/i18n/message-ref';
import type { StoredMapping } from '../../../use-cases/ports/store';
import { simLabel } from '../../../use-cases/resolve-sim';
import { ACTION_VALUE_SCHEMAS, decodeActionValue } from '../../action-value';
import { escapeMrkdwn, type SlackMessage } from '../../blocks/common';
import { deniedMessage, failureMessage, plainMessageRef } from '../../blocks/errors';
import { protocolForPort, serviceLabel } from '../../blocks/mapping';
import { closeForUser } from '../../close-flow';
import { isFirstDelivery } from '../../dedupe';
import { ephemeralResponse } from '../../deliver';
import type { SlackDeps } from '../../deps';
import { describeFailure, errorCode } from '../../error-handler';
import { ACTION_IDS } from '../../ids';
import { startOpen, type OpenFlowContext } from '../../open-flow';

type ButtonClick = BlockAction<ButtonAction>;

/**
 * The buttons on mapping messages: Close now (on the requester's reply and on the channel card) and
 * Open again (on the requester's reply). Every click is checked for the clicker, not for whoever ran the
 * command, and the value is only a store id, validated before use.
 */
export function registerMappingListeners(app: App, deps: SlackDeps): void {
  app.action<ButtonClick>(ACTION_IDS.closeNow, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (!(await isFirstDelivery(deps.store, body.team?.id ?? '', body.trigger_id))) return;
    await deps.tasks.run('close-now', () => guarded(deps, client, body, respond, () => onCloseNow(deps, client, body, action, respond)));
  });
  app.action<ButtonClick>(ACTION_IDS.openAgain, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (!(await isFirstDelivery(deps.store, body.team?.id ?? '', body.trigger_id))) return;
    await deps.tasks.run('open-again', () => guarded(deps, client, body, respond, () => onOpenAgain(deps, client, body, action, respond)));
  });
}

interface Clicker {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string | undefined;
  readonly lang: Lang;
  /** Whether the clicked message is the requester's ephemeral reply (replaceable) or a channel message. */
  readonly onEphemeral: boolean;
}

async function clickerOf(deps: SlackDeps, client: WebClient, body: ButtonClick): Promise<Clicker> {
  const container = body.container as { is_ephemeral?: boolean } | undefined;
  return {
    teamId: body.team?.id ?? body.user.team_id ?? '',
    userId: body.user.id,
    channelId: body.channel?.id,
    lang: await deps.locale(client, body.user.id),
    onEphemeral: container?.is_ephemeral === true,
  };
}

/** A new ephemeral message to the clicker, leaving the clicked message alone (a channel card stays a card). */
async function tellClicker(respond: RespondFn, message: SlackMessage, replaceOriginal = false): Promise<void> {
  await respond(ephemeralResponse(message, replaceOriginal));
}

async function guarded(deps: SlackDeps, client: WebClient, body: ButtonClick, respond: RespondFn, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    deps.logger.error('Button click failed', body.actions[0]?.action_id, errorCode(error), error);
    const lang = await deps.locale(client, body.user.id);
    await tellClicker(respond, failureMessage(lang, describeFailure(error), errorCode(error))).catch(() => undefined);
  }
}

async function storedMappingOf(deps: SlackDeps, action: ButtonAction): Promise<StoredMapping | undefined> {
  const value = decodeActionValue(ACTION_VALUE_SCHEMAS.mappingRef, action.value);
  return value === undefined ? undefined : await deps.store.mappings.get(value.mappingId);
}

async function onCloseNow(deps: SlackDeps, client: WebClient, body: ButtonClick, action: ButtonAction, respond: RespondFn): Promise<void> {
  const clicker = await clickerOf(deps, client, body);
  const stored = await storedMappingOf(deps, action);
  if (stored === undefined) {
    await tellClicker(respond, plainMessageRef(clicker.lang, msg('slack.button.stale')));
    return;
  }
  const userGroupIds = await deps.userGroups(client, clicker.teamId, clicker.userId);
  const sim = stored.simId === undefined ? undefined : await deps.api.getSim(stored.simId);
  const outcome = await closeForUser(
    deps,
    client,
    { teamId: clicker.teamId, userId: clicker.userId, channelId: clicker.channelId ?? stored.channelId, userGroupIds },
    { ipAddress: stored.ipAddress, port: stored.port, stored, ...(sim === undefined ? {} : { sim }), devicePort: stored.devicePort },
    {
      requestKey: `click:${clicker.teamId}:${body.trigger_id}`,
      // Replacing through the click is right only on the clicker's own ephemeral, never on the channel card.
      reply: { v: 1, lang: clicker.lang, ...(clicker.onEphemeral ? { responseUrl: body.response_url } : {}) },
    },
  );
  const params = { service: serviceLabel(stored.devicePort), sim: escapeMrkdwn(sim === undefined ? (stored.simId ?? '?') : simLabel(sim)) };
  switch (outcome.kind) {
    case 'denied':
      await tellClicker(respond, deniedMessage(clicker.lang, outcome.reason));
      return;
    case 'closed':
    case 'already-gone':
      await tellClicker(respond, plainMessageRef(clicker.lang, msg('slack.close.done', params)), clicker.onEphemeral);
      return;
    case 'already-closed':
      await tellClicker(respond, plainMessageRef(clicker.lang, msg('slack.close.already-closed', { ...params, user: `<@${outcome.byUserId}>` })));
      return;
    case 'in-progress':
      await tellClicker(respond, plainMessageRef(clicker.lang, msg('slack.close.in-progress', params)));
      return;
  }
}

async function onOpenAgain(deps: SlackDeps, client: WebClient, body: ButtonClick, action: ButtonAction, respond: RespondFn): Promise<void> {
  const clicker = await clickerOf(deps, client, body);
  const stored = await storedMappingOf(deps, action);
  if (stored === undefined || stored.simId === undefined) {
    await tellClicker(respond, plainMessageRef(clicker.lang, msg('slack.button.stale')));
    return;
  }
  const sim = await deps.api.getSim(stored.simId);
  if (sim === undefined) {
    await tellClicker(respond, plainMessageRef(clicker.lang, msg('slack.sim.gone', { simId: escapeMrkdwn(stored.simId) })));
    return;
  }
  const replace = clicker.onEphemeral;
  const flow: OpenFlowContext = {
    deps,
    client,
    requester: { teamId: clicker.teamId, userId: clicker.userId, channelId: clicker.channelId ?? stored.channelId, lang: clicker.lang },
    reply: (message) => tellClicker(respond, message, replace),
    // Confirm on the IP page replaces through it: only safe when the clicked message is the clicker's own.
    responseUrl: replace ? body.response_url : undefined,
    requestKey: `click:${clicker.teamId}:${body.trigger_id}`,
  };
  await startOpen(
    flow,
    {
      simId: sim.simId,
      devicePort: stored.devicePort,
      protocol: protocolForPort(stored.devicePort),
      durationSec: stored.durationSec,
      tlsRequired: stored.tlsRequired,
      source: await sourceForReopen(deps, stored, clicker.userId),
      reason: 'retry',
    },
    sim,
  );
}

/**
 * "The same parameters": an explicitly given range is reused as given; a captured or last-confirmed address
 * is captured again, because a changed address is the usual reason to reopen. Someone other than the opener
 * always proves their own address.
 */
async function sourceForReopen(deps: SlackDeps, stored: StoredMapping, clickerId: string): Promise<SourceSpec> {
  if (clickerId !== stored.openedBy.userId) return { kind: 'me' };
  const [opened] = (await deps.store.ledger.list({ mappingId: stored.id, limit: 20 })).filter((entry) => entry.kind === 'open' || entry.kind === 'retry');
  const source = opened?.details?.source;
  return source === 'cidr' ? { kind: 'cidr', cidr: stored.sourceCidr } : { kind: 'me' };
}
