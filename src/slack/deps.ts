import type { Logger, RespondFn, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { NapterApi } from '../domain/napter-api';
import type { Lang } from '../domain/i18n/message-ref';
import type { Clock } from '../common/clock';
import type { Store } from '../use-cases/ports/store';
import { DEFAULT_PROBE_SETTINGS, type Policy, type ProbeSettings } from '../policy/index';
import { slackErrorCode } from './error-handler';
import { createLocaleResolver } from './locale';
import { createTaskTracker, type TaskTracker } from './task-tracker';
import { createUserGroupResolver } from './user-groups';

/**
 * Everything a Slack listener needs, injected once by the composition root (`src/main.ts`) or the test
 * harness (`test/support/harness.ts`). Listeners never reach for globals: time comes from `clock`,
 * waiting from `sleep`, work after the ack is tracked by `tasks` so tests and shutdown can await it.
 */
export interface SlackDeps {
  /** The one SORACOM client (`src/soracom/client.ts`), pointed at SORACOM or the simulator. */
  readonly api: NapterApi;
  readonly store: Store;
  readonly policy: Policy;
  readonly clock: Clock;
  /** Base URL users' browsers reach the bot at (the IP capture page); no trailing slash. */
  readonly publicUrl: string;
  /** Whether a diagnosis may probe the device port from SORACOM, how long a probe may wait, and the ports whose protocol the team names. */
  readonly probe: ProbeSettings;
  /** Already redacts the bot's secrets (see `createRedactingLogger`). */
  readonly logger: Logger;
  /** Injected so tests drive polling (Peek progress, retries) without real waits. Ends early once `stopping` is aborted. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Aborted when the process starts to stop: long loops (a capture being followed) hand their work back. */
  readonly stopping: AbortSignal;
  /** The Slack user groups the user belongs to, for the policy. Cached by the implementation. */
  readonly userGroups: (client: WebClient, teamId: string, userId: string) => Promise<string[]>;
  /** The user's language from `users.info` with `include_locale`; English when unknown or on failure. Cached. */
  readonly locale: (client: WebClient, userId: string) => Promise<Lang>;
  /** Work that runs after the ack; `settle()` awaits it all (tests, graceful shutdown). */
  readonly tasks: TaskTracker;
}

/** The Slack side of a `/napter` invocation, shared by every subcommand handler. */
export interface CommandContext<Parsed> {
  readonly deps: SlackDeps;
  readonly client: WebClient;
  /** The slash command payload as Slack sent it. */
  readonly command: SlashCommand;
  /** Posts to the command's response_url (5 uses in 30 minutes: progress, result, fallback hint). */
  readonly respond: RespondFn;
  /** The requester's language. */
  readonly lang: Lang;
  readonly parsed: Parsed;
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
  readonly probe?: ProbeSettings;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly stopping?: AbortSignal;
}

export function buildSlackDeps(input: SlackDepsInput): SlackDeps {
  const { logger } = input;
  const stopping = input.stopping ?? new AbortController().signal;
  return {
    api: input.api,
    store: input.store,
    policy: input.policy,
    clock: input.clock,
    publicUrl: input.publicUrl.replace(/\/+$/, ''),
    probe: input.probe ?? input.policy.probe ?? DEFAULT_PROBE_SETTINGS,
    logger,
    sleep: input.sleep ?? ((ms) => sleepUnless(stopping, ms)),
    stopping,
    userGroups: createUserGroupResolver({
      policy: input.policy,
      clock: input.clock,
      onError: (groupId, error) => logger.warn('Could not read the members of user group', groupId, slackErrorCode(error) ?? error),
    }),
    locale: createLocaleResolver({
      clock: input.clock,
      onError: (userId, error) => logger.debug('users.info failed; using English for', userId, slackErrorCode(error) ?? error),
    }),
    tasks: createTaskTracker((label, error) => logger.error(`Background work "${label}" failed`, error)),
  };
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
