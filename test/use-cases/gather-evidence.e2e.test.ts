import { parseSimRef } from '../../src/domain/command/parse';
import type { SimRef } from '../../src/domain/command/types';
import type { NapterApi } from '../../src/domain/napter-api';
import { ManualClock } from '../../src/common/clock';
import type { ProbeResult } from '../../src/domain/soracom';
import { SCENARIOS, startSimulator, type RunningSimulator, type Scenario } from '../../src/simulator';
import type { FaultSpec } from '../../src/simulator/faults';
import { createSoracomClient } from '../../src/soracom/client';
import { gatherEvidence, type GatherProgress } from '../../src/use-cases/gather-evidence';

/**
 * End to end over real HTTP: the simulator replays each scenario of its catalog, the real SORACOM client
 * reads it, and the diagnosis must name the scenario's expected verdict.
 */

const START_MS = Date.UTC(2025, 0, 15, 1, 0, 0);
const DAY_SEC = 24 * 60 * 60;

/** The team's port table (policy `probe.protocols`) for a scenario whose port speaks something else than its default. */
function teamPortTable(scenario: Scenario): Record<number, string> | undefined {
  return scenario.protocol === undefined || scenario.devicePort === undefined ? undefined : { [scenario.devicePort]: scenario.protocol };
}

function probeKindOf(probe: ProbeResult | undefined): Scenario['expectedProbe'] {
  if (probe === undefined || probe.kind === 'skipped') return 'not-run';
  if (probe.kind === 'no-answer' && !probe.conclusive) return 'inconclusive';
  return probe.kind;
}

function simRefFor(text: string): SimRef {
  const parsed = parseSimRef(text);
  if (!parsed.ok) throw new Error(`Scenario SIM reference "${text}" does not parse`);
  return parsed.value;
}

async function withSimulator<T>(
  options: NonNullable<Parameters<typeof startSimulator>[0]>,
  run: (simulator: RunningSimulator, api: NapterApi, clock: ManualClock) => Promise<T>,
): Promise<T> {
  const clock = options.clock instanceof ManualClock ? options.clock : new ManualClock(START_MS);
  const simulator = await startSimulator({ ...options, port: 0, clock });
  try {
    const api = createSoracomClient({
      endpoint: simulator.baseUrl,
      authKeyId: simulator.authKeyId,
      authKey: simulator.authKey,
      clock,
      timeoutMs: 5000,
      retry: { maxRetries: 0 },
    });
    return await run(simulator, api, clock);
  } finally {
    await simulator.close();
  }
}

describe('gatherEvidence over the simulator: every scenario of the catalog', () => {
  test('the catalog is not empty and covers most verdicts', () => {
    expect(new Set(SCENARIOS.map((scenario) => scenario.expectedVerdict)).size).toBeGreaterThanOrEqual(10);
  });

  test.each(SCENARIOS.map((scenario) => [scenario.id, scenario.expectedVerdict, scenario] as const))('%s → %s', async (_id, expectedVerdict, scenario) => {
    await withSimulator({ clock: new ManualClock(START_MS), scenario: scenario.id }, async (_simulator, api, clock) => {
      const stages: GatherProgress['stage'][] = [];
      const askedAtMs = clock.nowMs();
      const gathered = await gatherEvidence(
        { api, clock },
        {
          sim: simRefFor(scenario.diagnoseSimRef),
          windowSec: DAY_SEC,
          ...(scenario.devicePort === undefined
            ? {}
            : { intent: { devicePort: scenario.devicePort, ...(scenario.protocol === undefined ? {} : { protocol: scenario.protocol }) } }),
          probe: { enabled: true, timeoutSec: 2 },
          onProgress: (progress) => stages.push(progress.stage),
        },
      );
      const { diagnosis, input } = gathered;
      expect({ verdict: diagnosis.verdict, summary: diagnosis.summary.key, deviceCause: diagnosis.deviceCause }).toEqual({
        verdict: expectedVerdict,
        summary: expect.stringMatching(/^diagnosis\.verdict\./),
        deviceCause: scenario.expectedDeviceCause,
      });
      // The window ends when the diagnosis was asked for; a silent device may have kept the probe waiting since.
      expect(diagnosis.window).toEqual({ fromMs: askedAtMs - DAY_SEC * 1000, toMs: askedAtMs });
      expect(probeKindOf(input.probe)).toBe(scenario.expectedProbe);
      expect(stages[0]).toBe('sim');
      if (expectedVerdict === 'sim-not-found') {
        expect(gathered.resolvedSim).toBeUndefined();
      } else {
        expect(gathered.resolvedSim?.name).toBe(scenario.diagnoseSimRef);
        expect(stages).toEqual(expect.arrayContaining(['mappings', 'audit-log', 'diagnosing']));
      }
      // Every verdict about a connection shows the audit events that led to it.
      if (
        ['mapping-expired', 'source-ip-mismatch', 'source-ip-refused', 'device-side-problem', 'healthy', 'client-network-blocked'].includes(expectedVerdict)
      ) {
        expect(diagnosis.evidence.length).toBeGreaterThan(0);
      }
    });
  });
});

describe('gatherEvidence over the simulator: the same verdicts without an intent (a user who did not open through the bot)', () => {
  test.each(SCENARIOS.map((scenario) => [scenario.id, scenario.expectedVerdict, scenario] as const))('%s → %s', async (_id, expectedVerdict, scenario) => {
    await withSimulator({ clock: new ManualClock(START_MS), scenario: scenario.id }, async (_simulator, api, clock) => {
      const gathered = await gatherEvidence(
        { api, clock },
        { sim: simRefFor(scenario.diagnoseSimRef), windowSec: DAY_SEC, probe: { enabled: true }, protocolsByPort: teamPortTable(scenario) },
      );
      expect(gathered.diagnosis.verdict).toBe(expectedVerdict);
    });
  });
});

describe('gatherEvidence over the simulator: verdicts that rest on sessions do not move when the probe is off or times out', () => {
  test.each(SCENARIOS.map((scenario) => [scenario.id, scenario.expectedVerdictWithoutProbe ?? scenario.expectedVerdict, scenario] as const))(
    '%s → %s',
    async (_id, expectedVerdict, scenario) => {
      const run = async (options: { faults?: FaultSpec; probe: { enabled: boolean; timeoutSec?: number } }) =>
        withSimulator(
          { clock: new ManualClock(START_MS), scenario: scenario.id, ...(options.faults === undefined ? {} : { faults: options.faults }) },
          (_simulator, api, clock) =>
            gatherEvidence(
              { api, clock },
              { sim: simRefFor(scenario.diagnoseSimRef), windowSec: DAY_SEC, probe: options.probe, protocolsByPort: teamPortTable(scenario) },
            ),
        );
      const off = await run({ probe: { enabled: false } });
      expect(off.diagnosis.verdict).toBe(expectedVerdict);
      const silent = await run({
        probe: { enabled: true, timeoutSec: 3 },
        faults: { rules: [{ kind: 'device-silent', method: 'POST', path: '/v1/sims/*/downlink/*' }] },
      });
      if (silent.input.probe?.kind === 'no-answer') expect(silent.input.probe.elapsedMs).toBeGreaterThanOrEqual(3000);
      const userAttempted = silent.input.events.some((event) => event.type === 'ACCESS');
      if (userAttempted) {
        // Where people's connections are the evidence, a probe that heard nothing never overturns them.
        expect(silent.diagnosis.verdict).toBe(scenario.expectedVerdict);
      } else if (silent.diagnosis.verdict !== scenario.expectedVerdict) {
        // Where nothing was tried, the silent device is the one finding there is.
        expect({ verdict: silent.diagnosis.verdict, deviceCause: silent.diagnosis.deviceCause }).toEqual({
          verdict: 'device-port-closed',
          deviceCause: 'no-answer',
        });
      }
    },
  );
});

describe('gatherEvidence: resolving the SIM and reading in parallel', () => {
  const world = {
    sims: [
      { simId: '8942310022000000901', imsi: '295050910000901', name: 'pump-01', online: true },
      { simId: '8942310022000000902', imsi: '295050910000902', name: 'pump-010', online: true },
      { simId: '8942310022000000903', imsi: '295050910000903', name: 'pump-02', online: true },
    ],
  };

  test('an exact name wins over partial matches; a name matching several SIMs returns the candidates', async () => {
    await withSimulator({ world }, async (_simulator, api, clock) => {
      const exact = await gatherEvidence({ api, clock }, { sim: { kind: 'name', name: 'pump-01' }, windowSec: 3600 });
      expect(exact.resolvedSim?.simId).toBe('8942310022000000901');
      expect(exact.candidates).toBeUndefined();

      const ambiguous = await gatherEvidence({ api, clock }, { sim: { kind: 'name', name: 'pump-0' }, windowSec: 3600 });
      expect(ambiguous.resolvedSim).toBeUndefined();
      expect(ambiguous.candidates?.map((sim) => sim.name).sort()).toEqual(['pump-01', 'pump-010', 'pump-02']);
      expect(ambiguous.diagnosis.verdict).toBe('sim-not-found');

      // One partial match is still a guess: it is offered, not diagnosed (the same rule as open/list/close).
      const partial = await gatherEvidence({ api, clock }, { sim: { kind: 'name', name: 'mp-02' }, windowSec: 3600 });
      expect(partial.resolvedSim).toBeUndefined();
      expect(partial.candidates?.map((sim) => sim.name)).toEqual(['pump-02']);

      const otherCase = await gatherEvidence({ api, clock }, { sim: { kind: 'name', name: 'PUMP-02' }, windowSec: 3600 });
      expect(otherCase.resolvedSim?.name).toBe('pump-02');
    });
  });

  test('a SIM is found by IMSI and by SIM ID; with no mapping the verdict is no-mapping and the probe is skipped', async () => {
    await withSimulator({ world }, async (_simulator, api, clock) => {
      const byImsi = await gatherEvidence({ api, clock }, { sim: { kind: 'imsi', imsi: '295050910000903' }, windowSec: 3600, probe: { enabled: true } });
      const bySimId = await gatherEvidence(
        { api, clock },
        { sim: { kind: 'simId', simId: '8942310022000000903' }, windowSec: 3600, probe: { enabled: false } },
      );
      expect(byImsi.resolvedSim?.name).toBe('pump-02');
      expect(bySimId.resolvedSim?.name).toBe('pump-02');
      expect(byImsi.diagnosis.verdict).toBe('no-mapping');
      expect(byImsi.input.probe).toEqual({ kind: 'skipped', reason: 'no-port' });
      expect(bySimId.input.probe).toEqual({ kind: 'skipped', reason: 'disabled-by-policy' });
    });
  });

  test('a probe SORACOM cannot run is skipped and the diagnosis still comes; a failing progress reporter is ignored', async () => {
    const healthy = SCENARIOS.find((scenario) => scenario.expectedVerdict === 'healthy');
    if (!healthy) throw new Error('the catalog has no healthy scenario');
    await withSimulator(
      {
        clock: new ManualClock(START_MS),
        scenario: healthy.id,
        faults: { rules: [{ kind: 'error-5xx', method: 'POST', path: '/v1/sims/*/downlink/tcp', status: 503 }] },
      },
      async (_simulator, api, clock) => {
        const warnings: string[] = [];
        const gathered = await gatherEvidence(
          { api, clock, logger: { warn: (message) => warnings.push(message) } },
          {
            sim: simRefFor(healthy.diagnoseSimRef),
            windowSec: DAY_SEC,
            probe: { enabled: true },
            onProgress: () => {
              throw new Error('Slack is down');
            },
          },
        );
        expect(gathered.input.probe).toEqual({ kind: 'skipped', reason: 'error' });
        expect(gathered.diagnosis.verdict).toBe('healthy');
        expect(warnings.some((line) => line.includes('device probe of port 22 failed'))).toBe(true);
        expect(gathered.diagnosis.notes.map((note) => note.key)).toContain('diagnosis.note.probe-skipped-error');
        expect(gathered.diagnosis.remedies).toContainEqual({ kind: 'probe', port: 22 });
      },
    );
  });

  test('the audit log is requested before the mapping listing has answered (parallel, not one after the other)', async () => {
    const healthy = SCENARIOS.find((scenario) => scenario.expectedVerdict === 'healthy');
    if (!healthy) throw new Error('the catalog has no healthy scenario');
    await withSimulator({ clock: new ManualClock(START_MS), scenario: healthy.id }, async (_simulator, realApi, clock) => {
      const log: string[] = [];
      // A recording wrapper around the real client: every call still goes over HTTP to the simulator.
      const api = new Proxy(realApi, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          return async (...args: unknown[]) => {
            log.push(`start ${String(property)}`);
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } finally {
              log.push(`end ${String(property)}`);
            }
          };
        },
      });
      const gathered = await gatherEvidence({ api, clock }, { sim: simRefFor(healthy.diagnoseSimRef), windowSec: DAY_SEC, probe: { enabled: true } });
      expect(gathered.diagnosis.verdict).toBe('healthy');
      const auditStart = log.indexOf('start getNapterAuditLogs');
      const mappingsEnd = log.indexOf('end listPortMappingsForSim');
      expect(auditStart).toBeGreaterThan(-1);
      expect(mappingsEnd).toBeGreaterThan(-1);
      expect(auditStart).toBeLessThan(mappingsEnd);
      // The probe follows the listing it takes the port from.
      expect(log.indexOf('start probeDevice')).toBeGreaterThan(mappingsEnd);
    });
  });
});
