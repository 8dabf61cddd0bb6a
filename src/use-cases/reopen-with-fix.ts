import type { MappingFix, Remedy } from '../domain/diagnosis/types';
import type { MessageRef } from '../domain/i18n/message-ref';
import { hostCidr } from '../domain/net/index';
import { protocolOfPort } from '../domain/port-mapping';
import { DEFAULT_MAPPING_DURATION_SEC, MAX_MAPPING_DURATION_SEC, type PortMapping, type SimSnapshot } from '../domain/soracom';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { diagnosisForClick, type LoadedDiagnosis } from './diagnosis-record';
import { type OpenIntent, type OpenOutcome, openFrom, requestOpen } from './open';

/** As long as the response_url that carried the question works. */
const CONFIRM_IP_TTL_MS = 30 * 60 * 1000;

/** A diagnosis's remedy that reopens its mapping, as a button names it (the fix itself stays server-side). */
export interface FixRef {
  readonly diagnosisId: string;
  readonly remedyIndex: number;
}

export interface FixRequest {
  readonly actor: Actor;
  readonly fix: FixRef;
  /** Unique per click: a redelivery of the same click opens at most once. */
  readonly clickId: string;
  /** Told before a fix is applied (the adapter says which). */
  readonly onApplying?: ((fix: MappingFix | undefined) => Promise<void>) | undefined;
  /** Told just before SORACOM is asked to open. */
  readonly onOpening?: ((sim: SimSnapshot) => Promise<void>) | undefined;
}

/** Why a fix button does nothing: its diagnosis is gone or elsewhere, it names no such remedy, or no SIM is known. */
export type FixRefusal =
  | { readonly kind: 'stale' | 'elsewhere' | 'invalid' | 'no-sim' }
  | { readonly kind: 'no-mapping'; readonly simTyped: string }
  | { readonly kind: 'denied'; readonly reason: MessageRef };

export type FixOutcome =
  | FixRefusal
  /** The address came from the audit log: the clicker is asked, alone, whether it is theirs. */
  | { readonly kind: 'confirm-ip'; readonly ip: string; readonly seenCount: number }
  | {
      readonly kind: 'asked';
      readonly sim: SimSnapshot;
      readonly fix: MappingFix | undefined;
      /** Where the request counts as made: the card goes there. */
      readonly channelId: string;
      readonly diagnosisId: string;
      readonly outcome: OpenOutcome;
    };

interface FixTarget {
  readonly found: LoadedDiagnosis;
  readonly fix: MappingFix | undefined;
  readonly intent: Omit<OpenIntent, 'source'>;
  readonly simId: string;
}

/**
 * "Open again with the fix": the diagnosis's own remedy (TLS off, the right port, the address seen in DENIED
 * events) applied through the open use-case, which asks the policy, opens or reuses, and hands the endpoint to
 * the clicker alone. An address from the audit log is used only once the clicker says it is theirs.
 */
export async function reopenWithFix(deps: UseCaseDeps, request: FixRequest): Promise<FixOutcome> {
  const { actor } = request;
  const target = await fixTarget(deps, actor, request.fix);
  if ('kind' in target) return target;
  const channelId = actor.channelId ?? target.found.stored.channelId;
  const { fix } = target;
  const sim = await deps.api.getSim(target.simId);
  if (fix !== undefined && 'sourceIp' in fix) {
    // The full address goes only to a clicker who may open from it, and only to them.
    const access = await authorizeOrDeny(deps, actor, {
      action: 'open',
      channelId,
      sim,
      simId: target.simId,
      devicePort: target.intent.devicePort,
      durationSec: target.intent.durationSec,
      sourceCidr: hostCidr(fix.sourceIp),
    });
    if (!access.allowed) return { kind: 'denied', reason: access.reason };
    await deps.store.remembered.remember(questionKey(actor, request.fix), CONFIRM_IP_TTL_MS, { ip: fix.sourceIp });
    const seen = target.found.record.diagnosis.observedSources.find((source) => source.ip === fix.sourceIp);
    return { kind: 'confirm-ip', ip: fix.sourceIp, seenCount: seen?.count ?? 1 };
  }
  if (sim === undefined) return { kind: 'no-sim' };
  const last = await deps.store.lastIps.get(actor.teamId, actor.userId);
  await request.onApplying?.(fix);
  const outcome = await requestOpen(deps, {
    actor,
    channelId,
    sim,
    // A confirmed address of the clicker is reused; otherwise they prove it on the IP page, as for any open.
    intent: { ...target.intent, source: last === undefined ? { kind: 'me' } : { kind: 'last' } },
    requestKey: `fix:${target.found.stored.id}:${request.fix.remedyIndex}:${request.clickId}`,
    // The clicked message is a channel thread reply (or the clicker's ephemeral diagnosis): replacing it after the
    // IP page would show the endpoint to the channel (or wipe the diagnosis). The link button's own click gives the
    // link a response_url that replaces the link message instead.
    responseUrl: undefined,
    onOpening: request.onOpening,
  });
  return { kind: 'asked', sim, fix, channelId, diagnosisId: target.found.stored.id, outcome };
}

/** The clicker says the address from the audit log is theirs: only the person who was asked may, and it opens. */
export async function confirmObservedIp(deps: UseCaseDeps, request: FixRequest): Promise<FixOutcome> {
  const { actor } = request;
  const target = await fixTarget(deps, actor, request.fix);
  if ('kind' in target) return target;
  const { fix } = target;
  if (fix === undefined || !('sourceIp' in fix)) return { kind: 'invalid' };
  const asked = await deps.store.remembered.recall(questionKey(actor, request.fix));
  if ((asked as { ip?: unknown } | undefined)?.ip !== fix.sourceIp) return { kind: 'invalid' };
  const sim = await deps.api.getSim(target.simId);
  if (sim === undefined) return { kind: 'no-sim' };
  const channelId = actor.channelId ?? target.found.stored.channelId;
  const sourceCidr = hostCidr(fix.sourceIp);
  await deps.store.ledger.record({
    kind: 'ip-confirmed',
    teamId: actor.teamId,
    userId: actor.userId,
    channelId,
    simId: target.simId,
    sourceCidr,
    details: { from: 'audit-log', diagnosisId: target.found.stored.id },
  });
  const outcome = await openFrom(
    deps,
    {
      actor,
      channelId,
      sim,
      intent: { ...target.intent, source: { kind: 'cidr', cidr: sourceCidr } },
      requestKey: `confirm-ip:${target.found.stored.id}:${request.fix.remedyIndex}:${request.clickId}`,
      responseUrl: undefined,
      onOpening: request.onOpening,
    },
    sourceCidr,
    'cidr',
  );
  return { kind: 'asked', sim, fix, channelId, diagnosisId: target.found.stored.id, outcome };
}

/** The question "is this address yours?" was put to this person, about this remedy. */
function questionKey(actor: Actor, fix: FixRef): string {
  return `confirm-ip:${actor.teamId}:${actor.userId}:${fix.diagnosisId}:${fix.remedyIndex}`;
}

async function fixTarget(deps: UseCaseDeps, actor: Actor, ref: FixRef): Promise<FixTarget | FixRefusal> {
  const access = await diagnosisForClick(deps, ref.diagnosisId, actor.channelId);
  if (access.kind !== 'found') return access;
  const { record, stored } = access.found;
  const remedy: Remedy | undefined = record.diagnosis.remedies[ref.remedyIndex];
  if (remedy === undefined || (remedy.kind !== 'reopen' && remedy.kind !== 'reopen-with-fix')) return { kind: 'invalid' };
  const mapping = record.diagnosis.mapping;
  const simId = record.sim.simId ?? mapping?.destination.simId;
  if (mapping === undefined || simId === undefined) return { kind: 'no-mapping', simTyped: record.sim.typed };
  const fix = remedy.kind === 'reopen-with-fix' ? remedy.fix : undefined;
  return { found: access.found, fix, simId, intent: intentWithFix(mapping, fix, stored.id) };
}

/** The mapping as it was, with the fix applied; the source is decided by the caller. */
function intentWithFix(mapping: PortMapping, fix: MappingFix | undefined, diagnosisId: string): Omit<OpenIntent, 'source'> {
  const devicePort = fix !== undefined && 'port' in fix ? fix.port : mapping.destination.port;
  return {
    devicePort,
    protocol: protocolOfPort(devicePort),
    durationSec: mapping.durationSec > 0 ? Math.min(mapping.durationSec, MAX_MAPPING_DURATION_SEC) : DEFAULT_MAPPING_DURATION_SEC,
    tlsRequired: fix !== undefined && 'tlsRequired' in fix ? false : mapping.tlsRequired,
    reason: 'retry',
    diagnosisId,
  };
}
