import type { VerdictId } from '../domain/diagnosis/types';
import { ManualClock, type Clock } from '../common/clock';
import { SCENARIOS } from './scenario-catalog';
import { parseOffsetMs, type LocalisedText, type Scenario, type ScenarioStep } from './scenario-types';
import { SimulatorInputError, type AttemptResult, type World } from './world';
import type { MappingState } from './world-spec';

export { SCENARIOS } from './scenario-catalog';

/** The id that loads every scenario at once (one SIM per failure), for `npm start` without credentials. */
export const DEMO_SCENARIO_ID = 'demo';

export function getScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((scenario) => scenario.id === id);
}

export interface LoadOptions {
  /**
   * `advance`: move a ManualClock through the timeline (the default with a ManualClock).
   * `backdate`: leave the clock alone and date the timeline so it ends at `endAtMs` (default now;
   * the default with any other clock).
   */
  readonly mode?: 'advance' | 'backdate';
  readonly endAtMs?: number;
  /** Empty the world first (keeping its clock). */
  readonly reset?: boolean;
  /** Rename the scenario's SIM once loaded (the demo world's `demo-…` names). */
  readonly simName?: string;
}

export interface LoadedScenario {
  readonly scenario: Scenario;
  readonly startMs: number;
  readonly endMs: number;
  /** Mappings opened, by label (unlabelled ones by `#1`, `#2`… in order). */
  readonly mappings: Readonly<Record<string, MappingState>>;
  readonly attempts: readonly AttemptResult[];
}

function stepOffsets(steps: readonly ScenarioStep[]): number[] {
  let previous = 0;
  return steps.map((step) => {
    const offset = step.at === undefined ? previous : parseOffsetMs(step.at);
    if (offset < previous) throw new RangeError(`Scenario steps must be in time order: ${step.at ?? ''} comes after ${previous} ms`);
    previous = offset;
    return offset;
  });
}

/** Replays a scenario (by id or as data) into the world. Throws SimulatorInputError for an unknown id (and for `demo`: loadDemoWorld). */
export function loadScenario(world: World, idOrScenario: string | Scenario, options: LoadOptions = {}): LoadedScenario {
  if (idOrScenario === DEMO_SCENARIO_ID) {
    throw new SimulatorInputError('SCENARIO_IS_DEMO', `"${DEMO_SCENARIO_ID}" is a whole world, not one scenario: use loadDemoWorld(world, clock)`);
  }
  const scenario = typeof idOrScenario === 'string' ? getScenario(idOrScenario) : idOrScenario;
  if (scenario === undefined) {
    throw new SimulatorInputError(
      'SCENARIO_UNKNOWN',
      `No scenario "${String(idOrScenario)}"; known: ${[DEMO_SCENARIO_ID, ...SCENARIOS.map((s) => s.id)].join(', ')}`,
    );
  }
  const clock = world.clock;
  if (options.reset) world.reset();
  const offsets = stepOffsets(scenario.steps);
  const endOffset = offsets[offsets.length - 1] ?? 0;
  const mode = options.mode ?? (clock instanceof ManualClock ? 'advance' : 'backdate');
  if (mode === 'advance' && !(clock instanceof ManualClock)) {
    throw new SimulatorInputError('SCENARIO_NEEDS_MANUAL_CLOCK', 'mode "advance" needs a ManualClock; use "backdate" with a real clock');
  }
  const startMs = mode === 'advance' ? clock.nowMs() : (options.endAtMs ?? clock.nowMs()) - endOffset;
  const at = (offset: number): number => {
    const time = startMs + offset;
    if (mode === 'advance' && clock instanceof ManualClock && time > clock.nowMs()) clock.set(time);
    return time;
  };

  if (scenario.world.options !== undefined) world.setOptions(scenario.world.options);
  for (const client of scenario.world.clients ?? []) world.addClient(client);
  for (const sim of scenario.world.sims ?? []) {
    world.addSim({ ...sim, sessionStartedAtMs: sim.sessionStartedAtMs ?? startMs - 6 * 3_600_000 });
  }

  const mappings: Record<string, MappingState> = {};
  const opened: MappingState[] = [];
  const attempts: AttemptResult[] = [];
  const mappingFor = (label: string | undefined): MappingState => {
    const mapping = label === undefined ? opened[opened.length - 1] : mappings[label];
    if (mapping === undefined) throw new SimulatorInputError('SCENARIO_NO_MAPPING', `Scenario ${scenario.id}: no mapping ${label ?? '(latest)'} opened yet`);
    return mapping;
  };

  scenario.steps.forEach((step, index) => {
    const time = at(offsets[index] ?? 0);
    switch (step.do) {
      case 'open-mapping': {
        const sim = world.sim(step.sim);
        const created = world.createMapping(
          {
            target: step.by === 'sim-id' ? { simId: sim.simId, service: 'air' } : { imsi: sim.sessionImsi },
            devicePort: step.devicePort,
            durationSec: step.durationSec,
            tlsRequired: step.tlsRequired,
            sourceIpRanges: step.sourceIpRanges,
          },
          time,
        );
        if (!created.ok) throw new SimulatorInputError('SCENARIO_STEP_FAILED', `Scenario ${scenario.id}, step ${index + 1}: ${created.error.message}`);
        opened.push(created.value);
        mappings[step.label ?? `#${opened.length}`] = created.value;
        break;
      }
      case 'attempt': {
        const endpoint = step.endpoint ?? (() => {
          const mapping = mappingFor(step.mapping);
          return `${mapping.ipAddress}:${mapping.port}`;
        })();
        const repeat = step.repeat ?? 1;
        for (let i = 0; i < repeat; i += 1) {
          const attemptAt = i === 0 ? time : at((offsets[index] ?? 0) + i * (step.everySec ?? 10) * 1000);
          attempts.push(
            world.attempt({ client: step.client, endpoint, tls: step.tls, protocol: step.protocol, sessionSec: step.sessionSec }, attemptAt),
          );
        }
        break;
      }
      case 'delete-mapping': {
        const mapping = mappingFor(step.mapping);
        world.deleteMapping(mapping.ipAddress, mapping.port, time);
        break;
      }
      case 'set-device':
        world.setDevice(step.sim, step.device);
        break;
      case 'set-sim':
        world.updateSim(step.sim, step.patch, time);
        break;
      case 'wait':
        break;
    }
  });

  const endMs = startMs + endOffset;
  if (mode === 'advance' && clock instanceof ManualClock && endMs > clock.nowMs()) clock.set(endMs);
  if (options.simName !== undefined) {
    for (const sim of scenario.world.sims ?? []) world.updateSim(sim.simId, { name: options.simName }, sim.createdTime ?? startMs);
  }
  return { scenario, startMs, endMs, mappings, attempts };
}

export interface DemoEntry {
  /** What to type: `/napter diagnose <simName>`. */
  readonly simName: string;
  readonly expectedVerdict: VerdictId;
  readonly scenarioId: string;
  readonly title: LocalisedText;
}

/** Every scenario's SIM under its demo name; `sim-not-found` keeps its own SIM and is asked for by the IMSI no SIM has. */
export const DEMO_GUIDE: readonly DemoEntry[] = SCENARIOS.map((scenario) => ({
  simName: scenario.expectedVerdict === 'sim-not-found' ? scenario.diagnoseSimRef : scenario.demoSimName,
  expectedVerdict: scenario.expectedVerdict,
  scenarioId: scenario.id,
  title: scenario.title,
}));

/**
 * One world with one SIM per failure of the guide, its history already replayed (dated to end five
 * minutes ago, so the audit log shows it at once; the no-evidence one ends now), for trying every
 * command and every diagnosis with no credentials. The world's options stay at their defaults: the
 * no-evidence SIM's late audit log is its own `auditLogIngestDelayMs`, so live attempts on every
 * other SIM show at once.
 */
export function loadDemoWorld(world: World, clock: Clock = world.clock, options: { readonly reset?: boolean } = {}): readonly DemoEntry[] {
  if (options.reset) world.reset();
  const now = clock.nowMs();
  for (const scenario of SCENARIOS) {
    const fresh = scenario.expectedVerdict === 'insufficient-evidence';
    loadScenario(world, scenario, {
      mode: 'backdate',
      endAtMs: fresh ? now : now - 5 * 60_000,
      ...(scenario.expectedVerdict === 'sim-not-found' ? {} : { simName: scenario.demoSimName }),
    });
  }
  return DEMO_GUIDE;
}
