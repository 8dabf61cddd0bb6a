import { BotError } from '../../common/errors';
import type {
  CaptureInput,
  CapturePatch,
  DiagnosisInput,
  DiagnosisPatch,
  IdempotencyClaim,
  InFlight,
  InFlightFilter,
  InFlightInput,
  InFlightPatch,
  InFlightState,
  IpCapture,
  IpCaptureInput,
  IpCaptureLookup,
  LastConfirmedIp,
  LedgerEntry,
  LedgerFilter,
  LedgerInput,
  MappingFilter,
  MappingInput,
  SlackMessageRef,
  SlackUserRef,
  StoredCapture,
  StoredDiagnosis,
  StoredMapping,
} from './records';
import type { Job, JobInput, JobKind, JobLease, ScheduleResult, StoredWatch, WatchCommit } from './job-records';

export * from './records';
export * from './job-records';

/**
 * What the bot must remember across restarts, and what SORACOM alone cannot tell: which Slack user opened which
 * mapping, work in flight, one-time IP links, diagnoses and their packet captures, and the ledger of who did what.
 *
 * A port of the use-cases: asynchronous, so that an adapter over a network database (several replicas) drops in
 * without touching a caller. One repository per table over one database; `test/storage/contract/` pins what every
 * adapter must do. Every time is Unix milliseconds from the store's clock. Optional fields are absent when unknown.
 */
export interface Store {
  readonly ledger: LedgerRepository;
  readonly mappings: MappingRepository;
  readonly inflight: InFlightRepository;
  readonly ipCaptures: IpCaptureRepository;
  /** Idempotency keys: claimed by one request, completed with its result or released for a retry. */
  readonly claims: ClaimRepository;
  /** One-off permissions handed to one person (a modal, a question only they were shown). */
  readonly remembered: RememberedValues;
  readonly lastIps: LastIpRepository;
  readonly diagnoses: DiagnosisRepository;
  /** SORACOM Peek packet captures started from a diagnosis. */
  readonly captures: CaptureRepository;
  /** The durable scheduler's jobs, claimed with a lease before they run. */
  readonly jobs: JobRepository;
  /** What the watches of the mappings the bot opened have seen, and the shared audit-log read's cursor. */
  readonly watches: WatchRepository;
  close(): Promise<void>;
}

/** What an adapter throws for an update of a row that does not exist (where the method says so). */
export class StoreError extends BotError {}

export interface LedgerRepository {
  record(entry: LedgerInput): Promise<LedgerEntry>;
  /** Newest first; entries of the same millisecond, the later write first. */
  list(filter?: LedgerFilter): Promise<LedgerEntry[]>;
}

export interface MappingRepository {
  /**
   * `takesCardOf`: an Extend's new mapping takes over the channel card of the mapping it replaces, in the same
   * transaction as its row: the card moves to the new row and leaves the old one, which never redraws it again.
   * Nothing moves when that mapping is unknown, has no card or is closed (its card says so already).
   */
  save(mapping: MappingInput, options?: { readonly takesCardOf?: string | undefined }): Promise<StoredMapping>;
  get(id: string): Promise<StoredMapping | undefined>;
  /** The newest mapping the bot stored for this public endpoint (SORACOM hands endpoints out again over time). */
  findByEndpoint(ipAddress: string, port: number): Promise<StoredMapping | undefined>;
  /** Newest first. */
  list(filter?: MappingFilter): Promise<StoredMapping[]>;
  /** The mapping whose channel card this message is now (an Extend moves a card); undefined when none's is. */
  findByCard(card: SlackMessageRef): Promise<StoredMapping | undefined>;
  /** Throws a StoreError STORE_NOT_FOUND for an unknown id. */
  setCard(id: string, card: SlackMessageRef): Promise<void>;
  /** The first close wins: a second one changes nothing. Throws a StoreError STORE_NOT_FOUND for an unknown id. */
  markClosed(id: string, closed: { readonly byUserId: string; readonly atMs: number }): Promise<void>;
}

export interface InFlightRepository {
  /** Written before the change to SORACOM, in state `started` (open) or `deleting` (close). */
  begin(input: InFlightInput & { readonly state: InFlightState }): Promise<InFlight>;
  get(id: string): Promise<InFlight | undefined>;
  /** Fields left out keep their value; undefined for an unknown id. */
  update(id: string, patch: InFlightPatch): Promise<InFlight | undefined>;
  /** The person waiting was told how it ended. */
  settle(id: string): Promise<void>;
  /** Oldest first. */
  list(filter?: InFlightFilter): Promise<InFlight[]>;
  /** Deletes the rows settled before `beforeMs` (their users were told long ago); unsettled ones stay. How many. */
  pruneSettled(beforeMs: number): Promise<number>;
}

export interface IpCaptureRepository {
  /** The token is returned once and never stored (only a hash of it is): it alone opens the page. */
  create(capture: IpCaptureInput): Promise<{ readonly capture: IpCapture; readonly token: string }>;
  /** For a GET: does not consume. */
  peek(token: string): Promise<IpCaptureLookup>;
  /** Atomic: of two concurrent consumes (from any connection) exactly one gets the capture, the other `used`. */
  consume(token: string): Promise<IpCaptureLookup>;
  /**
   * Replaces the capture's response_url while the capture is still open (unused, unexpired) and belongs to
   * `owner`; false otherwise. For a response_url that addresses the link message itself (the link button's click).
   */
  attachResponseUrl(captureId: string, owner: SlackUserRef, responseUrl: string): Promise<boolean>;
  get(id: string): Promise<IpCapture | undefined>;
  /** The Confirm's work ended (a mapping, a refusal or an error the user was shown). */
  finish(id: string): Promise<void>;
  /** Used, unexpired and never finished: their Confirm was cut off. Oldest use first. */
  listUnfinished(): Promise<IpCapture[]>;
  /** Makes a used but unfinished, unexpired capture usable again; false when it is not one. */
  reopen(id: string): Promise<boolean>;
  /** Forgets links that expired before `beforeMs` (used or not): how many went. Their page then says the link is unknown. */
  pruneExpired(beforeMs: number): Promise<number>;
}

export interface ClaimRepository {
  /**
   * Atomic across connections. The key is remembered for `ttlMs` from the claim: until then a second claim gets
   * `claimed: false` with the completed result (undefined while the first is still running); after it, the key
   * can be claimed again.
   */
  claim(key: string, ttlMs: number): Promise<IdempotencyClaim>;
  complete(key: string, result: unknown): Promise<void>;
  /** After a failure, so that a genuine retry can run. */
  release(key: string): Promise<void>;
  /**
   * At start: forgets claims that were never completed. They belong to work of a process that is gone (one
   * bot process per database), and would otherwise block a retry until they expire. Returns how many.
   */
  releaseUnfinished(): Promise<number>;
}

export interface RememberedValues {
  /** Remembers `value` under `key` for `ttlMs` from now, replacing any earlier value. */
  remember(key: string, ttlMs: number, value: unknown): Promise<void>;
  /** The unexpired value remembered under `key`, else undefined. Reads only. */
  recall(key: string): Promise<unknown | undefined>;
}

export interface LastIpRepository {
  set(teamId: string, userId: string, ip: string): Promise<void>;
  get(teamId: string, userId: string): Promise<LastConfirmedIp | undefined>;
}

export interface DiagnosisRepository {
  save(diagnosis: DiagnosisInput): Promise<StoredDiagnosis>;
  get(id: string): Promise<StoredDiagnosis | undefined>;
  /** Fields left out keep their value. The row after the patch; undefined for an unknown id. */
  update(id: string, patch: DiagnosisPatch): Promise<StoredDiagnosis | undefined>;
  /**
   * Read-modify-write of one diagnosis as a single transaction: `change` sees the row as stored now, and no other
   * write (from this process or another connection) comes between that read and the write of its patch, so
   * concurrent changes to one record all survive. `change` must be synchronous (a promise is refused) and quick;
   * undefined writes nothing. The row after the change; undefined for an unknown id.
   */
  modify(id: string, change: (current: StoredDiagnosis) => DiagnosisPatch | undefined): Promise<StoredDiagnosis | undefined>;
}

export interface CaptureRepository {
  /**
   * Throws when `diagnosisId` names no stored diagnosis. `follow` names the job that follows the capture: scheduled
   * (idempotent by its key) in the same transaction as the row, so no capture is ever left without one.
   */
  save(capture: CaptureInput, follow?: (saved: StoredCapture) => JobInput): Promise<StoredCapture>;
  get(id: string): Promise<StoredCapture | undefined>;
  /** Fields left out keep their value; undefined for an unknown id. */
  update(id: string, patch: CapturePatch): Promise<StoredCapture | undefined>;
  /** The captures started from a diagnosis, newest first. */
  listByDiagnosis(diagnosisId: string): Promise<StoredCapture[]>;
}

export interface JobRepository {
  /**
   * Idempotent by key: a key that exists (pending, running or finished) keeps its row (`exists`). With `rearm`, a
   * finished job becomes pending again at `dueAtMs` with the new payload (`rearmed`); a pending one is unchanged.
   */
  schedule(job: JobInput, options?: { readonly rearm?: boolean }): Promise<ScheduleResult>;
  /**
   * Atomic across connections: up to `limit` unfinished jobs due at the store's clock time whose lease is absent or
   * ran out, oldest due first, each leased to `owner` for `leaseMs`. A job whose lease holds is never handed out.
   */
  claimDue(owner: string, leaseMs: number, limit: number): Promise<Job[]>;
  /** Finishes the job held under `lease`; false when the lease is no longer the job's (it ran out and was taken). */
  complete(id: string, lease: Pick<JobLease, 'token'>): Promise<boolean>;
  /** Pending again at `dueAtMs` (with a new payload when given), lease dropped; false as for `complete`. */
  reschedule(id: string, lease: Pick<JobLease, 'token'>, dueAtMs: number, payload?: unknown): Promise<boolean>;
  /** Finishes a job by key whatever its state; false when there is none unfinished. */
  cancel(key: string): Promise<boolean>;
  get(key: string): Promise<Job | undefined>;
  /** Unfinished jobs, oldest due first. */
  listPending(kind?: JobKind): Promise<Job[]>;
  /** The due time of the oldest unfinished job due at `atMs` (leased or not): the scheduler's lag is `atMs` minus it. */
  oldestDueAtMs(atMs: number): Promise<number | undefined>;
  /** When an unfinished job can next be claimed (its due time, or its lease's end if later): when the scheduler has work next. */
  nextDueAtMs(): Promise<number | undefined>;
  /** Deletes the jobs finished before `beforeMs`, freeing their keys; unfinished ones stay. How many. */
  pruneDone(beforeMs: number): Promise<number>;
}

export interface WatchRepository {
  /** Starts a watch with `state` and schedules `jobs` in one transaction; false (nothing written) when it exists already. */
  start(mappingId: string, state: unknown, jobs: WatchCommit['jobs']): Promise<boolean>;
  get(mappingId: string): Promise<StoredWatch | undefined>;
  /** Watches not finished, oldest first. */
  listActive(): Promise<StoredWatch[]>;
  cursor(id: string): Promise<unknown | undefined>;
  /** One transaction: the cursor, the changed states, the finished watches and the jobs (unknown watches are skipped). */
  commit(change: WatchCommit): Promise<void>;
  /** Deletes the watches finished before `beforeMs`; active ones stay. How many. */
  pruneFinished(beforeMs: number): Promise<number>;
}
