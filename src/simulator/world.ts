import type { Clock } from '../common/clock';
import { NapterBotError } from '../common/errors';
import { err, ok, type Result } from '../domain/result';
import { ASSUMPTIONS, ERROR_CODES, type ErrorCodeName } from './assumptions';
import {
  httpStatusOf,
  isTlsServerHello,
  napterSession,
  refusalIsSilent,
  replyInterface,
  serviceReaction,
  tcpConnect,
  type DeviceRefusal,
  type ServiceReaction,
  type SessionEnd,
} from './device-model';
import { anyCidrContains, isGlobalCidr, isIpv4 } from './net';
import { SeededRandom } from './random';
import {
  emptyState,
  normaliseClient,
  normaliseDevice,
  normaliseSim,
  type AuditDirection,
  type AuditEventState,
  type AuditEventType,
  type ClientSpec,
  type ClientState,
  type DestinationStrategy,
  type DeviceSpec,
  type MappingState,
  type PeekState,
  type ServiceRecord,
  type SimSpec,
  type SimState,
  type TcpFlags,
  type TrafficRecord,
  type WorldOptions,
  type WorldSpec,
  type WorldState,
} from './world-spec';

/** A caller asked the world for something that cannot exist (unknown client, malformed endpoint…). */
export class SimulatorInputError extends NapterBotError {}

/** An expected refusal, shaped so the HTTP layer can answer it as SORACOM would. */
export interface WorldError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

function worldError(status: number, name: ErrorCodeName, detail?: string): WorldError {
  const base = ERROR_CODES[name];
  return { status, code: base.code, message: detail === undefined ? base.message : `${base.message}: ${detail}` };
}

export type MappingTargetInput =
  | { readonly imsi: string }
  | { readonly simId: string; readonly service?: 'air' | 'arc' | undefined };

export interface CreateMappingInput {
  readonly target: MappingTargetInput;
  readonly devicePort: number;
  readonly durationSec?: number | undefined;
  readonly tlsRequired?: boolean | undefined;
  readonly sourceIpRanges?: readonly string[] | undefined;
}

export interface AttemptInput {
  /** A client id of the world. */
  readonly client: string;
  /** `ip:port` or `hostname:port` of a Napter endpoint. */
  readonly endpoint: string;
  /** What the client speaks (ssh, http…); undefined: what the device port serves. */
  readonly protocol?: string | undefined;
  /** Whether the client speaks TLS; undefined: what the mapping requires. */
  readonly tls?: boolean | undefined;
  /** Length of a working session. */
  readonly sessionSec?: number | undefined;
  readonly sourcePort?: number | undefined;
}

export type AttemptOutcome =
  | 'blocked-by-client-network'
  | 'unknown-endpoint'
  | 'refused'
  | 'denied'
  | 'device-offline'
  | 'closed-by-device'
  | 'session';

export interface AttemptResult {
  readonly outcome: AttemptOutcome;
  /** Why, in words a test or the playground can show. */
  readonly reason: string;
  readonly connectionId: string | undefined;
  readonly mappingId: string | undefined;
  /** The audit events this attempt wrote (some may lie in the future of a manual clock, e.g. CLOSED). */
  readonly events: readonly AuditEventState[];
}

/** `connectionOptions.type` of `sendDownlinkTcp` (spec SimDownlinkTcpRequest). */
export type DownlinkTcpMode = 'fire_and_forget' | 'wait_first' | 'wait_all' | 'wait_for_pattern' | 'idle_timeout';

export interface DownlinkTcpInput {
  readonly port: number;
  readonly payload: Buffer;
  readonly mode: DownlinkTcpMode;
  /** The request's `timeout`, in ms. */
  readonly timeoutMs: number;
  readonly terminationPattern?: Buffer | undefined;
  readonly idleTimeoutMs?: number | undefined;
}

export interface DownlinkHttpInput {
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly ssl: boolean;
  readonly skipVerify: boolean;
}

/**
 * What a downlink call answers and how long SORACOM took to answer it: the server holds the response that
 * long (a silent device makes SORACOM wait out the timeout).
 */
export type DownlinkOutcome<Ok> =
  | { readonly ok: true; readonly value: Ok; readonly elapsedMs: number }
  | { readonly ok: false; readonly message: string; readonly elapsedMs: number };

export interface PingOutcome {
  readonly success: boolean;
  readonly rttMs: number | undefined;
  readonly transmitted: number;
  readonly received: number;
}

export type PeekStatus = 'REQUESTED' | 'ACCEPTED' | 'CAPTURING' | 'POST_PROCESSING' | 'DONE' | 'FAILED' | 'STOPPED';

export interface PeekView {
  readonly session: PeekState;
  readonly status: PeekStatus;
  readonly startedAtMs: number | undefined;
  readonly endedAtMs: number | undefined;
}

export interface AuditQuery {
  readonly imsi?: string | undefined;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
}

const DATA_CAPABLE = new Set(['active', 'ready']);

function mappingEndAt(mapping: MappingState): number {
  return mapping.endedAtMs ?? mapping.expiresAtMs;
}

/**
 * The simulated SORACOM side and everything around it: SIMs with their devices, the people's machines,
 * Napter mappings, the audit log, Peek. A class over one JSON-able `WorldState`. Every operation takes
 * an optional `atMs` so a scenario can be replayed back-dated against a real clock; reads apply what
 * time has done since (expiry, retention) lazily, so the world never needs a timer.
 */
export class World {
  private data: WorldState;
  private random: SeededRandom;

  constructor(
    readonly clock: Clock,
    spec?: WorldSpec,
  ) {
    this.data = emptyState(spec, clock.nowMs());
    this.random = new SeededRandom(this.data.randomState);
  }

  /** The live state (read it, do not keep it across calls: `replaceState` swaps it). */
  get state(): WorldState {
    this.data.randomState = this.random.seed;
    return this.data;
  }

  snapshot(): WorldState {
    return structuredClone(this.state);
  }

  replaceState(state: WorldState): void {
    this.data = structuredClone(state);
    this.random = new SeededRandom(this.data.randomState);
  }

  reset(spec?: WorldSpec): void {
    this.data = emptyState(spec, this.clock.nowMs());
    this.random = new SeededRandom(this.data.randomState);
  }

  get operatorId(): string {
    return this.data.operatorId;
  }

  setOptions(options: WorldOptions): void {
    const next = this.data.options;
    if (options.auditLogRetentionOption !== undefined) {
      // Turning the paid option off discards everything older than the free retention (D1).
      if (next.auditLogRetentionOption && !options.auditLogRetentionOption) {
        const keepFrom = this.clock.nowMs() - ASSUMPTIONS.auditLogRetentionMs;
        this.data.events = this.data.events.filter((event) => event.createdAt >= keepFrom);
      }
      next.auditLogRetentionOption = options.auditLogRetentionOption;
    }
    if (options.auditLogIngestDelayMs !== undefined) next.auditLogIngestDelayMs = options.auditLogIngestDelayMs;
    if (options.peekTimeFormat !== undefined) next.peekTimeFormat = options.peekTimeFormat;
    if (options.napterConnectTimeoutMs !== undefined) next.napterConnectTimeoutMs = options.napterConnectTimeoutMs;
    if (options.seed !== undefined) this.random = new SeededRandom(options.seed);
  }

  // ---- SIMs, devices, clients -------------------------------------------------------------------

  addSim(spec: SimSpec): SimState {
    const taken = this.data.sims.find(
      (sim) => sim.simId === spec.simId || this.imsisOf(sim).some((imsi) => [spec.imsi, ...(spec.additionalImsis ?? [])].includes(imsi)),
    );
    if (taken !== undefined) {
      throw new SimulatorInputError('SIM_DUPLICATE', `A SIM with SIM ID ${spec.simId} or IMSI ${spec.imsi} already exists (${taken.simId})`);
    }
    const sim = normaliseSim(spec, this.clock.nowMs());
    this.data.sims.push(sim);
    return sim;
  }

  /** By SIM ID, any of its IMSIs, or its exact name tag. */
  findSim(ref: string): SimState | undefined {
    return (
      this.data.sims.find((sim) => sim.simId === ref) ??
      this.data.sims.find((sim) => this.imsisOf(sim).includes(ref)) ??
      this.data.sims.find((sim) => sim.tags['name'] === ref)
    );
  }

  sim(ref: string): SimState {
    const sim = this.findSim(ref);
    if (sim === undefined) throw new SimulatorInputError('SIM_UNKNOWN', `No SIM with SIM ID, IMSI or name "${ref}" in the simulated world`);
    return sim;
  }

  imsisOf(sim: SimState): string[] {
    return [sim.imsi, ...sim.additionalImsis];
  }

  /** Changes SIM fields (not the device: `setDevice`). Going offline records the session as the previous one. */
  updateSim(ref: string, patch: Omit<Partial<SimSpec>, 'simId' | 'device'>, atMs = this.clock.nowMs()): SimState {
    const sim = this.sim(ref);
    if (patch.online !== undefined && patch.online !== sim.online) this.setOnline(ref, patch.online, atMs);
    if (patch.name !== undefined) sim.tags['name'] = patch.name;
    if (patch.tags !== undefined) sim.tags = { ...patch.tags, name: patch.name ?? patch.tags['name'] ?? sim.tags['name'] ?? '' };
    if (patch.status !== undefined) sim.status = patch.status;
    if (patch.groupId !== undefined) sim.groupId = patch.groupId;
    if (patch.ueIpAddress !== undefined) sim.ueIpAddress = patch.ueIpAddress;
    if (patch.sessionImsi !== undefined) sim.sessionImsi = patch.sessionImsi;
    if (patch.speedClass !== undefined) sim.speedClass = patch.speedClass;
    if (patch.previousSession !== undefined) sim.previousSession = patch.previousSession;
    if (patch.auditLogIngestDelayMs !== undefined) sim.auditLogIngestDelayMs = patch.auditLogIngestDelayMs;
    sim.lastModifiedTime = atMs;
    return sim;
  }

  setOnline(ref: string, online: boolean, atMs = this.clock.nowMs()): SimState {
    const sim = this.sim(ref);
    if (sim.online === online) return sim;
    if (!online) {
      sim.previousSession = {
        createdTime: sim.sessionStartedAtMs,
        deletedTime: atMs,
        ueIpAddress: sim.ueIpAddress,
        imsi: sim.sessionImsi,
      };
    } else {
      sim.sessionStartedAtMs = atMs;
    }
    sim.online = online;
    return sim;
  }

  /** Replaces the given device fields; services, firewall and routes are replaced whole. */
  setDevice(ref: string, patch: DeviceSpec): SimState {
    const sim = this.sim(ref);
    const current = sim.device;
    sim.device = normaliseDevice({
      description: patch.description ?? current.description,
      services: patch.services ?? current.services,
      firewall: patch.firewall === undefined ? current.firewall : patch.firewall,
      defaultRoute: patch.defaultRoute ?? current.defaultRoute,
      routes: patch.routes ?? current.routes,
      respondsToPing: patch.respondsToPing ?? current.respondsToPing,
    });
    return sim;
  }

  addClient(spec: ClientSpec): ClientState {
    const existing = this.data.clients.findIndex((client) => client.id === spec.id);
    const client = normaliseClient(spec);
    if (existing >= 0) this.data.clients[existing] = client;
    else this.data.clients.push(client);
    return client;
  }

  client(id: string): ClientState {
    const client = this.data.clients.find((candidate) => candidate.id === id);
    if (client === undefined) throw new SimulatorInputError('CLIENT_UNKNOWN', `No client "${id}" in the simulated world`);
    return client;
  }

  // ---- Napter mappings --------------------------------------------------------------------------

  createMapping(input: CreateMappingInput, atMs = this.clock.nowMs()): Result<MappingState, WorldError> {
    this.materialise(atMs);
    const devicePort = input.devicePort;
    if (!Number.isInteger(devicePort) || devicePort < 1 || devicePort > 65_535) {
      return err(worldError(400, 'portMappingInvalid', `destination.port must be a TCP port (1-65535), got ${String(devicePort)}`));
    }
    const durationSec = input.durationSec ?? ASSUMPTIONS.defaultMappingDurationSec;
    if (!Number.isFinite(durationSec) || durationSec <= 0 || durationSec > ASSUMPTIONS.maxMappingDurationSec) {
      return err(
        worldError(400, 'portMappingInvalid', `duration is in seconds, at most ${ASSUMPTIONS.maxMappingDurationSec} (8 hours), got ${String(durationSec)}`),
      );
    }
    const requested = input.sourceIpRanges ?? [];
    const ranges = requested.length === 0 ? [ASSUMPTIONS.allowAnySourceRange] : [...requested];
    const invalid = ranges.filter((range) => range !== ASSUMPTIONS.allowAnySourceRange && !isGlobalCidr(range));
    if (invalid.length > 0) {
      return err(worldError(400, 'portMappingInvalid', `source.ipRanges must be global CIDRs, got ${invalid.join(', ')}`));
    }

    let sim: SimState | undefined;
    let imsi: string;
    let strategy: DestinationStrategy;
    if ('imsi' in input.target) {
      const wanted = input.target.imsi;
      sim = this.data.sims.find((candidate) => this.imsisOf(candidate).includes(wanted));
      if (sim === undefined) return err(worldError(404, 'subscriberNotFound', wanted));
      imsi = wanted;
      strategy = 'IMSI_PRIORITIZED';
    } else {
      const wanted = input.target.simId;
      sim = this.data.sims.find((candidate) => candidate.simId === wanted);
      if (sim === undefined) return err(worldError(404, 'simNotFound', wanted));
      imsi = sim.sessionImsi;
      strategy = input.target.service === 'air' ? 'AIR_PRIORITIZED' : input.target.service === 'arc' ? 'ARC_PRIORITIZED' : 'DYNAMIC';
    }

    const { ipAddress, port } = this.allocateEndpoint();
    const mapping: MappingState = {
      id: this.random.uuid(),
      ipAddress,
      port,
      hostname: `${this.random.hex(12)}${ASSUMPTIONS.napterHostnameSuffix}`,
      simId: sim.simId,
      imsi,
      strategy,
      devicePort,
      durationSec,
      tlsRequired: input.tlsRequired ?? false,
      sourceIpRanges: ranges,
      createdAtMs: atMs,
      expiresAtMs: atMs + Math.round(durationSec * 1000),
      end: 'active',
      endedAtMs: null,
    };
    this.data.mappings.push(mapping);
    sim.lastPortMappingCreatedTime = Math.max(sim.lastPortMappingCreatedTime ?? 0, atMs);
    this.lifecycleEvent(mapping, 'CREATED', atMs);
    return ok(mapping);
  }

  private allocateEndpoint(): { ipAddress: string; port: number } {
    const addresses = ASSUMPTIONS.napterEntryIpAddresses;
    const { min, max } = ASSUMPTIONS.publicPortRange;
    for (;;) {
      const ipAddress = addresses[this.random.int(0, addresses.length - 1)] ?? '192.0.2.10';
      const port = this.random.int(min, max);
      if (!this.data.mappings.some((mapping) => mapping.ipAddress === ipAddress && mapping.port === port)) return { ipAddress, port };
    }
  }

  /** Deletes an active mapping by its public endpoint; false when there is none (SORACOM's 404). */
  deleteMapping(ipAddress: string, port: number, atMs = this.clock.nowMs()): boolean {
    // Up to `atMs` only: a back-dated delete may precede an expiry that lies before now.
    this.materialise(atMs);
    const mapping = this.data.mappings.find((candidate) => candidate.ipAddress === ipAddress && candidate.port === port && candidate.end === 'active');
    if (mapping === undefined) return false;
    mapping.end = 'deleted';
    mapping.endedAtMs = atMs;
    this.lifecycleEvent(mapping, 'DELETED', atMs);
    return true;
  }

  /** Active mappings and those expired less than `expiredMappingListedForMs` ago, oldest first. */
  listMappings(filter?: { readonly simId?: string; readonly imsiPrioritizedFor?: string }): MappingState[] {
    this.materialise();
    const now = this.clock.nowMs();
    return this.data.mappings
      .filter(
        (mapping) =>
          mapping.createdAtMs <= now &&
          (mapping.end === 'active' || (mapping.end === 'expired' && now - mappingEndAt(mapping) < ASSUMPTIONS.expiredMappingListedForMs)),
      )
      .filter((mapping) => filter?.simId === undefined || (mapping.simId === filter.simId && mapping.strategy !== 'IMSI_PRIORITIZED'))
      .filter(
        (mapping) =>
          filter?.imsiPrioritizedFor === undefined || (mapping.strategy === 'IMSI_PRIORITIZED' && mapping.imsi === filter.imsiPrioritizedFor),
      )
      .sort((a, b) => a.createdAtMs - b.createdAtMs);
  }

  isExpiredAt(mapping: MappingState, atMs: number): boolean {
    return mapping.end === 'expired' ? mappingEndAt(mapping) <= atMs : mapping.expiresAtMs <= atMs;
  }

  /** Every mapping whose time ran out becomes expired, with its EXPIRED event at `expiredTime`. */
  materialise(nowMs = this.clock.nowMs()): void {
    for (const mapping of this.data.mappings) {
      if (mapping.end === 'active' && mapping.expiresAtMs <= nowMs) {
        mapping.end = 'expired';
        mapping.endedAtMs = mapping.expiresAtMs;
        this.lifecycleEvent(mapping, 'EXPIRED', mapping.expiresAtMs);
      }
    }
  }

  private lifecycleEvent(mapping: MappingState, type: AuditEventType, atMs: number): void {
    const sim = this.data.sims.find((candidate) => candidate.simId === mapping.simId);
    this.emit({
      connectionId: mapping.id,
      createdAt: atMs,
      type,
      imsi: mapping.imsi,
      tls: mapping.tlsRequired,
      direction: { destinationIPAddress: sim?.ueIpAddress ?? '', destinationPort: mapping.devicePort },
    });
  }

  private emit(event: Omit<AuditEventState, 'seq'>): AuditEventState {
    const stored: AuditEventState = { ...event, seq: this.data.nextSeq++ };
    this.data.events.push(stored);
    return stored;
  }

  // ---- Client attempts --------------------------------------------------------------------------

  findMappingByEndpoint(endpoint: string): MappingState | undefined {
    const separator = endpoint.lastIndexOf(':');
    if (separator <= 0) throw new SimulatorInputError('ENDPOINT_MALFORMED', `An endpoint is host:port, got "${endpoint}"`);
    const host = endpoint.slice(0, separator).replace(/^\[|\]$/g, '');
    const port = Number(endpoint.slice(separator + 1));
    return this.data.mappings.find((mapping) => (mapping.ipAddress === host || mapping.hostname === host) && mapping.port === port);
  }

  /**
   * A client tries a Napter endpoint at `atMs`: writes the audit events Napter would (see ASSUMPTIONS
   * for the sequences) and the packets Peek would see on the cellular side.
   */
  attempt(input: AttemptInput, atMs = this.clock.nowMs()): AttemptResult {
    this.materialise(atMs);
    const client = this.client(input.client);
    const separator = input.endpoint.lastIndexOf(':');
    const publicPort = Number(input.endpoint.slice(separator + 1));
    const mapping = this.findMappingByEndpoint(input.endpoint);
    const none = (outcome: AttemptOutcome, reason: string): AttemptResult => ({
      outcome,
      reason,
      connectionId: undefined,
      mappingId: mapping?.id,
      events: [],
    });

    // Napter's entry points are IPv4: an IPv6-only client never reaches them.
    if (!isIpv4(client.globalIp)) return none('blocked-by-client-network', 'the client has no IPv4 path to the Napter endpoint');
    if (client.network.blocksNapter) return none('blocked-by-client-network', 'the client network blocks the Napter endpoint');
    if (client.network.allowedOutboundPorts !== null && !client.network.allowedOutboundPorts.includes(publicPort)) {
      return none('blocked-by-client-network', `the client network lets only ports ${client.network.allowedOutboundPorts.join(', ')} out`);
    }
    if (mapping === undefined || mapping.createdAtMs > atMs) return none('unknown-endpoint', 'no Napter mapping has this endpoint');

    const sim = this.data.sims.find((candidate) => candidate.simId === mapping.simId);
    const connectionId = this.random.uuid();
    const sourcePort = input.sourcePort ?? this.random.int(49_152, 65_535);
    const direction: AuditDirection = {
      sourceIPAddress: client.globalIp,
      sourcePort,
      destinationIPAddress: sim?.ueIpAddress ?? '',
      destinationPort: mapping.devicePort,
    };
    const events: AuditEventState[] = [];
    const log = (type: AuditEventType, at: number): void => {
      events.push(this.emit({ connectionId, createdAt: at, type, imsi: mapping.imsi, tls: mapping.tlsRequired, direction: { ...direction } }));
    };
    const result = (outcome: AttemptOutcome, reason: string): AttemptResult => ({ outcome, reason, connectionId, mappingId: mapping.id, events });

    log('ACCESS', atMs);
    const verdictAt = atMs + ASSUMPTIONS.accessToVerdictMs;
    const closeAfterVerdict = verdictAt + ASSUMPTIONS.closeAfterDeniedMs;

    const block = this.data.blocks.find(
      (candidate) => candidate.ip === client.globalIp && candidate.mappingId === mapping.id && candidate.fromMs <= atMs && atMs < candidate.untilMs,
    );
    if (block !== undefined) {
      log('REFUSED', verdictAt);
      if (ASSUMPTIONS.closedFollowsDeniedOrRefused) log('CLOSED', closeAfterVerdict);
      return result('refused', `repeated DENIED: ${client.globalIp} is blocked on this endpoint until ${new Date(block.untilMs).toISOString()}`);
    }

    const ended = mapping.createdAtMs > atMs || mappingEndAt(mapping) <= atMs;
    const admitted = anyCidrContains(mapping.sourceIpRanges, client.globalIp);
    if (ended || !admitted) {
      log('DENIED', verdictAt);
      if (ASSUMPTIONS.closedFollowsDeniedOrRefused) log('CLOSED', closeAfterVerdict);
      this.recordDenial(client.globalIp, mapping.id, verdictAt);
      const why = ended
        ? `the mapping ${mapping.end === 'deleted' ? 'was deleted' : 'expired'}`
        : `${client.globalIp} is outside source.ipRanges ${mapping.sourceIpRanges.join(', ')}`;
      return result('denied', why);
    }

    if (sim === undefined || !sim.online || !DATA_CAPABLE.has(sim.status)) {
      log('CLOSED', verdictAt + ASSUMPTIONS.offlineDeviceCloseAfterMs);
      return result('device-offline', 'the SIM has no online session to forward to');
    }

    const connectedAt = verdictAt;
    log('CONNECTED', connectedAt);
    const roundTrip = ASSUMPTIONS.deviceRoundTripMs;
    const ueIp = sim.ueIpAddress;
    const packet = (at: number, fromDevice: boolean, flags: TcpFlags): void =>
      this.traffic({
        atMs: at,
        simId: sim.simId,
        protocol: 'tcp',
        srcIp: fromDevice ? ueIp : client.globalIp,
        dstIp: fromDevice ? client.globalIp : ueIp,
        srcPort: fromDevice ? mapping.devicePort : sourcePort,
        dstPort: fromDevice ? sourcePort : mapping.devicePort,
        flags,
      });

    packet(connectedAt, false, 'S');
    const connect = tcpConnect(sim.device, mapping.devicePort, client.globalIp);
    if (connect.kind === 'refused') {
      if (refusalIsSilent(connect.reason)) {
        // The SYN goes unanswered (or its answer leaves by another interface): Napter retries, then gives up.
        const giveUpAt = connectedAt + this.napterConnectTimeoutMs();
        for (const retryAfterMs of [1000, 3000, 7000, 15_000]) {
          if (connectedAt + retryAfterMs < giveUpAt) packet(connectedAt + retryAfterMs, false, 'S');
        }
        log('CLOSED', giveUpAt);
      } else {
        packet(connectedAt + roundTrip / 2, true, 'RA');
        log('CLOSED', connectedAt + roundTrip);
      }
      return result('closed-by-device', deviceRefusalText(connect.reason, connect.replyInterface));
    }
    packet(connectedAt + roundTrip / 2, true, 'SA');
    packet(connectedAt + roundTrip / 2 + 1, false, 'A');
    const session: SessionEnd = napterSession(connect.service, {
      protocol: input.protocol,
      clientTls: input.tls ?? mapping.tlsRequired,
      napterTerminatesTls: mapping.tlsRequired,
    });
    if (session.kind === 'closed-at-once') {
      // The client's first bytes go in, the device (or its application) hangs up on them.
      const closeAt = connectedAt + 2 * roundTrip;
      packet(connectedAt + roundTrip, false, 'PA');
      packet(closeAt - roundTrip / 2, true, 'FA');
      log('CLOSED', closeAt);
      return result('closed-by-device', session.reason);
    }
    const sessionEnd = connectedAt + Math.round((input.sessionSec ?? ASSUMPTIONS.defaultSessionSec) * 1000);
    packet(connectedAt + roundTrip, false, 'PA');
    packet(connectedAt + 2 * roundTrip, true, 'PA');
    packet(sessionEnd - 1, false, 'FA');
    packet(sessionEnd, true, 'FA');
    log('CLOSED', sessionEnd);
    return result('session', `${connect.service.protocol} session on device port ${mapping.devicePort}`);
  }

  private napterConnectTimeoutMs(): number {
    return this.data.options.napterConnectTimeoutMs ?? ASSUMPTIONS.napterDeviceConnectTimeoutMs;
  }

  private recordDenial(ip: string, mappingId: string, atMs: number): void {
    this.data.denials.push({ ip, mappingId, atMs });
    const recent = this.data.denials.filter(
      (denial) => denial.ip === ip && denial.mappingId === mappingId && denial.atMs > atMs - ASSUMPTIONS.refuseDeniedWindowMs && denial.atMs <= atMs,
    );
    if (recent.length >= ASSUMPTIONS.refuseAfterDeniedCount) {
      this.data.blocks.push({ ip, mappingId, fromMs: atMs + 1, untilMs: atMs + ASSUMPTIONS.refuseBlockMs });
      this.data.denials = this.data.denials.filter((denial) => !(denial.ip === ip && denial.mappingId === mappingId));
    }
  }

  private traffic(record: TrafficRecord): void {
    this.data.traffic.push(record);
  }

  // ---- Audit log --------------------------------------------------------------------------------

  retentionMs(): number {
    return this.data.options.auditLogRetentionOption ? ASSUMPTIONS.auditLogRetentionWithOptionMs : ASSUMPTIONS.auditLogRetentionMs;
  }

  /**
   * What `GET /audit_logs/napter` can see now, newest first. Each event waits out the ingest delay of
   * the SIM owning its IMSI (the world's option when that SIM sets none).
   */
  auditEvents(query: AuditQuery = {}): AuditEventState[] {
    this.materialise();
    const now = this.clock.nowMs();
    const worldDelayMs = this.data.options.auditLogIngestDelayMs;
    const delayByImsi = new Map<string, number>();
    for (const sim of this.data.sims) {
      // `?? worldDelayMs` also covers a state PUT by an older page that lacks the field.
      const delayMs = sim.auditLogIngestDelayMs ?? worldDelayMs;
      for (const imsi of this.imsisOf(sim)) delayByImsi.set(imsi, delayMs);
    }
    const retainedFrom = now - this.retentionMs();
    return this.data.events
      .filter(
        (event) =>
          event.createdAt <= now - (delayByImsi.get(event.imsi) ?? worldDelayMs) &&
          event.createdAt >= retainedFrom &&
          (query.imsi === undefined || event.imsi === query.imsi) &&
          (query.fromMs === undefined || event.createdAt >= query.fromMs) &&
          (query.toMs === undefined || event.createdAt <= query.toMs),
      )
      .sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  // ---- Probes -----------------------------------------------------------------------------------

  /**
   * `sendDownlinkTcp`: SORACOM connects to the device port from a platform address, sends `payload`, and
   * reads the device's answer as `mode` says. Each rule quotes the spec (SimDownlinkTcpConnection…Options).
   */
  downlinkTcp(simId: string, input: DownlinkTcpInput, atMs = this.clock.nowMs()): DownlinkOutcome<Buffer> {
    const messages = ASSUMPTIONS.downlinkMessages;
    const roundTrip = ASSUMPTIONS.deviceRoundTripMs;
    const sim = this.sim(simId);
    const online = sim.online && DATA_CAPABLE.has(sim.status);
    const failed = (message: string, elapsedMs: number): DownlinkOutcome<Buffer> => ({ ok: false, message, elapsedMs });
    const answered = (value: Buffer, elapsedMs: number): DownlinkOutcome<Buffer> => ({ ok: true, value, elapsedMs });
    const connection = online ? this.platformConnection(sim, input.port, atMs) : undefined;

    if (input.mode === 'fire_and_forget') {
      // "Does not wait for data reception from the device. Even if the device cannot be reached over the
      // network …, this API will still return a successful response."
      if (connection?.kind === 'accepted') connection.send(input.payload);
      return answered(Buffer.alloc(0), connection?.kind === 'accepted' ? roundTrip : Math.min(input.timeoutMs, roundTrip));
    }
    if (connection === undefined) return failed(messages.offline, roundTrip);
    if (connection.kind === 'reset') return failed(messages.refused, roundTrip);
    // "If sending and receiving data is not completed within the time specified by `timeout`, an error will occur."
    if (connection.kind === 'silent') return failed(messages.connectTimeout, input.timeoutMs);

    const reaction = connection.send(input.payload);
    // "If the device disconnects the TCP connection before sending any data" → error, for every waiting mode.
    if (reaction.kind === 'closes') return failed(messages.closedBeforeData, 2 * roundTrip);
    // "If no data is received from the device. After the time specified by `timeout` elapses, … an error is returned."
    if (reaction.kind === 'silent') return failed(messages.noData, input.timeoutMs);
    const data = reaction.bytes;
    switch (input.mode) {
      case 'wait_first':
        // "as soon as the first data from the device is received, the TCP connection is terminated …
        // Data received from the device is not included in the API response."
        return answered(Buffer.alloc(0), 2 * roundTrip);
      case 'wait_all':
        // "returns the data received during the time specified by `timeout` or until the device disconnects".
        return answered(data, reaction.thenCloses ? 2 * roundTrip : input.timeoutMs);
      case 'wait_for_pattern': {
        // "returns the data received until the byte pattern specified by `terminationPattern` is received".
        const pattern = input.terminationPattern ?? Buffer.alloc(0);
        const at = pattern.length === 0 ? -1 : data.indexOf(pattern);
        if (at >= 0) return answered(data.subarray(0, at + pattern.length), 2 * roundTrip);
        // "If data matching the pattern is not received within the time specified by `timeout`" → error.
        return failed(messages.patternNotReceived, reaction.thenCloses ? 2 * roundTrip : input.timeoutMs);
      }
      case 'idle_timeout':
        // "After data reception begins, if no data is received for the time specified by `idleTimeout`,
        // returns the data received up to that point".
        return answered(data, reaction.thenCloses ? 2 * roundTrip : Math.min(input.timeoutMs, 2 * roundTrip + (input.idleTimeoutMs ?? 0)));
    }
  }

  /**
   * `sendDownlinkHttp`: an HTTP(S) request from a platform address; the device's status comes back as a
   * 200, and the spec's 422 reasons ("Could not establish a network connection", "The device refused the
   * HTTP connection", "did not return a response within 10 seconds") as failures.
   */
  downlinkHttp(simId: string, input: DownlinkHttpInput, atMs = this.clock.nowMs()): DownlinkOutcome<{ statusCode: number; body: string }> {
    const messages = ASSUMPTIONS.downlinkMessages;
    const roundTrip = ASSUMPTIONS.deviceRoundTripMs;
    const wait = ASSUMPTIONS.httpDownlinkResponseTimeoutMs;
    const sim = this.sim(simId);
    const failed = (message: string, elapsedMs: number) => ({ ok: false as const, message, elapsedMs });
    if (!sim.online || !DATA_CAPABLE.has(sim.status)) return failed(messages.httpConnectFailed, roundTrip);
    const connection = this.platformConnection(sim, input.port, atMs);
    if (connection.kind === 'reset') return failed(messages.httpRefused, roundTrip);
    if (connection.kind === 'silent') return failed(messages.httpConnectFailed, wait);

    const request = Buffer.from(`${input.method} ${input.path} HTTP/1.1\r\nHost: ${sim.ueIpAddress}:${input.port}\r\nUser-Agent: SORACOM\r\n\r\n`, 'latin1');
    let reaction: ReturnType<typeof connection.send>;
    if (input.ssl) {
      const hello = connection.send(CLIENT_HELLO);
      if (hello.kind === 'closes') return failed(messages.httpClosed, 2 * roundTrip);
      if (hello.kind === 'silent') return failed(messages.httpNoResponse, wait);
      if (!isTlsServerHello(hello.bytes)) return failed(messages.httpTlsFailed, 2 * roundTrip);
      if (!input.skipVerify && ASSUMPTIONS.deviceCertificatesSelfSigned) return failed(messages.httpCertificate, 2 * roundTrip);
      // Inside TLS the HTTPS server is an HTTP server: it answers the request with its status.
      reaction = connection.sendInsideTls(request);
    } else {
      reaction = connection.send(request);
    }
    if (reaction.kind === 'closes') return failed(messages.httpClosed, 3 * roundTrip);
    if (reaction.kind === 'silent') return failed(messages.httpNoResponse, wait);
    const statusCode = httpStatusOf(reaction.bytes);
    if (statusCode === undefined) return failed(messages.httpMalformed, 3 * roundTrip);
    return { ok: true, value: { statusCode, body: '' }, elapsedMs: 3 * roundTrip };
  }

  /** A TCP connection from SORACOM's platform address to a device port, with the packets Peek would see. */
  private platformConnection(sim: SimState, port: number, atMs: number): PlatformConnection {
    const source = ASSUMPTIONS.platformProbeSourceIp;
    const sourcePort = this.random.int(32_768, 60_999);
    const packet = (offsetMs: number, fromDevice: boolean, flags: TcpFlags): void =>
      this.traffic({
        atMs: atMs + offsetMs,
        simId: sim.simId,
        protocol: 'tcp',
        srcIp: fromDevice ? sim.ueIpAddress : source,
        dstIp: fromDevice ? source : sim.ueIpAddress,
        srcPort: fromDevice ? port : sourcePort,
        dstPort: fromDevice ? sourcePort : port,
        flags,
      });
    const roundTrip = ASSUMPTIONS.deviceRoundTripMs;
    packet(0, false, 'S');
    const connect = tcpConnect(sim.device, port, source);
    if (connect.kind === 'refused') {
      if (refusalIsSilent(connect.reason)) return { kind: 'silent', reason: connect.reason };
      packet(roundTrip / 2, true, 'RA');
      return { kind: 'reset', reason: connect.reason };
    }
    packet(roundTrip / 2, true, 'SA');
    packet(roundTrip / 2 + 1, false, 'A');
    const service = connect.service;
    const react = (bytes: Buffer, speaking: ServiceRecord = service) => {
      if (bytes.length > 0) packet(roundTrip, false, 'PA');
      const reaction = serviceReaction(speaking, bytes);
      if (reaction.kind === 'data') packet(roundTrip * 1.5, true, 'PA');
      if (reaction.kind === 'closes' || (reaction.kind === 'data' && reaction.thenCloses)) packet(roundTrip * 1.5 + 1, true, 'FA');
      return reaction;
    };
    return {
      kind: 'accepted',
      send: react,
      // Once its TLS handshake is done, an HTTPS server is an HTTP server to what comes through the tunnel.
      sendInsideTls: (bytes: Buffer) => react(bytes, service.protocol === 'https' ? { ...service, protocol: 'http' } : service),
    };
  }

  /** `sendDownlinkPing`. */
  ping(simId: string, count: number, atMs = this.clock.nowMs()): PingOutcome {
    const sim = this.sim(simId);
    const answers =
      sim.online &&
      DATA_CAPABLE.has(sim.status) &&
      sim.device.respondsToPing &&
      replyInterface(sim.device, ASSUMPTIONS.platformProbeSourceIp) === 'cellular';
    for (let i = 0; i < count; i += 1) {
      const at = atMs + i * 1000;
      const echo = { simId: sim.simId, protocol: 'icmp' as const, srcPort: 0, dstPort: 0 };
      if (sim.online) this.traffic({ ...echo, atMs: at, srcIp: ASSUMPTIONS.platformProbeSourceIp, dstIp: sim.ueIpAddress, flags: 'echo-request' });
      if (answers) {
        this.traffic({ ...echo, atMs: at + Math.round(ASSUMPTIONS.pingRttMs), srcIp: sim.ueIpAddress, dstIp: ASSUMPTIONS.platformProbeSourceIp, flags: 'echo-reply' });
      }
    }
    return { success: answers, rttMs: answers ? ASSUMPTIONS.pingRttMs : undefined, transmitted: count, received: answers ? count : 0 };
  }

  // ---- Peek -------------------------------------------------------------------------------------

  createPeek(simId: string, durationSec: number, prefix: string | undefined, atMs = this.clock.nowMs()): Result<PeekView, WorldError> {
    if (this.data.sims.find((sim) => sim.simId === simId) === undefined) return err(worldError(404, 'simNotFound', simId));
    if (!Number.isInteger(durationSec) || durationSec < ASSUMPTIONS.peekMinDurationSec || durationSec > ASSUMPTIONS.peekMaxDurationSec) {
      return err(
        worldError(
          400,
          'peekInvalid',
          `duration is in seconds, ${ASSUMPTIONS.peekMinDurationSec}-${ASSUMPTIONS.peekMaxDurationSec}, got ${String(durationSec)}`,
        ),
      );
    }
    if (prefix !== undefined && !/^[0-9A-Za-z_-]{0,100}$/.test(prefix)) {
      return err(worldError(400, 'peekInvalid', 'prefix may hold only letters, digits, - and _ (at most 100)'));
    }
    const session: PeekState = {
      sessionId: this.random.uuid(),
      simId,
      durationSec,
      prefix: prefix ?? '',
      createdAtMs: atMs,
      stoppedAtMs: null,
      deleted: false,
    };
    this.data.peekSessions.push(session);
    return ok(this.peekView(session));
  }

  peekView(session: PeekState, nowMs = this.clock.nowMs()): PeekView {
    const captureStart = session.createdAtMs + ASSUMPTIONS.peekCaptureStartsAfterMs;
    const plannedEnd = captureStart + session.durationSec * 1000;
    const captureEnd = session.stoppedAtMs === null ? plannedEnd : Math.min(plannedEnd, session.stoppedAtMs);
    const view = (status: PeekStatus, startedAtMs?: number, endedAtMs?: number): PeekView => ({ session, status, startedAtMs, endedAtMs });
    if (nowMs < session.createdAtMs + ASSUMPTIONS.peekAcceptAfterMs) return view('REQUESTED');
    if (nowMs < captureStart) return view('ACCEPTED');
    if (nowMs < captureEnd) return view('CAPTURING', captureStart);
    if (nowMs < captureEnd + ASSUMPTIONS.peekPostProcessingMs) return view('POST_PROCESSING', captureStart, captureEnd);
    return view('DONE', captureStart, captureEnd);
  }

  listPeeks(simId: string): PeekView[] {
    return this.data.peekSessions
      .filter((session) => session.simId === simId && !session.deleted)
      .sort((a, b) => b.createdAtMs - a.createdAtMs)
      .map((session) => this.peekView(session));
  }

  getPeek(simId: string, sessionId: string): PeekView | undefined {
    const session = this.data.peekSessions.find((candidate) => candidate.simId === simId && candidate.sessionId === sessionId && !candidate.deleted);
    return session === undefined ? undefined : this.peekView(session);
  }

  stopPeek(simId: string, sessionId: string, atMs = this.clock.nowMs()): Result<PeekView, WorldError> {
    const view = this.getPeek(simId, sessionId);
    if (view === undefined) return err(worldError(404, 'peekNotFound', sessionId));
    if (view.status !== 'CAPTURING') return err(worldError(400, 'peekNotCapturing', `status is ${view.status}`));
    view.session.stoppedAtMs = atMs;
    return ok(this.peekView(view.session));
  }

  deletePeek(simId: string, sessionId: string): Result<PeekView, WorldError> {
    const view = this.getPeek(simId, sessionId);
    if (view === undefined) return err(worldError(404, 'peekNotFound', sessionId));
    view.session.deleted = true;
    return ok(view);
  }

  /** The packets of the SIM inside a finished capture's window, in time order. */
  capturedTraffic(sessionId: string): TrafficRecord[] | undefined {
    const session = this.data.peekSessions.find((candidate) => candidate.sessionId === sessionId);
    if (session === undefined) return undefined;
    const view = this.peekView(session);
    if (view.status !== 'DONE' || view.startedAtMs === undefined || view.endedAtMs === undefined) return undefined;
    const from = view.startedAtMs;
    const to = view.endedAtMs;
    return this.data.traffic
      .filter((record) => record.simId === session.simId && record.atMs >= from && record.atMs <= to)
      .sort((a, b) => a.atMs - b.atMs);
  }
}

/** A TLS 1.2/1.3 ClientHello record header and handshake type: what an HTTPS client sends first. */
const CLIENT_HELLO = Buffer.from('160301020001', 'hex');

type PlatformConnection =
  | { readonly kind: 'reset'; readonly reason: DeviceRefusal }
  | { readonly kind: 'silent'; readonly reason: DeviceRefusal }
  | {
      readonly kind: 'accepted';
      send(bytes: Buffer): ServiceReaction;
      sendInsideTls(bytes: Buffer): ServiceReaction;
    };

function deviceRefusalText(reason: DeviceRefusal, via: string): string {
  switch (reason) {
    case 'port-closed':
      return 'port-closed: nothing listens on the device port';
    case 'firewall-reject':
      return 'firewall-reject: the device firewall rejects the client address';
    case 'firewall-drop':
      return 'firewall-drop: the device firewall drops the client address';
    case 'reply-via-other-interface':
      return `reply-via-other-interface: the device answers by ${via}, not by the cellular interface`;
  }
}
