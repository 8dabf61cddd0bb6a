import { DEFAULT_REMINDER_LEAD_SEC } from '../domain/expiry';
import { z } from 'zod';
import type { NapterApi } from '../domain/napter-api';
import type { PortMapping, SimSnapshot } from '../domain/soracom';
import type { Clock } from '../common/clock';
import type { InFlight, LedgerInput, MappingSourceKind, Store, StoredMapping } from './ports/store';
import { simLabel } from './resolve-sim';
import { startWatching } from './watch-records';
import type { WatchSettings } from './deps';
import type { ReplyRoute } from './reply-route';

/** What opening a mapping, and settling one whose outcome was lost, touches. */
export interface OpenMappingDeps {
  readonly api: NapterApi;
  readonly store: Store;
  readonly clock: Clock;
  /** Waits between looks at a concurrent identical request. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly watch?: WatchSettings | undefined;
}

/**
 * How the source range was chosen; kept in the ledger so "Open again" can repeat it. `me`: the IP page saw the
 * address itself; `last`: such an address, remembered; `claimed`: the IP page saw only a private peer and took
 * the address the browser reported; `cidr`: typed, or picked from the audit log.
 */
export type SourceKind = MappingSourceKind;

export interface OpenMappingRequest {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly sim: SimSnapshot;
  readonly devicePort: number;
  readonly durationSec: number;
  readonly tlsRequired: boolean;
  /** Normalised CIDR (an address is /32 or /128). */
  readonly sourceCidr: string;
  readonly sourceKind: SourceKind;
  /**
   * Unique per user action (a slash command's trigger_id, a click's trigger_id, an IP capture's id):
   * a redelivered request with the same key gets the mapping its first delivery made.
   */
  readonly requestKey: string;
  /** `retry` for Open again and fixes, `extend` for Extend; recorded in the ledger. */
  readonly reason: 'open' | 'retry' | 'extend';
  /**
   * Extend: the mapping this one replaces (never reused for it: a new one is the point) and when the chain of
   * Extends began (what the policy's longest access is counted from).
   */
  readonly replaces?: { readonly mappingId: string; readonly ipAddress: string; readonly port: number; readonly chainStartedAtMs: number } | undefined;
  readonly protocol?: string | undefined;
  /** How to reach the requester if this process dies before telling them (kept with the in-flight row). */
  readonly reply?: ReplyRoute | undefined;
}

export type OpenMappingOutcome =
  /** `flightId`: the in-flight row to settle once the requester has been told. */
  | { readonly kind: 'created'; readonly mapping: StoredMapping; readonly flightId: string }
  /** An active mapping to the same device port already admits the source: nothing new was created. */
  | { readonly kind: 'reused'; readonly mapping: StoredMapping; readonly flightId?: string }
  /** An identical request is still running after the wait (or an earlier one's outcome is still unknown). */
  | { readonly kind: 'in-progress' }
  /**
   * SORACOM's answer to the create was lost and its listing does not show a mapping (yet): it may still appear.
   * Nothing else is created for this request; `resolveOpenInFlight` looks again and settles it.
   */
  | { readonly kind: 'unknown'; readonly flightId: string };

/** What an open in flight is doing, as its row keeps it (versioned: a newer process reads an older row). */
const OPEN_PARAMS = z.object({
  v: z.literal(1),
  devicePort: z.number().int().min(1).max(65535),
  tlsRequired: z.boolean(),
  sourceCidr: z.string().min(1),
  sourceKind: z.enum(['me', 'last', 'claimed', 'cidr']),
  durationSec: z.number().int().min(1),
  reason: z.enum(['open', 'retry', 'extend']),
  protocol: z.string().optional(),
  imsi: z.string().optional(),
  /** Extend: the mapping to delete once this one exists, written before the create (a restart finishes it). */
  replaces: z.object({ mappingId: z.string(), ipAddress: z.string(), port: z.number().int(), chainStartedAtMs: z.number() }).optional(),
});
export type OpenParams = z.infer<typeof OPEN_PARAMS>;

/** The parameters of an open in flight; undefined for a row this version cannot read. */
export function openParamsOf(flight: InFlight): OpenParams | undefined {
  const parsed = OPEN_PARAMS.safeParse(flight.params);
  return parsed.success ? parsed.data : undefined;
}

export function paramsOf(request: OpenMappingRequest): OpenParams {
  return {
    v: 1,
    devicePort: request.devicePort,
    tlsRequired: request.tlsRequired,
    sourceCidr: request.sourceCidr,
    sourceKind: request.sourceKind,
    durationSec: request.durationSec,
    reason: request.reason,
    protocol: request.protocol,
    imsi: request.sim.imsi,
    ...(request.replaces === undefined ? {} : { replaces: request.replaces }),
  };
}

export function createRequestOf(simId: string, params: OpenParams) {
  return {
    target: { kind: 'sim' as const, simId, service: 'air' as const },
    devicePort: params.devicePort,
    durationSec: params.durationSec,
    tlsRequired: params.tlsRequired,
    sourceIpRanges: [params.sourceCidr],
  };
}

export function sameOpen(params: OpenParams | undefined, request: Pick<OpenMappingRequest, 'devicePort' | 'tlsRequired' | 'sourceCidr'>): boolean {
  return (
    params !== undefined && params.devicePort === request.devicePort && params.tlsRequired === request.tlsRequired && params.sourceCidr === request.sourceCidr
  );
}

export async function recordOpened(
  store: Store,
  request: Omit<OpenMappingRequest, 'sim'> & { readonly sim: Pick<SimSnapshot, 'simId' | 'imsi'> },
  mapping: StoredMapping,
): Promise<void> {
  await store.ledger.record({
    kind: request.reason,
    ...ledgerFields(request, mapping),
    details: {
      source: request.sourceKind,
      durationSec: request.durationSec,
      tlsRequired: request.tlsRequired,
      requestKey: request.requestKey,
      protocol: request.protocol,
      ...(request.replaces === undefined ? {} : { replaces: request.replaces.mappingId, chainStartedAtMs: request.replaces.chainStartedAtMs }),
    },
  });
}

/** What the ledger records of an open or a reuse besides its kind and details. */
export function ledgerFields(
  request: Pick<OpenMappingRequest, 'teamId' | 'userId' | 'channelId' | 'devicePort' | 'sourceCidr'> & { readonly sim: Pick<SimSnapshot, 'simId' | 'imsi'> },
  mapping: StoredMapping,
): Omit<LedgerInput, 'kind' | 'details'> {
  return {
    teamId: request.teamId,
    userId: request.userId,
    channelId: request.channelId,
    simId: request.sim.simId,
    imsi: request.sim.imsi,
    mappingId: mapping.id,
    devicePort: request.devicePort,
    sourceCidr: request.sourceCidr,
  };
}

export async function rememberMapping(
  store: Store,
  mapping: PortMapping,
  /** `replaces`: an Extend's mapping takes over the channel card of the one it replaces, with its row. */
  request: Pick<OpenMappingRequest, 'teamId' | 'userId' | 'channelId' | 'sourceCidr' | 'requestKey' | 'replaces'> & {
    readonly sim: Pick<SimSnapshot, 'simId' | 'imsi'> & Partial<Pick<SimSnapshot, 'imsis' | 'name'>>;
  },
  /** How the source was chosen, when this request made the mapping (not when it found one made elsewhere). */
  sourceKind: SourceKind | undefined,
  /** The reminder's lead for its watch. */
  reminderLeadSec: number = DEFAULT_REMINDER_LEAD_SEC,
): Promise<StoredMapping> {
  const stored = await store.mappings.save(
    {
      simId: request.sim.simId,
      imsi: mapping.destination.imsi ?? request.sim.imsi,
      ipAddress: mapping.ipAddress,
      port: mapping.port,
      hostname: mapping.hostname,
      devicePort: mapping.destination.port,
      tlsRequired: mapping.tlsRequired,
      sourceCidr: mapping.sourceIpRanges[0] ?? request.sourceCidr,
      durationSec: mapping.durationSec,
      createdAtMs: mapping.createdAtMs,
      expiresAtMs: mapping.expiresAtMs,
      openedBy: { teamId: request.teamId, userId: request.userId },
      channelId: request.channelId,
      requestKey: request.requestKey,
      sourceKind,
    },
    { takesCardOf: request.replaces?.mappingId },
  );
  // Watched from the moment the bot knows it: the requester and the card hear what the audit log shows.
  const { sim } = request;
  const label = sim.name === undefined ? undefined : simLabel({ name: sim.name, simId: sim.simId });
  await startWatching(store, stored, { imsis: sim.imsis, label }, { reminderLeadSec });
  return stored;
}

/** The open an IP link waits for, kept with the link (versioned, so that a restart with newer code can read it). */
const PENDING_OPEN = z.object({
  v: z.literal(1),
  simId: z.string().min(1),
  devicePort: z.number().int().min(1).max(65535),
  protocol: z.enum(['ssh', 'http', 'https', 'rdp', 'vnc', 'tcp']),
  durationSec: z.number().int().min(1),
  tlsRequired: z.boolean(),
  reason: z.enum(['open', 'retry']),
  diagnosisId: z.string().min(1).max(64).optional(),
});
export type PendingOpen = z.infer<typeof PENDING_OPEN>;

export function parsePendingOpen(value: unknown): PendingOpen | undefined {
  const parsed = PENDING_OPEN.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
