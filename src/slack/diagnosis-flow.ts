import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { SimRef } from '../domain/command/types';
import { VERDICT_IDS, type Diagnosis, type DiagnosisIntent } from '../domain/diagnosis/types';
import { t } from '../domain/i18n/catalog';
import type { Lang } from '../domain/i18n/message-ref';
import type { AuditEvent, ProbeResult, SimSnapshot } from '../domain/soracom';
import { authorize, policySim } from '../policy/index';
import type { SlackDeps } from './deps';
import { slackErrorCode } from './error-handler';
import { escapeMrkdwn, notice, type SlackMessage } from './blocks/common';
import {
  buildCandidatesMessage,
  buildDiagnosisParent,
  buildNoSuchNameMessage,
  progressText,
  type DiagnosisActivity,
  type DiagnosisSimLabel,
  type DiagnosisView,
  type ProgressStage,
} from './blocks/diagnosis';
import { buildDiagnosisThread, buildEphemeralResult, newestFirst } from './blocks/thread';
import type { StoredDiagnosis } from '../use-cases/ports/store';
import { intentFromLedger } from '../use-cases/diagnosis-intent';
import { gatherEvidence, type GatherProgress } from '../use-cases/gather-evidence';
import { simRefText } from '../use-cases/resolve-sim';

/**
 * `/napter diagnose` and the buttons that (re)run a diagnosis: gather the evidence, store the diagnosis so
 * buttons carry only its id, post the parent in the channel and the evidence in its thread, update the
 * parent in place on later runs, and fall back to the requester alone when the bot cannot post there.
 */

/** Ephemeral replies to the person who asked: the command's or the click's response_url. */
export interface Responder {
  /** Replaces the message the command or click came from (the progress line). */
  replace(message: SlackMessage): Promise<void>;
  /** A new ephemeral message to the requester. */
  send(message: SlackMessage): Promise<void>;
  /** How many posts the response_url still takes (Slack allows five in 30 minutes). */
  remaining(): number;
  /** Whether progress lines make sense here (each replaces the previous one). */
  readonly showsProgress: boolean;
}

export interface DiagnoseContext {
  readonly deps: SlackDeps;
  readonly client: WebClient;
}

export interface DiagnoseRequest {
  readonly teamId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly userGroupIds: readonly string[];
  readonly lang: Lang;
  readonly simRef: SimRef;
  readonly windowSec: number;
  /** What the caller knows for certain (the mapping behind a button); the ledger fills in the rest. */
  readonly intent?: DiagnosisIntent;
  readonly responder: Responder;
}

export type DiagnoseOutcome =
  | { readonly kind: 'posted'; readonly diagnosisId: string; readonly parentTs: string; readonly verdict: string }
  | { readonly kind: 'ephemeral'; readonly diagnosisId: string; readonly verdict: string }
  | { readonly kind: 'denied' }
  | { readonly kind: 'ambiguous'; readonly candidates: number }
  /** A name that matched no SIM: the requester alone was told, with the closest names. */
  | { readonly kind: 'not-found' }
  | { readonly kind: 'failed'; readonly error: unknown };

/** What the store keeps for a diagnosis (the `diagnosis` JSON column): enough to redraw and to act on it. */
export interface DiagnosisRecord {
  readonly v: 1;
  readonly diagnosis: Diagnosis;
  /** The window's events, newest first, capped: the thread table and the ticket's audit-log excerpt. */
  readonly events: readonly AuditEvent[];
  readonly probe?: ProbeResult;
  readonly sim: DiagnosisSimLabel;
  readonly simRef: SimRef;
  readonly windowSec: number;
  readonly run: number;
  readonly ranBy: string;
  readonly ranAtMs: number;
  /** How many packet captures were started from this diagnosis (part of their idempotency key). */
  readonly captures: number;
  /** What people did from this diagnosis (captures, reopens, ticket drafts), newest last; the parent shows it. */
  readonly activity?: readonly DiagnosisActivity[];
}

const STORED_EVENTS_CAP = 200;
/** A run that crashed leaves its key claimed this long, then "Diagnose again" works again. */
const RUN_KEY_TTL_MS = 5 * 60 * 1000;
/** Posts the response_url keeps for the end: the result, or the fallback hint with the result. */
const RESERVED_RESPONSES = 2;

const RECORD_SCHEMA = z
  .object({
    v: z.literal(1),
    diagnosis: z
      .object({
        verdict: z.enum(VERDICT_IDS),
        summary: z.object({ key: z.string() }).loose(),
        remedies: z.array(z.object({ kind: z.string() }).loose()),
        evidence: z.array(z.unknown()),
        observedSources: z.array(z.unknown()),
        nextSteps: z.array(z.unknown()),
        notes: z.array(z.unknown()),
        window: z.object({ fromMs: z.number(), toMs: z.number() }),
      })
      .loose(),
    events: z.array(z.object({ type: z.string(), atMs: z.number() }).loose()),
    sim: z.object({ typed: z.string() }).loose(),
    simRef: z.object({ kind: z.enum(['imsi', 'simId', 'name']) }).loose(),
    windowSec: z.number(),
    run: z.number().int().min(1),
    ranBy: z.string(),
    ranAtMs: z.number(),
    captures: z.number().int().min(0),
  })
  .loose();

/** The record of a stored diagnosis, or undefined when the row is not one this code wrote. */
export function readDiagnosisRecord(stored: StoredDiagnosis): DiagnosisRecord | undefined {
  const parsed = RECORD_SCHEMA.safeParse(stored.diagnosis);
  // The row was written by `diagnoseAndPost` from typed values; the schema guards against old or foreign rows.
  return parsed.success ? (stored.diagnosis as DiagnosisRecord) : undefined;
}

function diagnosisView(stored: StoredDiagnosis, record: DiagnosisRecord, lang: Lang = stored.lang): DiagnosisView {
  return {
    diagnosisId: stored.id,
    diagnosis: record.diagnosis,
    events: record.events,
    ...(record.probe === undefined ? {} : { probe: record.probe }),
    sim: record.sim,
    requestedBy: stored.requestedBy,
    run: record.run,
    ranBy: record.ranBy,
    ranAtMs: record.ranAtMs,
    activity: record.activity ?? [],
    lang,
  };
}

/** The parent keeps the latest few; older ones stay in the ledger. */
const MAX_ACTIVITY = 10;

/**
 * Adds what someone just did to the stored diagnosis and redraws the parent in place, so the channel sees
 * that a capture ran or a fix was applied without opening the thread. The append is one atomic
 * read-modify-write: buttons and a running "Diagnose again" change the same record concurrently.
 */
export async function noteActivity(ctx: DiagnoseContext, diagnosisId: string, activity: DiagnosisActivity): Promise<void> {
  let appended = false;
  await ctx.deps.store.diagnoses.modify(diagnosisId, (current) => {
    const record = readDiagnosisRecord(current);
    if (record === undefined) return undefined;
    appended = true;
    const next: DiagnosisRecord = { ...record, activity: [...(record.activity ?? []), activity].slice(-MAX_ACTIVITY) };
    return { diagnosis: next };
  });
  if (!appended) return;
  await redrawParent(ctx, diagnosisId).catch((error: unknown) => ctx.deps.logger.warn('could not redraw the parent after an action', error));
}

/** Per store (so per app): the parent redraws queued per diagnosis, and the diagnoses being run again. */
interface ParentPainter {
  readonly queues: Map<string, Promise<void>>;
  readonly rerunningBy: Map<string, string>;
}

const painters = new WeakMap<object, ParentPainter>();

function painterFor(deps: SlackDeps): ParentPainter {
  let painter = painters.get(deps.store);
  if (painter === undefined) {
    painter = { queues: new Map(), rerunningBy: new Map() };
    painters.set(deps.store, painter);
  }
  return painter;
}

/**
 * Redraws a diagnosis's channel parent from the row as stored when the update is sent, one update at a time
 * per diagnosis: two actions finishing together cannot leave the parent showing the older of their states.
 * While a "Diagnose again" runs, every redraw keeps saying so. Rejects when chat.update fails.
 */
export function redrawParent(ctx: DiagnoseContext, diagnosisId: string): Promise<void> {
  const painter = painterFor(ctx.deps);
  const previous = painter.queues.get(diagnosisId) ?? Promise.resolve();
  const drawing = previous.then(() => drawParent(ctx, diagnosisId, painter.rerunningBy.get(diagnosisId)));
  const settled = drawing.catch(() => undefined);
  painter.queues.set(diagnosisId, settled);
  void settled.then(() => {
    if (painter.queues.get(diagnosisId) === settled) painter.queues.delete(diagnosisId);
  });
  return drawing;
}

async function drawParent(ctx: DiagnoseContext, diagnosisId: string, rerunningBy: string | undefined): Promise<void> {
  const stored = await ctx.deps.store.diagnoses.get(diagnosisId);
  const record = stored === undefined ? undefined : readDiagnosisRecord(stored);
  if (stored === undefined || record === undefined || stored.parentTs === undefined) return;
  const parent = buildDiagnosisParent(diagnosisView(stored, record), rerunningBy === undefined ? {} : { rerunningBy });
  await ctx.client.chat.update({ channel: stored.channelId, ts: stored.parentTs, ...parent });
}

/** The SIM's ids as the store's rows about a diagnosis carry them, where known. */
export function simIds(sim: DiagnosisSimLabel): { readonly simId?: string; readonly imsi?: string } {
  return { ...(sim.simId === undefined ? {} : { simId: sim.simId }), ...(sim.imsi === undefined ? {} : { imsi: sim.imsi }) };
}

/** The bot cannot post here: not a member of a public channel, or cannot see a private one or a DM. */
export function isNotInChannel(error: unknown): boolean {
  const code = slackErrorCode(error);
  return code === 'not_in_channel' || code === 'channel_not_found';
}

interface ProgressReporter {
  readonly report: (stage: ProgressStage) => void;
  /** Waits for the progress posts already sent, so that the result is not overwritten by a late one. */
  readonly flush: () => Promise<void>;
}

/** Stages worth a response_url post; the others pass too quickly to be read. */
const SHOWN_STAGES: ReadonlySet<ProgressStage['kind']> = new Set(['sim', 'audit-log', 'probe']);

function progressReporter(responder: Responder, lang: Lang, simTyped: string): ProgressReporter {
  let chain = Promise.resolve();
  return {
    report: (stage) => {
      if (!responder.showsProgress || !SHOWN_STAGES.has(stage.kind) || responder.remaining() <= RESERVED_RESPONSES) return;
      const message = notice(progressText(lang, simTyped, stage));
      const sending = responder.replace(message);
      chain = chain.then(() => sending).catch(() => undefined);
    },
    flush: () => chain,
  };
}

function toStage(progress: GatherProgress): ProgressStage | undefined {
  switch (progress.stage) {
    case 'sim':
      return { kind: 'sim' };
    case 'mappings':
      return { kind: 'mappings' };
    case 'audit-log':
      return { kind: 'audit-log' };
    case 'probe':
      return progress.port === undefined ? undefined : { kind: 'probe', port: progress.port };
    case 'diagnosing':
      return { kind: 'diagnosing' };
  }
}

function simLabelFor(simRef: SimRef, sim: SimSnapshot | undefined): DiagnosisSimLabel {
  return {
    typed: simRefText(simRef),
    ...(sim === undefined ? {} : { simId: sim.simId, name: sim.name }),
    ...(sim?.imsi === undefined ? (simRef.kind === 'imsi' ? { imsi: simRef.imsi } : {}) : { imsi: sim.imsi }),
  };
}

type GatherResult =
  | { kind: 'gathered'; record: DiagnosisRecord }
  | { kind: 'ambiguous'; message: SlackMessage; count: number }
  | { kind: 'not-found'; message: SlackMessage }
  | { kind: 'denied' };

async function gather(
  ctx: DiagnoseContext,
  input: {
    simRef: SimRef;
    windowSec: number;
    intent: DiagnosisIntent | undefined;
    teamId: string;
    userId: string;
    userGroupIds: readonly string[];
    channelId: string;
    lang: Lang;
    run: number;
    captures: number;
    activity: readonly DiagnosisActivity[];
    progress: ProgressReporter;
    responder: Responder;
  },
): Promise<GatherResult> {
  const { deps } = ctx;
  const result = await gatherEvidence(
    { api: deps.api, clock: deps.clock, logger: deps.logger },
    {
      sim: input.simRef,
      windowSec: input.windowSec,
      ...(input.intent === undefined ? {} : { intent: input.intent }),
      ledger: (sim) => intentFromLedger(deps, { teamId: input.teamId, userId: input.userId, sim, windowSec: input.windowSec }),
      protocolsByPort: deps.probe.protocols,
      probe: { enabled: deps.probe.enabled, timeoutSec: deps.probe.timeoutSec },
      onProgress: (progress: GatherProgress) => {
        const stage = toStage(progress);
        if (stage !== undefined) input.progress.report(stage);
      },
    },
  );
  await input.progress.flush();
  if (result.candidates !== undefined && result.candidates.length > 1) {
    const name = simRefText(input.simRef);
    return { kind: 'ambiguous', message: buildCandidatesMessage(input.lang, name, result.candidates), count: result.candidates.length };
  }
  if (result.suggestions !== undefined) {
    // A name that matches nothing is the requester's typo: tell them privately, post no card.
    return { kind: 'not-found', message: buildNoSuchNameMessage(input.lang, simRefText(input.simRef), result.suggestions) };
  }
  const sim = result.resolvedSim ?? result.input.sim;
  if (sim !== undefined) {
    const decision = authorize(deps.policy, {
      action: 'diagnose',
      userId: input.userId,
      userGroupIds: input.userGroupIds,
      channelId: input.channelId,
      sim: policySim(sim),
    });
    if (!decision.allowed) {
      await input.responder.replace(notice(t(input.lang, 'thread.refused.policy', { reason: t(input.lang, decision.reason) })));
      return { kind: 'denied' };
    }
  }
  const record: DiagnosisRecord = {
    v: 1,
    diagnosis: result.diagnosis,
    events: newestFirst(result.input.events).slice(0, STORED_EVENTS_CAP),
    ...(result.input.probe === undefined ? {} : { probe: result.input.probe }),
    sim: simLabelFor(input.simRef, sim),
    simRef: sim === undefined ? input.simRef : { kind: 'simId', simId: sim.simId },
    windowSec: input.windowSec,
    run: input.run,
    ranBy: input.userId,
    ranAtMs: deps.clock.nowMs(),
    captures: input.captures,
    activity: input.activity,
  };
  return { kind: 'gathered', record };
}

/** Posts the thread replies under `parentTs`; a failed reply is logged and the rest still go out. */
async function postThread(ctx: DiagnoseContext, channelId: string, parentTs: string, messages: readonly SlackMessage[]): Promise<void> {
  for (const message of messages) {
    try {
      await ctx.client.chat.postMessage({ channel: channelId, thread_ts: parentTs, ...message });
    } catch (error) {
      ctx.deps.logger.warn('diagnosis thread reply failed', error);
    }
  }
}

/** Sends the whole result to the requester alone, after the hint on how to invite the bot. */
async function sendEphemeralResult(view: DiagnosisView, responder: Responder): Promise<void> {
  const parent = buildDiagnosisParent(view, { ephemeral: true });
  const messages = buildEphemeralResult(view, parent, Math.max(1, responder.remaining()));
  const [first, ...rest] = messages;
  if (first !== undefined) await responder.replace(first);
  for (const message of rest) await responder.send(message);
}

/** The first run: `/napter diagnose` or the Diagnose button on an open reply. */
export async function diagnoseAndPost(ctx: DiagnoseContext, request: DiagnoseRequest): Promise<DiagnoseOutcome> {
  const { deps } = ctx;
  const { lang, responder } = request;
  const simTyped = simRefText(request.simRef);

  const early = authorize(deps.policy, {
    action: 'diagnose',
    userId: request.userId,
    userGroupIds: request.userGroupIds,
    channelId: request.channelId,
  });
  if (!early.allowed) {
    await responder.replace(notice(t(lang, 'thread.refused.policy', { reason: t(lang, early.reason) })));
    return { kind: 'denied' };
  }

  let record: DiagnosisRecord;
  const progress = progressReporter(responder, lang, simTyped);
  try {
    const result = await gather(ctx, {
      simRef: request.simRef,
      windowSec: request.windowSec,
      intent: request.intent,
      teamId: request.teamId,
      userId: request.userId,
      userGroupIds: request.userGroupIds,
      channelId: request.channelId,
      lang,
      run: 1,
      captures: 0,
      activity: [],
      progress,
      responder,
    });
    if (result.kind === 'denied') return result;
    if (result.kind === 'ambiguous') {
      await responder.replace(result.message);
      return { kind: 'ambiguous', candidates: result.count };
    }
    if (result.kind === 'not-found') {
      await responder.replace(result.message);
      return { kind: 'not-found' };
    }
    record = result.record;
  } catch (error) {
    deps.logger.error('diagnosis failed', error);
    await progress.flush();
    await responder.replace(notice(t(lang, 'thread.progress.failed', { sim: `\`${escapeMrkdwn(simTyped)}\``, reason: reasonOf(error) })));
    return { kind: 'failed', error };
  }

  const stored = await deps.store.diagnoses.save({
    teamId: request.teamId,
    channelId: request.channelId,
    requestedBy: request.userId,
    simRefText: simTyped,
    ...simIds(record.sim),
    windowFromMs: record.diagnosis.window.fromMs,
    windowToMs: record.diagnosis.window.toMs,
    verdict: record.diagnosis.verdict,
    diagnosis: record,
    ...(request.intent === undefined ? {} : { intent: request.intent }),
    lang,
  });
  await deps.store.ledger.record({
    kind: 'diagnose',
    teamId: request.teamId,
    userId: request.userId,
    channelId: request.channelId,
    ...simIds(record.sim),
    details: { diagnosisId: stored.id, verdict: record.diagnosis.verdict, run: 1 },
  });

  const outcome = await postParentAndThread(ctx, stored, diagnosisView(stored, record, lang), responder);
  if (outcome.kind === 'posted') await responder.replace(notice(t(lang, 'thread.progress.posted', { sim: `\`${escapeMrkdwn(simTyped)}\`` })));
  return outcome;
}

export interface RediagnoseRequest {
  readonly stored: StoredDiagnosis;
  readonly record: DiagnosisRecord;
  readonly userId: string;
  readonly userGroupIds: readonly string[];
  /** The clicker's language for ephemeral replies; the parent keeps the requester's. */
  readonly lang: Lang;
  readonly responder: Responder;
}

export type RediagnoseOutcome = DiagnoseOutcome | { readonly kind: 'duplicate' };

/**
 * "Diagnose again": one run per stored run number, however often the button is clicked meanwhile; the
 * same parent is updated in place and the new evidence goes to its thread.
 */
export async function rediagnoseAndUpdate(ctx: DiagnoseContext, request: RediagnoseRequest): Promise<RediagnoseOutcome> {
  const { deps } = ctx;
  const { stored, record, responder } = request;
  const runKey = `diagnose-again:${stored.id}:run${record.run}`;
  const claim = await deps.store.claims.claim(runKey, RUN_KEY_TTL_MS);
  if (!claim.claimed) {
    await responder.send(notice(t(request.lang, 'thread.refused.duplicate')));
    return { kind: 'duplicate' };
  }

  const parentLang = stored.lang;
  const painter = painterFor(deps);
  const redraw = async (what: string) => {
    await redrawParent(ctx, stored.id).catch((error: unknown) => deps.logger.warn(`could not ${what}`, error));
  };
  painter.rerunningBy.set(stored.id, request.userId);
  try {
    await redraw('mark the parent as re-running');
    const progress = progressReporter(responder, request.lang, record.sim.typed);
    const result = await gather(ctx, {
      simRef: record.simRef,
      windowSec: record.windowSec,
      intent: undefined,
      teamId: stored.teamId,
      userId: request.userId,
      userGroupIds: request.userGroupIds,
      channelId: stored.channelId,
      lang: request.lang,
      run: record.run + 1,
      captures: record.captures,
      activity: record.activity ?? [],
      progress,
      responder,
    });
    if (result.kind !== 'gathered') {
      if (result.kind === 'ambiguous' || result.kind === 'not-found') await responder.send(result.message);
      painter.rerunningBy.delete(stored.id);
      await redraw('restore the parent');
      await deps.store.claims.release(runKey);
      if (result.kind === 'ambiguous') return { kind: 'ambiguous', candidates: result.count };
      return result.kind === 'denied' ? result : { kind: 'not-found' };
    }
    // The run took a while: captures, reopens and ticket drafts noted meanwhile are in the row now, not in
    // `record` as it was at the click. The new evidence replaces the old; what people did is kept.
    let next = result.record;
    const updated =
      (await deps.store.diagnoses.modify(stored.id, (current) => {
        const latest = readDiagnosisRecord(current) ?? record;
        next = { ...result.record, captures: Math.max(latest.captures, result.record.captures), activity: latest.activity ?? [] };
        return {
          verdict: next.diagnosis.verdict,
          diagnosis: next,
          windowFromMs: next.diagnosis.window.fromMs,
          windowToMs: next.diagnosis.window.toMs,
        };
      })) ?? stored;
    await deps.store.ledger.record({
      kind: 'retry',
      teamId: stored.teamId,
      userId: request.userId,
      channelId: stored.channelId,
      ...simIds(next.sim),
      details: { what: 'diagnose', diagnosisId: stored.id, verdict: next.diagnosis.verdict, run: next.run },
    });
    const view = diagnosisView(updated, next, parentLang);
    let outcome: DiagnoseOutcome;
    painter.rerunningBy.delete(stored.id);
    if (updated.parentTs !== undefined) {
      await redrawParent(ctx, stored.id);
      await postThread(ctx, updated.channelId, updated.parentTs, buildDiagnosisThread(view));
      outcome = { kind: 'posted', diagnosisId: stored.id, parentTs: updated.parentTs, verdict: next.diagnosis.verdict };
    } else {
      // The first run went to the requester alone: the bot may have been invited since.
      outcome = await postParentAndThread(ctx, updated, view, responder);
    }
    await deps.store.claims.complete(runKey, { run: next.run });
    return outcome;
  } catch (error) {
    await deps.store.claims.release(runKey);
    deps.logger.error('diagnose again failed', error);
    painter.rerunningBy.delete(stored.id);
    await redraw('restore the parent');
    await responder
      .send(notice(t(request.lang, 'thread.progress.failed', { sim: `\`${escapeMrkdwn(record.sim.typed)}\``, reason: reasonOf(error) })))
      .catch(() => undefined);
    return { kind: 'failed', error };
  } finally {
    painter.rerunningBy.delete(stored.id);
  }
}

/** Posts a new parent and its thread in the channel; when the bot cannot post there, the requester alone gets the result. */
async function postParentAndThread(ctx: DiagnoseContext, stored: StoredDiagnosis, view: DiagnosisView, responder: Responder): Promise<DiagnoseOutcome> {
  const parent = buildDiagnosisParent(view);
  try {
    const posted = await ctx.client.chat.postMessage({ channel: stored.channelId, ...parent });
    if (typeof posted.ts !== 'string') throw new Error('chat.postMessage answered without a ts');
    await ctx.deps.store.diagnoses.update(stored.id, { parentTs: posted.ts });
    await postThread(ctx, stored.channelId, posted.ts, buildDiagnosisThread(view));
    return { kind: 'posted', diagnosisId: stored.id, parentTs: posted.ts, verdict: view.diagnosis.verdict };
  } catch (error) {
    if (!isNotInChannel(error)) throw error;
    await sendEphemeralResult(view, responder);
    return { kind: 'ephemeral', diagnosisId: stored.id, verdict: view.diagnosis.verdict };
  }
}

/** What the user is told went wrong: the error's code when it has one (the admin can look it up), else its kind. */
export function reasonOf(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}
