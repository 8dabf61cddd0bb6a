import { SoracomHttpError, SoracomOutcomeUnknownError } from '../../src/soracom/errors';
import { requestOpen } from '../../src/use-cases/open';
import { type Interrupted, recoverInterruptedWork } from '../../src/use-cases/recover';
import { actor, useCaseDeps } from '../fakes/deps';

/** What a start does with what the previous process left in flight, decided from SORACOM's own list. */
test('an open whose answer was lost is adopted at the next start when SORACOM made it, and the requester is told once', async () => {
  const deps = useCaseDeps();
  const sim = deps.api.addSim({ name: 'gw-yokohama-01' });
  deps.api.failNext.set(
    'createPortMapping',
    new SoracomOutcomeUnknownError('POST', '/port_mappings', new SoracomHttpError('POST', '/port_mappings', 502, undefined, 'Bad Gateway')),
  );
  const outcome = await requestOpen(deps, {
    actor: actor('U0HANAKO'),
    channelId: 'C0OPS',
    sim,
    intent: { devicePort: 22, protocol: 'ssh', durationSec: 3600, tlsRequired: false, source: { kind: 'cidr', cidr: '198.51.100.20/32' }, reason: 'open' },
    requestKey: 'trigger-1',
    responseUrl: 'https://hooks.slack.test/response/1',
  });
  expect(outcome.kind).toBe('unknown');
  // SORACOM did make it; its answer never arrived.
  await deps.api.createPortMapping({
    target: { kind: 'sim', simId: sim.simId, service: 'air' },
    devicePort: 22,
    durationSec: 3600,
    tlsRequired: false,
    sourceIpRanges: ['198.51.100.20/32'],
  });

  const told: Interrupted[] = [];
  const report = await recoverInterruptedWork(deps, async (item) => {
    told.push(item);
  });
  expect(report).toMatchObject({ opened: 1, openFailed: 0, stillUnknown: 0 });
  expect(told.map((item) => item.kind)).toEqual(['opened']);
  expect(await deps.store.mappings.list()).toHaveLength(1);
  expect(await deps.store.inflight.list({ unsettled: true })).toHaveLength(0);
  expect((await recoverInterruptedWork(deps, async () => undefined)).opened).toBe(0);
});
