import type { SimRef } from '../domain/command/types';
import { diagnose } from '../domain/diagnosis/diagnose';
import { DEFAULT_RETENTION_MS } from '../domain/diagnosis/facts';
import type { DiagnoseInput, Diagnosis, DiagnosisIntent } from '../domain/diagnosis/types';
import type { NapterApi } from '../domain/napter-api';
import type { AuditEvent, PortMapping, ProbeResult, SimSnapshot } from '../domain/soracom';
import type { Clock } from '../common/clock';
import { resolveSim } from './resolve-sim';

/**
 * Collects what the diagnosis reads — the SIM, its mappings, the audit log, an active probe — and runs the
 * pure engine on it. The independent reads run in parallel: the audit log (many pages on a busy day)
 * overlaps the mapping listing and the probe that depends on it.
 */

const DEFAULT_PROBE_TIMEOUT_SEC = 3;

export type GatherProgress =
  | { readonly stage: 'sim' }
  | { readonly stage: 'mappings' }
  | { readonly stage: 'audit-log' }
  | { readonly stage: 'probe'; readonly port: number | undefined }
  | { readonly stage: 'diagnosing' };

export interface GatherDeps {
  readonly api: NapterApi;
  readonly clock: Clock;
}

export interface GatherRequest {
  readonly sim: SimRef;
  readonly windowSec: number;
  readonly intent?: DiagnosisIntent;
  readonly probe?: { readonly enabled: boolean; readonly timeoutSec?: number };
  /** The audit log's retention when the paid option is known to be on. */
  readonly retentionMs?: number;
  /** Told of each stage as it starts, for "Reading the audit log…" in Slack. Errors thrown here are ignored. */
  readonly onProgress?: (progress: GatherProgress) => void;
}

export interface GatheredEvidence {
  readonly input: DiagnoseInput;
  readonly diagnosis: Diagnosis;
  readonly resolvedSim?: SimSnapshot;
  /** No SIM carries exactly that name but some carry it partially: the caller lists them instead of guessing. */
  readonly candidates?: readonly SimSnapshot[];
}

/** The same mapping can come back from both listings; the public endpoint identifies it. */
function mergeMappings(...lists: readonly (readonly PortMapping[])[]): PortMapping[] {
  const byEndpoint = new Map<string, PortMapping>();
  for (const list of lists) {
    for (const mapping of list) {
      const key = `${mapping.endpoint}@${mapping.createdAtMs}`;
      if (!byEndpoint.has(key)) byEndpoint.set(key, mapping);
    }
  }
  return [...byEndpoint.values()].sort((a, b) => a.createdAtMs - b.createdAtMs);
}

function latestMapping(mappings: readonly PortMapping[], nowMs: number): PortMapping | undefined {
  const active = mappings.filter((mapping) => !mapping.expired && mapping.expiresAtMs > nowMs);
  const pool = active.length > 0 ? active : mappings;
  return pool.reduce<PortMapping | undefined>((latest, mapping) => (!latest || mapping.createdAtMs > latest.createdAtMs ? mapping : latest), undefined);
}

/**
 * Napter logs under the IMSI the session used at the time, so a SIM that switched subscriptions within the
 * window has its events split across IMSIs: read all of them, as the mapping listing does.
 */
function imsisToRead(sim: SimSnapshot, ref: SimRef): string[] {
  const imsis = new Set<string>();
  if (sim.imsi !== undefined) imsis.add(sim.imsi);
  for (const imsi of sim.imsis) imsis.add(imsi);
  // The user named a subscription explicitly: its log matters even if the SIM does not list it.
  if (ref.kind === 'imsi') imsis.add(ref.imsi);
  return [...imsis];
}

export async function gatherEvidence(deps: GatherDeps, request: GatherRequest): Promise<GatheredEvidence> {
  const report = (progress: GatherProgress): void => {
    try {
      request.onProgress?.(progress);
    } catch {
      // Progress is cosmetic; a failing reporter must not fail the diagnosis.
    }
  };
  const toMs = deps.clock.nowMs();
  const window = { fromMs: toMs - request.windowSec * 1000, toMs };
  const retentionMs = request.retentionMs ?? DEFAULT_RETENTION_MS;
  const intent = request.intent;

  report({ stage: 'sim' });
  const resolution = await resolveSim(deps.api, request.sim);
  if (resolution.kind !== 'found') {
    const input: DiagnoseInput = {
      sim: undefined,
      mappings: [],
      events: [],
      ...(intent === undefined ? {} : { intent }),
      window,
      nowMs: deps.clock.nowMs(),
      retentionMs,
    };
    return {
      input,
      diagnosis: diagnose(input),
      ...(resolution.kind === 'ambiguous' ? { candidates: resolution.candidates } : {}),
    };
  }
  const sim = resolution.sim;

  const mappingsThenProbe = async (): Promise<{ mappings: PortMapping[]; probe: ProbeResult | undefined }> => {
    report({ stage: 'mappings' });
    const [bySim, ...byImsi] = await Promise.all([
      deps.api.listPortMappingsForSim(sim.simId),
      ...sim.imsis.map((imsi) => deps.api.listPortMappingsForSubscriber(imsi)),
    ]);
    const mappings = mergeMappings(bySim ?? [], ...byImsi);
    const port = intent?.devicePort ?? latestMapping(mappings, deps.clock.nowMs())?.destination.port;
    return { mappings, probe: await runProbe(deps, request, sim, port, report) };
  };

  const readAuditLog = async (): Promise<AuditEvent[]> => {
    report({ stage: 'audit-log' });
    const pages = await Promise.all(
      imsisToRead(sim, request.sim).map((imsi) => deps.api.getNapterAuditLogs({ imsi, fromMs: window.fromMs, toMs: window.toMs })),
    );
    return pages.flat();
  };

  const [{ mappings, probe }, events] = await Promise.all([mappingsThenProbe(), readAuditLog()]);
  report({ stage: 'diagnosing' });
  const input: DiagnoseInput = {
    sim,
    mappings,
    events,
    ...(probe === undefined ? {} : { probe }),
    ...(intent === undefined ? {} : { intent }),
    window,
    nowMs: deps.clock.nowMs(),
    retentionMs,
  };
  return { input, diagnosis: diagnose(input), resolvedSim: sim };
}

async function runProbe(
  deps: GatherDeps,
  request: GatherRequest,
  sim: SimSnapshot,
  port: number | undefined,
  report: (progress: GatherProgress) => void,
): Promise<ProbeResult | undefined> {
  if (request.probe === undefined) return undefined;
  if (!request.probe.enabled) return { kind: 'skipped', reason: 'disabled-by-policy' };
  if (!sim.online) return { kind: 'skipped', reason: 'offline' };
  if (port === undefined) return { kind: 'skipped', reason: 'no-port' };
  report({ stage: 'probe', port });
  try {
    return await deps.api.probeTcp(sim.simId, port, request.probe.timeoutSec ?? DEFAULT_PROBE_TIMEOUT_SEC);
  } catch {
    // The probe is one clue among several: when SORACOM cannot run it, the diagnosis goes on without it.
    return { kind: 'skipped', reason: 'error' };
  }
}
