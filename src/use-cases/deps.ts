import type { Clock } from '../common/clock';
import type { TaskTracker } from '../common/task-tracker';
import type { Lang } from '../domain/i18n/message-ref';
import type { NapterApi } from '../domain/napter-api';
import type { Policy, ProbeSettings } from '../policy/index';
import type { Store } from './ports/store';

export interface UseCaseLogger {
  debug(...details: unknown[]): void;
  info(...details: unknown[]): void;
  warn(...details: unknown[]): void;
  error(...details: unknown[]): void;
}

/**
 * What every use-case may reach: the two ports (SORACOM, the store), the policy, time and waiting. Built once by
 * the composition root (`src/main.ts`) or a test; a use-case takes the part it needs (`Pick<UseCaseDeps, …>`).
 */
export interface UseCaseDeps {
  readonly api: NapterApi;
  readonly store: Store;
  readonly policy: Policy;
  readonly clock: Clock;
  /** Whether a diagnosis may probe the device port from SORACOM, how long a probe may wait, and the ports whose protocol the team names. */
  readonly probe: ProbeSettings;
  /** Tests drive polling (captures, unknown outcomes) without real waits. Ends early once `stopping` is aborted. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Aborted when the process starts to stop: long loops hand their work back to the next start. */
  readonly stopping: AbortSignal;
  /** Work that outlives the request that started it (a capture followed for minutes); shutdown awaits it. */
  readonly tasks: TaskTracker;
  readonly logger: UseCaseLogger;
  /** The reminder's lead and what Extend adds; defaults when absent (5 and 30 minutes). */
  readonly watch?: WatchSettings | undefined;
}

export interface WatchSettings {
  readonly reminderLeadSec: number;
  readonly extensionSec: number;
}

/**
 * Who asks, and from where: resolved once per request by the adapter (Slack's user, their language and the user
 * groups the policy names). `channelId` is the conversation the request came from; a modal's submission has none.
 */
export interface Actor {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string | undefined;
  readonly lang: Lang;
  readonly userGroupIds: readonly string[];
}
