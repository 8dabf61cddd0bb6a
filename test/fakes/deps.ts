import { ManualClock } from '../../src/common/clock';
import { createTaskTracker } from '../../src/common/task-tracker';
import { DEFAULT_POLICY, parsePolicy } from '../../src/policy/index';
import { openSqliteStore } from '../../src/storage/sqlite';
import type { Actor, UseCaseDeps } from '../../src/use-cases/deps';
import { requestOpen, settleTold } from '../../src/use-cases/open';
import { FakeNapterApi } from './napter-api';

export const T0 = Date.UTC(2025, 5, 2, 1, 0, 0);

/**
 * What a use-case runs on in a unit test: the fake SORACOM, the real SQLite store in memory (it passes the store
 * contract, and costs a few milliseconds), the real policy, a clock the test moves, and waits that do not wait.
 */
export function useCaseDeps(
  options: { readonly policyText?: string } = {},
): UseCaseDeps & { readonly api: FakeNapterApi; readonly clock: ManualClock; readonly logs: string[] } {
  const clock = new ManualClock(T0);
  const logs: string[] = [];
  const log = (...details: unknown[]) => {
    logs.push(details.map(String).join(' '));
  };
  return {
    api: new FakeNapterApi(clock),
    store: openSqliteStore({ path: ':memory:', clock }),
    policy: options.policyText === undefined ? DEFAULT_POLICY : parsePolicy(options.policyText, 'test-policy.yaml'),
    clock,
    probe: { enabled: false, timeoutSec: 3, protocols: {} },
    sleep: async (ms) => clock.advance(ms),
    stopping: new AbortController().signal,
    tasks: createTaskTracker(() => undefined),
    logger: { debug: log, info: log, warn: log, error: log },
    logs,
  };
}

export function actor(userId: string, overrides: Partial<Actor> = {}): Actor {
  return { teamId: 'T0TEAM', userId, channelId: 'C0OPS', lang: 'en', userGroupIds: [], ...overrides };
}

/** U0HANAKO's ssh mapping from 198.51.100.20 to a fresh SIM, opened through the real use-case and told. */
export async function withOpenMapping(durationSec = 3600) {
  const deps = useCaseDeps();
  const sim = deps.api.addSim({ name: 'gw-yokohama-01' });
  const opened = await requestOpen(deps, {
    actor: actor('U0HANAKO'),
    channelId: 'C0OPS',
    sim,
    intent: { devicePort: 22, protocol: 'ssh', durationSec, tlsRequired: false, source: { kind: 'cidr', cidr: '198.51.100.20/32' }, reason: 'open' },
    requestKey: 'trigger-open',
    responseUrl: undefined,
  });
  if (opened.kind !== 'opened') throw new Error(`not opened: ${opened.kind}`);
  await settleTold(deps, opened.flightId);
  return { deps, sim, mapping: opened.mapping };
}
