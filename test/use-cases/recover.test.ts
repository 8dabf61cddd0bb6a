import { SoracomHttpError, SoracomOutcomeUnknownError } from '../../src/soracom/errors';
import { extend } from '../../src/use-cases/extend';
import { requestOpen } from '../../src/use-cases/open';
import { type Interrupted, recoverInterruptedWork, releaseClaimsOfGoneProcess } from '../../src/use-cases/recover';
import { actor, useCaseDeps, withOpenMapping } from '../fakes/deps';

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

describe('an Extend cut off between its create and the old mapping’s delete', () => {
  const HANAKO = actor('U0HANAKO');

  async function openedThenExtending() {
    const { deps, mapping } = await withOpenMapping(1800);
    deps.clock.advance(25 * 60_000);
    return { deps, old: mapping };
  }

  test('is finished at the next start: the old one deleted, the requester told once, nothing left in flight', async () => {
    const { deps, old } = await openedThenExtending();
    // The process dies once the new mapping exists, just before it writes the old one's close.
    const dying = {
      ...deps,
      store: {
        ...deps.store,
        inflight: {
          ...deps.store.inflight,
          begin: async (input: Parameters<typeof deps.store.inflight.begin>[0]) => {
            if (input.kind === 'close') throw new Error('SIGKILL');
            return deps.store.inflight.begin(input);
          },
        },
      },
    };
    const cutOff = await extend(dying, { actor: HANAKO, mappingId: old.id, requestKey: 'click-extend', responseUrl: undefined });
    expect(cutOff).toMatchObject({ kind: 'extended', closed: undefined });
    expect(deps.api.mappings).toHaveLength(2);

    // The next start: the claims of the dead process go, then its work in flight is finished.
    await releaseClaimsOfGoneProcess(deps);
    const told: Interrupted[] = [];
    const report = await recoverInterruptedWork(deps, async (item) => {
      told.push(item);
    });
    expect(report.opened).toBe(1);
    expect(told).toEqual([expect.objectContaining({ kind: 'opened', replaced: expect.objectContaining({ id: old.id, closed: expect.anything() }) })]);
    expect(deps.api.mappings.map((mapping) => `${mapping.ipAddress}:${mapping.port}`)).not.toContain(`${old.ipAddress}:${old.port}`);
    expect(deps.api.mappings).toHaveLength(1);
    expect(deps.api.calls.filter((call) => call.startsWith('deletePortMapping'))).toHaveLength(1);
    expect(await deps.store.inflight.list({ unsettled: true })).toEqual([]);
    expect((await deps.store.ledger.list()).map((entry) => entry.kind)).toEqual(expect.arrayContaining(['extend', 'close']));

    // A second start finds nothing more to do or say.
    const again: Interrupted[] = [];
    await recoverInterruptedWork(deps, async (item) => {
      again.push(item);
    });
    expect(again).toEqual([]);
    expect(deps.api.calls.filter((call) => call.startsWith('deletePortMapping'))).toHaveLength(1);
  });

  test('a delete already under way is finished by its own close row; the finish of the Extend adds no second one', async () => {
    const { deps, old } = await openedThenExtending();
    // The process dies while SORACOM holds the old one's delete (the close row is written).
    const realDelete = deps.api.deletePortMapping.bind(deps.api);
    deps.api.deletePortMapping = () => new Promise<boolean>(() => undefined);
    void extend(deps, { actor: HANAKO, mappingId: old.id, requestKey: 'click-extend', responseUrl: undefined });
    for (let turn = 0; turn < 50 && (await deps.store.inflight.list({ kind: 'close' })).length === 0; turn += 1)
      await new Promise((resolve) => setImmediate(resolve));
    deps.api.deletePortMapping = realDelete;

    await releaseClaimsOfGoneProcess(deps);
    const told: Interrupted[] = [];
    await recoverInterruptedWork(deps, async (item) => {
      told.push(item);
    });
    expect(told.map((item) => item.kind).sort()).toEqual(['closed', 'opened']);
    expect(told.find((item) => item.kind === 'opened')).not.toHaveProperty('replaced');
    expect(deps.api.calls.filter((call) => call.startsWith('deletePortMapping'))).toHaveLength(1);
    expect(deps.api.mappings).toHaveLength(1);
    expect(await deps.store.inflight.list({ unsettled: true })).toEqual([]);
  });
});
