import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { MappingFix, Remedy } from '../../../domain/diagnosis/types';
import { DEFAULT_MAPPING_DURATION_SEC, MAX_MAPPING_DURATION_SEC, type PortMapping } from '../../../domain/soracom';
import { t } from '../../../domain/i18n/catalog';
import { hostCidr } from '../../../domain/net/index';
import type { StoredDiagnosis } from '../../../use-cases/ports/store';
import { noteActivity, type DiagnosisRecord } from '../../diagnosis-flow';
import { ACTION_VALUE_SCHEMAS, decodeActionValue, type FixRefValue } from '../../action-value';
import { escapeMrkdwn, notice } from '../../blocks/common';
import { protocolForPort } from '../../blocks/mapping';
import { buildConfirmObservedIp } from '../../blocks/thread';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { grant, grantedValue } from '../../grants';
import { finishOpen, startOpen, type OpenFlowContext, type OpenFlowResult, type OpenIntent } from '../../open-flow';
import { authorizeClick, clickerOf, guardedClick, isFirstClickDelivery, loadDiagnosis, refuse, type ButtonClick, type Clicker } from './click';

/**
 * "Open again with the fix": the diagnosis's own remedy (TLS off, the right port, the address seen in
 * DENIED events) applied through part 1's open flow, which authorizes, opens or reuses, and sends the
 * endpoint to the clicker alone. An address from the audit log is used only after the clicker confirms
 * it is theirs, in a message only they see.
 */
export function registerFixButtons(app: App, deps: SlackDeps): void {
  app.action<ButtonClick>(ACTION_IDS.openAgainWithFix, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (!(await isFirstClickDelivery(deps, body))) return;
    await deps.tasks.run('open-again-with-fix', () =>
      guardedClick(
        deps,
        'Open again with the fix',
        () => clickerOf(deps, client, body, respond),
        (clicker) => onFix(deps, client, clicker, action.value),
      ),
    );
  });

  app.action<ButtonClick>(ACTION_IDS.confirmObservedIp, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (!(await isFirstClickDelivery(deps, body))) return;
    await deps.tasks.run('confirm-observed-ip', () =>
      guardedClick(
        deps,
        'Confirm observed address',
        () => clickerOf(deps, client, body, respond),
        (clicker) => onConfirmObservedIp(deps, client, clicker, action.value),
      ),
    );
  });
}

/** As long as the response_url that carried the question works. */
const CONFIRM_IP_TTL_MS = 30 * 60 * 1000;

/** The question "is this address yours?" was put to this person, about this diagnosis's remedy. */
function confirmIpKey(clicker: Pick<Clicker, 'teamId' | 'userId'>, diagnosisId: string, remedyIndex: number): string {
  return `confirm-ip:${clicker.teamId}:${clicker.userId}:${diagnosisId}:${remedyIndex}`;
}

interface FixTarget {
  readonly stored: StoredDiagnosis;
  readonly record: DiagnosisRecord;
  readonly remedyIndex: number;
  readonly remedy: Extract<Remedy, { kind: 'reopen' | 'reopen-with-fix' }>;
  readonly mapping: PortMapping;
  readonly simId: string;
}

async function fixTarget(deps: SlackDeps, clicker: Clicker, rawValue: string | undefined): Promise<FixTarget | undefined> {
  const value: FixRefValue | undefined = decodeActionValue(ACTION_VALUE_SCHEMAS.fixRef, rawValue);
  if (value === undefined) {
    await refuse(clicker, 'thread.refused.invalidValue');
    return undefined;
  }
  const found = await loadDiagnosis(deps, clicker, value.diagnosisId);
  if (found === undefined) return undefined;
  const remedy = found.record.diagnosis.remedies[value.remedyIndex];
  if (remedy === undefined || (remedy.kind !== 'reopen' && remedy.kind !== 'reopen-with-fix')) {
    await refuse(clicker, 'thread.refused.invalidValue');
    return undefined;
  }
  const mapping = found.record.diagnosis.mapping;
  const simId = found.record.sim.simId ?? mapping?.destination.simId;
  if (mapping === undefined || simId === undefined) {
    await refuse(clicker, 'thread.fix.noMapping', { sim: escapeMrkdwn(found.record.sim.typed) });
    return undefined;
  }
  return { ...found, remedyIndex: value.remedyIndex, remedy, mapping, simId };
}

function fixOf(remedy: FixTarget['remedy']): MappingFix | undefined {
  return remedy.kind === 'reopen-with-fix' ? remedy.fix : undefined;
}

/** The mapping as it was, with the fix applied; the source is decided by the caller. */
function intentWithFix(target: FixTarget): Omit<OpenIntent, 'source'> {
  const fix = fixOf(target.remedy);
  const devicePort = fix !== undefined && 'port' in fix ? fix.port : target.mapping.destination.port;
  const tlsRequired = fix !== undefined && 'tlsRequired' in fix ? false : target.mapping.tlsRequired;
  const durationSec = target.mapping.durationSec > 0 ? Math.min(target.mapping.durationSec, MAX_MAPPING_DURATION_SEC) : DEFAULT_MAPPING_DURATION_SEC;
  return {
    simId: target.simId,
    devicePort,
    protocol: protocolForPort(devicePort),
    durationSec,
    tlsRequired,
    reason: 'retry',
    diagnosisId: target.stored.id,
  };
}

function flowFor(deps: SlackDeps, client: WebClient, clicker: Clicker, target: FixTarget, requestKey: string): OpenFlowContext {
  return {
    deps,
    client,
    requester: { teamId: clicker.teamId, userId: clicker.userId, channelId: clicker.channelId ?? target.stored.channelId, lang: clicker.lang },
    reply: (message) => clicker.responder.send(message),
    // The clicked message is a channel thread reply (or the clicker's ephemeral diagnosis): replacing it
    // after the IP page would show the endpoint to the channel (or wipe the diagnosis). The link button's
    // own click gives the IP capture a response_url that replaces the link message instead.
    responseUrl: undefined,
    requestKey,
  };
}

async function onFix(deps: SlackDeps, client: WebClient, clicker: Clicker, rawValue: string | undefined): Promise<void> {
  const target = await fixTarget(deps, clicker, rawValue);
  if (target === undefined) return;
  const intent = intentWithFix(target);
  const fix = fixOf(target.remedy);
  const channelId = clicker.channelId ?? target.stored.channelId;

  if (fix !== undefined && 'sourceIp' in fix) {
    // The full address goes only to a clicker who may open from it, and only to them.
    const allowed = await authorizeClick(deps, clicker, {
      action: 'open',
      channelId,
      simId: target.simId,
      devicePort: intent.devicePort,
      durationSec: intent.durationSec,
      sourceCidr: hostCidr(fix.sourceIp),
    });
    if (!allowed.allowed) return;
    const seen = target.record.diagnosis.observedSources.find((source) => source.ip === fix.sourceIp);
    await grant(deps.store, confirmIpKey(clicker, target.stored.id, target.remedyIndex), CONFIRM_IP_TTL_MS, { ip: fix.sourceIp });
    await clicker.responder.send(
      buildConfirmObservedIp(clicker.lang, {
        ip: fix.sourceIp,
        count: seen?.count ?? 1,
        diagnosisId: target.stored.id,
        remedyIndex: target.remedyIndex,
      }),
    );
    return;
  }

  const sim = await deps.api.getSim(target.simId);
  if (sim === undefined) {
    await refuse(clicker, 'thread.refused.noSim');
    return;
  }
  const last = await deps.store.lastIps.get(clicker.teamId, clicker.userId);
  await clicker.responder.send(notice(t(clicker.lang, 'thread.fix.opening', { fix: fixLabel(clicker, fix) })));
  const result = await startOpen(
    flowFor(deps, client, clicker, target, `fix:${target.stored.id}:${target.remedyIndex}:${clicker.actionTs}`),
    // A confirmed address of the clicker is reused; otherwise they prove it on the IP page, as for any open.
    { ...intent, source: last === undefined ? { kind: 'me' } : { kind: 'last' } },
    sim,
  );
  await noteReopened(deps, client, clicker, target, result);
}

async function onConfirmObservedIp(deps: SlackDeps, client: WebClient, clicker: Clicker, rawValue: string | undefined): Promise<void> {
  const target = await fixTarget(deps, clicker, rawValue);
  if (target === undefined) return;
  const fix = fixOf(target.remedy);
  if (fix === undefined || !('sourceIp' in fix)) {
    await refuse(clicker, 'thread.refused.invalidValue');
    return;
  }
  // Only the person who was shown this address, and asked, may say it is theirs.
  if ((await grantedValue(deps.store, confirmIpKey(clicker, target.stored.id, target.remedyIndex)))?.['ip'] !== fix.sourceIp) {
    await refuse(clicker, 'thread.refused.invalidValue');
    return;
  }
  const sim = await deps.api.getSim(target.simId);
  if (sim === undefined) {
    await refuse(clicker, 'thread.refused.noSim');
    return;
  }
  const intent: OpenIntent = { ...intentWithFix(target), source: { kind: 'cidr', cidr: hostCidr(fix.sourceIp) } };
  await deps.store.ledger.record({
    kind: 'ip-confirmed',
    teamId: clicker.teamId,
    userId: clicker.userId,
    channelId: clicker.channelId ?? target.stored.channelId,
    simId: target.simId,
    sourceCidr: hostCidr(fix.sourceIp),
    details: { from: 'audit-log', diagnosisId: target.stored.id },
  });
  const result = await finishOpen(
    flowFor(deps, client, clicker, target, `confirm-ip:${target.stored.id}:${target.remedyIndex}:${clicker.actionTs}`),
    intent,
    sim,
    hostCidr(fix.sourceIp),
    'cidr',
    clicker.userGroupIds,
  );
  await noteReopened(deps, client, clicker, target, result);
}

/** The parent says the fix was applied (never where to: the endpoint stays with the clicker). */
async function noteReopened(deps: SlackDeps, client: WebClient, clicker: Clicker, target: FixTarget, result: OpenFlowResult): Promise<void> {
  if (result.kind !== 'opened' && result.kind !== 'reused') return;
  await noteActivity({ deps, client }, target.stored.id, { kind: 'reopened', userId: clicker.userId, atMs: deps.clock.nowMs() });
}

function fixLabel(clicker: Clicker, fix: MappingFix | undefined): string {
  if (fix === undefined) return t(clicker.lang, 'thread.fix.reopen');
  if ('tlsRequired' in fix) return t(clicker.lang, 'thread.fix.tlsOff');
  if ('port' in fix) return t(clicker.lang, 'thread.fix.port', { port: fix.port });
  return t(clicker.lang, 'thread.fix.sourceIp', { ip: escapeMrkdwn(fix.sourceIp) });
}
