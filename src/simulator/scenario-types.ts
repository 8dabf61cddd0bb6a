import type { DeviceCause, VerdictId } from '../domain/diagnosis/types';
import type { DeviceSpec, SimSpec, WorldSpec } from './world-spec';

/**
 * A scenario is data: a world and a timeline of what people did in it, replayed against the world's
 * clock. A page can list, show and load them; tests replay them and assert on the audit events.
 */

export interface LocalisedText {
  readonly en: string;
  readonly ja: string;
}

/** `at`: offset from the scenario's start, `+0s`, `+90s`, `+31m`, `+1h30m`, `+250ms`; omitted = the previous step's time. */
interface StepTiming {
  readonly at?: string;
}

export interface OpenMappingStep extends StepTiming {
  readonly do: 'open-mapping';
  /** SIM name, IMSI or SIM ID. */
  readonly sim: string;
  readonly devicePort: number;
  readonly durationSec?: number;
  readonly tlsRequired?: boolean;
  readonly sourceIpRanges?: readonly string[];
  /** How it is created: by IMSI (default, as the bot does) or by SIM ID. */
  readonly by?: 'imsi' | 'sim-id';
  /** A name later steps use to refer to this mapping; default: the latest one opened. */
  readonly label?: string;
}

export interface AttemptStep extends StepTiming {
  readonly do: 'attempt';
  readonly client: string;
  /** The label of an opened mapping (default: the latest one), or an explicit `endpoint`. */
  readonly mapping?: string;
  readonly endpoint?: string;
  readonly tls?: boolean;
  readonly protocol?: string;
  readonly sessionSec?: number;
  /** Try this many times, `everySec` apart (a user retrying). */
  readonly repeat?: number;
  readonly everySec?: number;
}

export interface DeleteMappingStep extends StepTiming {
  readonly do: 'delete-mapping';
  readonly mapping?: string;
}

export interface SetDeviceStep extends StepTiming {
  readonly do: 'set-device';
  readonly sim: string;
  readonly device: DeviceSpec;
}

export interface SetSimStep extends StepTiming {
  readonly do: 'set-sim';
  readonly sim: string;
  readonly patch: Omit<Partial<SimSpec>, 'simId' | 'device'>;
}

/** Lets time pass (so sessions end and expiries happen before the diagnosis). */
export interface WaitStep extends StepTiming {
  readonly do: 'wait';
}

export type ScenarioStep = OpenMappingStep | AttemptStep | DeleteMappingStep | SetDeviceStep | SetSimStep | WaitStep;

export interface Scenario {
  readonly id: string;
  readonly title: LocalisedText;
  readonly description: LocalisedText;
  /** The verdict SORACOM's troubleshooting guide implies for this world. */
  readonly expectedVerdict: VerdictId;
  /** What the device did, when the guide's device-side reading can tell (metadata `device_cause`). */
  readonly expectedDeviceCause?: DeviceCause;
  /**
   * The verdict when the bot does not probe the device (the policy turns it off, or SORACOM cannot run it):
   * the same unless the verdict rests on the probe alone.
   */
  readonly expectedVerdictWithoutProbe?: VerdictId;
  /**
   * What SORACOM's own probe of the device port finds at the end, spoken in the port's protocol: the
   * service answered, refused, said nothing where it should have, or said nothing as a service that waits
   * for its client does (inconclusive).
   */
  readonly expectedProbe: 'answered' | 'refused' | 'no-answer' | 'inconclusive' | 'not-run';
  readonly world: WorldSpec;
  readonly steps: readonly ScenarioStep[];
  /** What a user would type: the SIM name (or IMSI). */
  readonly diagnoseSimRef: string;
  /** The device port the user means, when there is one. */
  readonly devicePort?: number;
  /**
   * What that port speaks, when it is not the guide's default for the port (sshd moved to 2222): the team
   * names it in the bot's policy (`probe.protocols`).
   */
  readonly protocol?: 'ssh' | 'http' | 'https' | 'rdp' | 'vnc' | 'tcp';
  /** The SIM's name in the demo world (one SIM per scenario there). */
  readonly demoSimName: string;
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `+1h30m` → 5 400 000. Throws on anything else: scenarios are code-reviewed data, a typo must fail loudly. */
export function parseOffsetMs(text: string): number {
  const body = text.trim().replace(/^\+/, '');
  if (body === '' || !/^(\d+(ms|s|m|h|d))+$/.test(body)) throw new RangeError(`Bad scenario offset "${text}" (use +90s, +31m, +1h30m)`);
  let total = 0;
  for (const match of body.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(match[1]) * (UNIT_MS[match[2] ?? 's'] ?? 0);
  return total;
}
