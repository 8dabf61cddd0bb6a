import type { SimRef } from '../domain/command/types';
import { diagnose } from '../domain/diagnosis/diagnose';
import { DEFAULT_RETENTION_MS } from '../domain/diagnosis/facts';
import type { DiagnoseInput, Diagnosis, DiagnosisIntent } from '../domain/diagnosis/types';
import type { NapterApi } from '../domain/napter-api';
import { protocolForPort, type DeviceProtocol } from '../domain/probe';
import { auditEventKey } from '../domain/watch/index';
import type { AuditEvent, PortMapping, ProbeResult, SimSnapshot } from '../domain/soracom';
import type { Clock } from '../common/clock';
import { mergeIntent, type LedgerIntent } from './diagnosis-intent';
import { resolveSim, type SimResolution, suggestSimNames } from './resolve-sim';

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
  /** Where a probe SORACOM could not run is reported (the diagnosis goes on without it). */
  readonly logger?: { warn(message: string, ...details: unknown[]): void };
}

export interface GatherRequest {
  readonly sim: SimRef;
  readonly windowSec: number;
  /** What the caller knows for certain (the mapping behind a button); it overrides the ledger's reading. */
  readonly intent?: DiagnosisIntent | undefined;
  /** The bot's ledger for the SIM once it is resolved, however the user named it. */
  readonly ledger?: ((sim: SimSnapshot) => Promise<LedgerIntent>) | undefined;
  /** Device ports whose protocol the team's configuration names (`2222: ssh`). */
  readonly protocolsByPort?: Readonly<Record<number, string>> | undefined;
  readonly probe?: { readonly enabled: boolean; readonly timeoutSec?: number | undefined } | undefined;
  /** The audit log's retention when the paid option is known to be on. */
  readonly retentionMs?: number | undefined;
  /** Told of each stage as it starts, for "Reading the audit log…" in Slack. Errors thrown here are ignored. */
  readonly onProgress?: ((progress: GatherProgress) => void) | undefined;
  /** The SIM as the caller already resolved it (to ask the policy about it first); resolved here otherwise. */
  readonly resolution?: SimResolution | undefined;
  /** What the watches of the SIM's mappings already saw in the audit log: added to the read (an event once). */
  readonly seen?: ((sim: SimSnapshot) => Promise<readonly AuditEvent[]>) | undefined;
}

export interface GatheredEvidence {
  readonly input: DiagnoseInput;
  readonly diagnosis: Diagnosis;
  readonly resolvedSim?: SimSnapshot | undefined;
  /** No SIM carries exactly that name but some carry it partially: the caller lists them instead of guessing. */
  readonly candidates?: readonly SimSnapshot[] | undefined;
  /** No SIM carries anything like the name: the closest names there are, for "did you mean …". */
  readonly suggestions?: readonly string[] | undefined;
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

  if (request.resolution === undefined) report({ stage: 'sim' });
  const resolution = request.resolution ?? (await resolveSim(deps.api, request.sim));
  if (resolution.kind !== 'found') {
    const input: DiagnoseInput = {
      sim: undefined,
      mappings: [],
      events: [],
      intent: request.intent,
      window,
      nowMs: deps.clock.nowMs(),
      retentionMs,
    };
    const suggestions = resolution.kind === 'not-found' && request.sim.kind === 'name' ? await suggestionsFor(deps, request.sim.name) : undefined;
    return {
      input,
      diagnosis: diagnose(input),
      ...(resolution.kind === 'ambiguous' ? { candidates: resolution.candidates } : {}),
      suggestions,
    };
  }
  const sim = resolution.sim;
  const ledger = await request.ledger?.(sim);
  const intent = ledger === undefined ? request.intent : mergeIntent(ledger.intent, request.intent);
  // The configuration names ports for the whole fleet; what was opened on this SIM is more specific.
  const protocolsByPort = { ...(request.protocolsByPort ?? {}), ...(ledger?.protocolsByPort ?? {}) };

  const mappingsThenProbe = async (): Promise<{ mappings: PortMapping[]; probe: ProbeResult | undefined }> => {
    report({ stage: 'mappings' });
    const [bySim, ...byImsi] = await Promise.all([
      deps.api.listPortMappingsForSim(sim.simId),
      ...sim.imsis.map((imsi) => deps.api.listPortMappingsForSubscriber(imsi)),
    ]);
    const mappings = mergeMappings(bySim ?? [], ...byImsi);
    const port = intent?.devicePort ?? latestMapping(mappings, deps.clock.nowMs())?.destination.port;
    const protocol = protocolForPort(port, { intent, protocolsByPort });
    return { mappings, probe: await runProbe(deps, request, sim, port, protocol, report) };
  };

  const readAuditLog = async (): Promise<{ events: AuditEvent[]; malformed: number }> => {
    report({ stage: 'audit-log' });
    const reads = await Promise.all(
      imsisToRead(sim, request.sim).map((imsi) => deps.api.getNapterAuditLogs({ imsi, fromMs: window.fromMs, toMs: window.toMs })),
    );
    const read = reads.flatMap((read) => read.events);
    const seen = (await request.seen?.(sim).catch(() => [])) ?? [];
    const keys = new Set(read.map(auditEventKey));
    const extra = seen.filter((event) => event.atMs >= window.fromMs && event.atMs <= window.toMs && !keys.has(auditEventKey(event)));
    return { events: [...read, ...extra], malformed: reads.reduce((sum, read) => sum + read.malformed, 0) };
  };

  const [{ mappings, probe }, log] = await Promise.all([mappingsThenProbe(), readAuditLog()]);
  report({ stage: 'diagnosing' });
  const input: DiagnoseInput = {
    sim,
    mappings,
    events: log.events,
    probe,
    intent,
    protocolsByPort: Object.keys(protocolsByPort).length === 0 ? undefined : protocolsByPort,
    window,
    nowMs: deps.clock.nowMs(),
    retentionMs,
    malformedEventCount: log.malformed === 0 ? undefined : log.malformed,
  };
  return { input, diagnosis: diagnose(input), resolvedSim: sim };
}

/** "Did you mean …" is a courtesy: when the search for it fails, the answer is simply "no such name". */
async function suggestionsFor(deps: GatherDeps, name: string): Promise<string[]> {
  try {
    return await suggestSimNames(deps.api, name);
  } catch (error) {
    deps.logger?.warn('could not search for names close to one that matched no SIM', error);
    return [];
  }
}

async function runProbe(
  deps: GatherDeps,
  request: GatherRequest,
  sim: SimSnapshot,
  port: number | undefined,
  protocol: DeviceProtocol | undefined,
  report: (progress: GatherProgress) => void,
): Promise<ProbeResult | undefined> {
  if (request.probe === undefined) return undefined;
  if (!request.probe.enabled) return { kind: 'skipped', reason: 'disabled-by-policy' };
  if (!sim.online) return { kind: 'skipped', reason: 'offline' };
  if (port === undefined) return { kind: 'skipped', reason: 'no-port' };
  report({ stage: 'probe', port });
  try {
    return await deps.api.probeDevice(sim.simId, { port, protocol, timeoutSec: request.probe.timeoutSec ?? DEFAULT_PROBE_TIMEOUT_SEC });
  } catch (error) {
    // The probe is one clue among several: when SORACOM cannot run it, the diagnosis goes on without it.
    deps.logger?.warn(`device probe of port ${port} failed; diagnosing without it`, error);
    return { kind: 'skipped', reason: 'error' };
  }
}
