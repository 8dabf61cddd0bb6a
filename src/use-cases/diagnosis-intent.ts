import type { Clock } from '../common/clock';
import type { DiagnosisIntent } from '../domain/diagnosis/types';
import type { DeviceProtocol } from '../domain/probe';
import type { SimSnapshot } from '../domain/soracom';
import type { LedgerEntry, Store } from './ports/store';

/**
 * What the bot itself knows of a SIM that SORACOM cannot tell: the device port and protocol people opened
 * through the bot, the times the asking user acted (their attempts follow them), and the address they
 * confirmed. Read once the SIM is resolved, so it works however the SIM was named (IMSI, SIM ID or name).
 */
export interface LedgerIntent {
  readonly intent: DiagnosisIntent;
  /** Every device port opened through the bot for this SIM with the protocol it was opened as. */
  readonly protocolsByPort: Readonly<Record<number, DeviceProtocol>>;
}

const LEDGER_ROWS_READ = 50;
const OPEN_KINDS: ReadonlySet<LedgerEntry['kind']> = new Set(['open', 'reuse', 'retry']);
const PROTOCOLS: ReadonlySet<string> = new Set(['ssh', 'http', 'https', 'rdp', 'vnc', 'tcp']);

export async function intentFromLedger(
  deps: { readonly store: Store; readonly clock: Clock },
  request: { readonly teamId: string; readonly userId: string; readonly sim: Pick<SimSnapshot, 'simId' | 'imsi' | 'imsis'>; readonly windowSec: number },
): Promise<LedgerIntent> {
  const sinceMs = deps.clock.nowMs() - request.windowSec * 1000;
  // The bot files rows under the SIM ID and, when it knew it, the IMSI: read both, once each.
  const imsis = new Set([...(request.sim.imsi === undefined ? [] : [request.sim.imsi]), ...request.sim.imsis]);
  const byId = new Map<string, LedgerEntry>();
  const filters = [...(request.sim.simId === '' ? [] : [{ simId: request.sim.simId }]), ...[...imsis].map((imsi) => ({ imsi }))];
  for (const filter of filters) {
    for (const entry of await deps.store.ledger.list({ ...filter, sinceMs, limit: LEDGER_ROWS_READ })) byId.set(entry.id, entry);
  }
  const attempts = [...byId.values()].filter((entry) => OPEN_KINDS.has(entry.kind)).sort((a, b) => b.atMs - a.atMs);

  const protocolsByPort: Record<number, DeviceProtocol> = {};
  for (const entry of [...attempts].reverse()) {
    const protocol = entry.details?.['protocol'];
    if (entry.devicePort !== undefined && typeof protocol === 'string' && PROTOCOLS.has(protocol)) {
      protocolsByPort[entry.devicePort] = protocol as DeviceProtocol;
    }
  }
  // The port anyone opened through the bot is the one the device is meant to serve; the times are the user's own.
  const latestPort = attempts.find((entry) => entry.devicePort !== undefined)?.devicePort;
  const ownTimesMs = attempts.filter((entry) => entry.userId === request.userId).map((entry) => entry.atMs);
  const lastIp = await deps.store.lastIps.get(request.teamId, request.userId);
  const protocol = latestPort === undefined ? undefined : protocolsByPort[latestPort];
  return {
    intent: {
      devicePort: latestPort,
      protocol,
      sourceIp: lastIp?.ip,
      actionTimesMs: ownTimesMs.length === 0 ? undefined : ownTimesMs,
    },
    protocolsByPort,
  };
}

/**
 * The ledger's reading under what the caller knows better (the mapping behind a Diagnose button). A
 * protocol read for the ledger's port does not carry over to another port the caller names.
 */
export function mergeIntent(fromLedger: DiagnosisIntent, explicit: DiagnosisIntent | undefined): DiagnosisIntent {
  if (explicit === undefined) return fromLedger;
  const portChanged = explicit.devicePort !== undefined && explicit.devicePort !== fromLedger.devicePort;
  const { protocol: ledgerProtocol, ...rest } = fromLedger;
  return {
    ...rest,
    ...(portChanged || ledgerProtocol === undefined ? {} : { protocol: ledgerProtocol }),
    ...explicit,
  };
}
