import type { LedgerInput } from './records';

/** The scheduler's rows, as the use-cases read and write them (see `store.ts`, `JobRepository`). */

/**
 * What the one durable scheduler runs: the shared audit-log poll of the watches (`watch-poll`), one delivery of
 * a watch's news to the requester (`watch-notify`, the outbox of a read), a redraw of a mapping's channel card
 * (`watch-card`, one pending per card however much happens), a mapping's reminder before its end (`reminder`) and
 * its end at expiry (`expiry`), and one read of a packet capture's progress (`capture-poll`, due again until the
 * capture ends or the bot stops waiting for it), and the daily clearing of rows nobody needs any more (`housekeeping`).
 */
export const JOB_KINDS = ['watch-poll', 'watch-notify', 'watch-card', 'reminder', 'expiry', 'capture-poll', 'housekeeping'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface JobInput {
  /** Unique: scheduling a key that exists changes nothing (unless `rearm` names a finished one). */
  readonly key: string;
  readonly kind: JobKind;
  readonly dueAtMs: number;
  /** What the job works on, as JSON; its handler owns the shape. */
  readonly payload?: unknown;
}

export interface JobLease {
  /** The process (replica) that claimed it. */
  readonly owner: string;
  /** Changes at every claim: completing or rescheduling names it, so an owner whose lease ran out changes nothing. */
  readonly token: string;
  readonly untilMs: number;
}

export interface Job extends JobInput {
  readonly id: string;
  readonly createdAtMs: number;
  /** How many times it was claimed. */
  readonly attempts: number;
  /** Set while (or since) an owner runs it; a lease whose `untilMs` passed can be claimed by anyone. */
  readonly lease?: JobLease | undefined;
  /** When it finished (done or cancelled); a finished job is kept so that its key stays taken. */
  readonly doneAtMs?: number | undefined;
}

export type ScheduleResult = { readonly job: Job; readonly how: 'created' | 'exists' | 'rearmed' };

// ── watches ─────────────────────────────────────────────────────────────────────────────────────────────────────

export interface StoredWatch {
  readonly mappingId: string;
  /** The watch core's state as JSON (`parseWatchState` reads it). */
  readonly state: unknown;
  readonly startedAtMs: number;
  readonly updatedAtMs: number;
  /** Set once nothing more can arrive for it. */
  readonly finishedAtMs?: number | undefined;
}

/** What one step of watching changes, written as one transaction: a crash keeps all of it or none. */
export interface WatchCommit {
  readonly cursor?: { readonly id: string; readonly value: unknown } | undefined;
  readonly states: readonly { readonly mappingId: string; readonly state: unknown }[];
  readonly finished: readonly string[];
  /** The deliveries and jobs this step asks for (the outbox): scheduled in the same transaction. */
  readonly jobs: readonly { readonly job: JobInput; readonly rearm?: boolean }[];
  /** Ledger rows of this step (how a mapping ended): written in the same transaction, so an end never loses its row. */
  readonly ledger?: readonly LedgerInput[] | undefined;
}
