import { z } from 'zod';
import type { SimRef } from '../domain/command/types';
import { type Diagnosis, VERDICT_IDS } from '../domain/diagnosis/types';
import type { AuditEvent, ProbeResult } from '../domain/soracom';
import type { UseCaseDeps } from './deps';
import type { StoredDiagnosis } from './ports/store';

/** How a diagnosis names its SIM: what the user typed, and what SORACOM resolved it to. */
export interface DiagnosisSimLabel {
  readonly typed: string;
  readonly simId?: string | undefined;
  readonly imsi?: string | undefined;
  readonly name?: string | undefined;
}

/** Something a person did from a diagnosis; its parent message shows the latest. */
export interface DiagnosisActivity {
  readonly kind: 'capture-started' | 'capture-done' | 'capture-failed' | 'reopened' | 'ticket-drafted';
  readonly userId: string;
  readonly atMs: number;
}

/** What the store keeps of a diagnosis (its `diagnosis` JSON): enough to redraw it and to act on it. */
export interface DiagnosisRecord {
  readonly v: 1;
  readonly diagnosis: Diagnosis;
  /** The window's events, newest first, capped: the thread's table and the ticket's audit-log excerpt. */
  readonly events: readonly AuditEvent[];
  readonly probe?: ProbeResult | undefined;
  readonly sim: DiagnosisSimLabel;
  readonly simRef: SimRef;
  readonly windowSec: number;
  readonly run: number;
  readonly ranBy: string;
  readonly ranAtMs: number;
  /** How many packet captures were started from this diagnosis (part of their idempotency key). */
  readonly captures: number;
  /** What people did from this diagnosis (captures, reopens, ticket drafts), newest last. */
  readonly activity?: readonly DiagnosisActivity[] | undefined;
}

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
  // The row was written from typed values by `diagnose`; the schema guards against old or foreign rows.
  return RECORD_SCHEMA.safeParse(stored.diagnosis).success ? (stored.diagnosis as DiagnosisRecord) : undefined;
}

export interface LoadedDiagnosis {
  readonly stored: StoredDiagnosis;
  readonly record: DiagnosisRecord;
}

/** A stored diagnosis this code can read, or undefined. */
export async function loadDiagnosis(deps: Pick<UseCaseDeps, 'store'>, diagnosisId: string): Promise<LoadedDiagnosis | undefined> {
  const stored = await deps.store.diagnoses.get(diagnosisId);
  const record = stored === undefined ? undefined : readDiagnosisRecord(stored);
  return stored === undefined || record === undefined ? undefined : { stored, record };
}

export type DiagnosisAccess = { readonly kind: 'found'; readonly found: LoadedDiagnosis } | { readonly kind: 'stale' } | { readonly kind: 'elsewhere' };

/**
 * The diagnosis a button names, only when the click comes from the conversation it was posted in: a button's
 * value is the bot's own word, but one naming a diagnosis of another channel (forged, or replayed elsewhere)
 * would act on, and show, what the clicker may never have been able to see.
 */
export async function diagnosisForClick(deps: UseCaseDeps, diagnosisId: string, channelId: string | undefined): Promise<DiagnosisAccess> {
  const found = await loadDiagnosis(deps, diagnosisId);
  if (found === undefined) return { kind: 'stale' };
  if (channelId === undefined || channelId !== found.stored.channelId) {
    deps.logger.warn('Refused a click on a diagnosis of another conversation', { diagnosisId, from: channelId });
    return { kind: 'elsewhere' };
  }
  return { kind: 'found', found };
}

/** The parent keeps the latest few; older ones stay in the ledger. */
const MAX_ACTIVITY = 10;

/**
 * Adds what someone did to the stored diagnosis, as one atomic read-modify-write (buttons and a running "Diagnose
 * again" change the same record concurrently). False when there is no such diagnosis to note it on.
 */
export async function noteActivity(
  deps: Pick<UseCaseDeps, 'store'>,
  diagnosisId: string,
  activity: DiagnosisActivity,
  /** Read in the same transaction as the write: false leaves the record as it is (a note that is there already). */
  onlyIf?: (existing: readonly DiagnosisActivity[]) => boolean,
): Promise<boolean> {
  let appended = false;
  await deps.store.diagnoses.modify(diagnosisId, (current) => {
    const record = readDiagnosisRecord(current);
    if (record === undefined || (onlyIf !== undefined && !onlyIf(record.activity ?? []))) return undefined;
    appended = true;
    return { diagnosis: { ...record, activity: [...(record.activity ?? []), activity].slice(-MAX_ACTIVITY) } };
  });
  return appended;
}

/** The SIM's ids as the store's rows about a diagnosis carry them, where known. */
export function simIds(sim: DiagnosisSimLabel): { readonly simId: string | undefined; readonly imsi: string | undefined } {
  return { simId: sim.simId, imsi: sim.imsi };
}
