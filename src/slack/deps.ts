import { randomUUID } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import type { Clock } from '../common/clock';
import type { Metrics } from '../common/metrics';
import { createTaskTracker } from '../common/task-tracker';
import { createWorkLimiter, type WorkLimiter } from '../common/work-limiter';
import type { NapterApi, OperatorAuditLogReader } from '../domain/napter-api';
import { DEFAULT_PROBE_SETTINGS, type Policy, type ProbeSettings } from '../policy/index';
import type { UseCaseDeps, WatchSettings } from '../use-cases/deps';
import type { Store } from '../use-cases/ports/store';
import { createScheduler, type Scheduler } from '../use-cases/scheduler';
import { slackFailureReason } from './failure';
import { type ActorResolver, createActorResolver } from './pipeline/actors';
import type { RequestReport } from './pipeline/middleware';
import { createHomeRefresher, type HomeRefresher } from './present/home';
import { type CardPainter, createCardPainter } from './present/card-painter';
import { createParentPainter, type ParentPainter } from './present/painter';
import { processOwnerId } from './scheduler-loop';

/**
 * What the Slack adapter needs, built once by the composition root (`src/main.ts`) or the test harness: the
 * use-cases' dependencies, plus what only Slack has (who asks, the diagnosis parents being redrawn).
 */
export interface SlackDeps extends UseCaseDeps {
  /** Base URL users' browsers reach the bot at (the IP capture page); no trailing slash. */
  readonly publicUrl: string;
  readonly logger: Logger;
  /** Who asks: their language and user groups, read from Slack once and shared. */
  readonly actors: ActorResolver;
  /** Redraws a diagnosis's channel parent, one update at a time per diagnosis. */
  readonly painter: ParentPainter;
  /** Redraws mappings' channel cards, one update at a time per card, for the mapping that owns it at its turn. */
  readonly cards: CardPainter;
  /**
   * Keeps App Home tabs current: call `homeRefresher.refreshHome(teamId, userId)` when something on a person's tab
   * changed (a mapping opened, closed, extended or ended). The app attaches its client at start.
   */
  readonly homeRefresher: HomeRefresher;
  /**
   * Commands whose work runs at once; the others wait their turn after their ack (a command's answer goes to its
   * response_url, which stays valid for 30 minutes). Clicks and modal submissions never wait: a modal must open
   * within 3 seconds of its trigger.
   */
  readonly commandSlots: WorkLimiter;
  /** Told of every request once it is done: its kind, who asked, how it ended (metrics hook here). */
  readonly onRequestDone?: ((report: RequestReport) => void) | undefined;
  /** Counts requests, verdicts and Slack API errors; none when undefined. */
  readonly metrics?: Metrics | undefined;
  /** The durable scheduler (watches, reminders, expiries); the app registers its handlers and runs its loop. */
  readonly scheduler: Scheduler;
  /** The whole operator's audit log, read once per interval for every watch; without it nothing is watched. */
  readonly auditLog?: OperatorAuditLogReader | undefined;
}

/** The parts of SlackDeps the caller must choose; caches, the task tracker and defaults are built here. */
export interface SlackDepsInput {
  readonly api: NapterApi;
  readonly store: Store;
  readonly policy: Policy;
  readonly clock: Clock;
  readonly publicUrl: string;
  readonly logger: Logger;
  /** Default: the policy's `probe` section. */
  readonly probe?: ProbeSettings | undefined;
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  readonly stopping?: AbortSignal | undefined;
  readonly onRequestDone?: ((report: RequestReport) => void) | undefined;
  readonly metrics?: Metrics | undefined;
  /** The reminder's lead and what Extend adds (config); defaults when absent. */
  readonly watch?: WatchSettings | undefined;
  /** How many commands work at once (default DEFAULT_COMMAND_CONCURRENCY). */
  readonly commandConcurrency?: number | undefined;
  /** This process among replicas, as the owner of the scheduler's leases; default: host, pid and a random part. */
  readonly processId?: string | undefined;
}

/**
 * Enough to keep SORACOM busy for a team (a command waits on SORACOM most of its time), few enough that the CPU a
 * burst of commands takes never holds back the acks of the requests behind them (the ack benchmark's 200 at once).
 */
export const DEFAULT_COMMAND_CONCURRENCY = 16;

export function buildSlackDeps(input: SlackDepsInput): SlackDeps {
  const { logger } = input;
  const stopping = input.stopping ?? new AbortController().signal;
  const actors = createActorResolver({
    policy: input.policy,
    clock: input.clock,
    // A language falls back to English (debug); a user group that cannot be read counts as "not a member" (warn).
    onError: (what, id, error) =>
      what === 'users.info'
        ? logger.debug('users.info failed; using English for', id, slackFailureReason(error))
        : logger.warn('Could not read the members of user group', id, slackFailureReason(error)),
  });
  const deps: SlackDeps = {
    api: input.api,
    store: input.store,
    policy: input.policy,
    clock: input.clock,
    publicUrl: input.publicUrl.replace(/\/+$/, ''),
    probe: input.probe ?? input.policy.probe ?? DEFAULT_PROBE_SETTINGS,
    logger,
    sleep: input.sleep ?? ((ms) => sleepUnless(stopping, ms)),
    stopping,
    tasks: createTaskTracker((label, error) => logger.error(`Background work "${label}" failed`, error)),
    actors,
    painter: createParentPainter({ store: input.store, logger }),
    cards: createCardPainter({ store: input.store, logger, actors }),
    homeRefresher: createHomeRefresher(() => deps),
    commandSlots: createWorkLimiter(input.commandConcurrency ?? DEFAULT_COMMAND_CONCURRENCY),
    onRequestDone: input.onRequestDone,
    metrics: input.metrics,
    watch: input.watch,
    auditLog: 'readOperatorAuditLog' in input.api ? (input.api as NapterApi & OperatorAuditLogReader) : undefined,
    scheduler: createScheduler({ store: input.store, clock: input.clock, logger }, { owner: input.processId ?? processOwnerId(randomUUID()) }),
  };
  return deps;
}

/** Waits `ms`, or less when `stopping` is aborted meanwhile. */
export function sleepUnless(stopping: AbortSignal, ms: number): Promise<void> {
  if (stopping.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stopping.addEventListener('abort', done, { once: true });
  });
}
