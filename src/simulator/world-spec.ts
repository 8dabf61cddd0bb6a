/**
 * The simulated world as plain data: what a scenario, a test or the browser playground writes
 * (`WorldSpec`, every field but the identities optional) and what the world keeps (`WorldState`, every
 * field present, JSON-able, so a page can GET it, edit it and PUT it back).
 */

export type NetworkInterface = 'cellular' | 'wifi' | 'lan';

/**
 * What answers on a device port.
 * - `serving`: the application works.
 * - `stopped`: nothing listens (the port is closed: the device answers RST).
 * - `accepts-then-closes`: something accepts the TCP connection and hangs up at once, e.g. docker-proxy
 *   publishing the port of a container that is down, or a socket-activated unit that fails to start.
 * - `rejects-clients`: the application accepts, then drops the client (sshd AllowUsers / hosts.deny,
 *   an HTTP server bound to its LAN name).
 */
export type ServiceBehaviour = 'serving' | 'stopped' | 'accepts-then-closes' | 'rejects-clients';

export interface ServiceSpec {
  readonly port: number;
  /**
   * What it speaks: ssh, http, https, rdp, vnc, mqtt, modbus, tcp… SSH and VNC servers greet first; the
   * others wait for their client's first bytes (see device-model.ts). A client speaking something else is hung up on.
   */
  readonly protocol: string;
  readonly state?: ServiceBehaviour;
  readonly description?: string;
  /** A line the service sends as soon as a client connects (a vendor console's prompt); SSH and VNC have their own. */
  readonly banner?: string;
  /** The status an HTTP service answers a request with (default 200; a web UI behind a login may say 401). */
  readonly httpStatus?: number;
}

export interface FirewallRule {
  /** undefined: every port. */
  readonly ports?: readonly number[];
  /** CIDRs; undefined: every source. */
  readonly sources?: readonly string[];
}

/** iptables / Windows Firewall in front of the services: packets matching no rule are dropped or rejected. */
export interface FirewallSpec {
  readonly policy: 'drop' | 'reject';
  readonly allow: readonly FirewallRule[];
}

export interface RouteSpec {
  readonly cidr: string;
  readonly via: NetworkInterface;
}

export interface DeviceSpec {
  /** Maker, model, OS: what a support ticket asks for. */
  readonly description?: string;
  readonly services?: readonly ServiceSpec[];
  /** null / undefined: no firewall. */
  readonly firewall?: FirewallSpec | null;
  /** Where replies go when no route is more specific. */
  readonly defaultRoute?: NetworkInterface;
  readonly routes?: readonly RouteSpec[];
  readonly respondsToPing?: boolean;
}

export interface PreviousSessionSpec {
  readonly createdTime: number;
  readonly deletedTime: number;
  readonly ueIpAddress?: string;
  readonly imsi?: string;
}

export interface SimSpec {
  /** 19 digits. */
  readonly simId: string;
  /** The primary IMSI (15 digits); the session uses it unless `sessionImsi` says otherwise. */
  readonly imsi: string;
  readonly additionalImsis?: readonly string[];
  readonly sessionImsi?: string;
  readonly iccid?: string;
  readonly msisdn?: string;
  readonly name?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly status?: string;
  readonly groupId?: string;
  readonly subscription?: string;
  readonly speedClass?: string;
  readonly online?: boolean;
  /** Private (10.x) address of the device on the cellular side. */
  readonly ueIpAddress?: string;
  readonly imei?: string;
  /** When the current session started (ms); defaults to the world's creation time. */
  readonly sessionStartedAtMs?: number;
  readonly previousSession?: PreviousSessionSpec | null;
  readonly createdTime?: number;
  readonly device?: DeviceSpec;
  /**
   * How long after they happen this SIM's events (under any of its IMSIs) show in the audit log;
   * undefined / null: the world's `auditLogIngestDelayMs`. Per SIM so one late-ingest SIM (the
   * no-evidence scenario) does not delay every SIM of a shared world such as the demo one.
   */
  readonly auditLogIngestDelayMs?: number | null;
}

/** A person's machine and the network it sits on. */
export interface ClientSpec {
  readonly id: string;
  readonly label?: string;
  /** The address Napter sees (documentation ranges in scenarios). */
  readonly globalIp: string;
  readonly network?: {
    readonly description?: string;
    /** A proxy or firewall that blocks every Napter endpoint. */
    readonly blocksNapter?: boolean;
    /** Outbound ports the network lets through (e.g. only 80/443); undefined: all. */
    readonly allowedOutboundPorts?: readonly number[];
  };
}

export interface WorldOptions {
  /**
   * How long Napter waits for a device that never answers its SYN (a firewall that drops, replies that
   * leave by Wi-Fi) before it gives up and closes the client's connection. Default: ASSUMPTIONS.
   */
  readonly napterConnectTimeoutMs?: number;
  /** The paid Napter audit-log option: 366-day retention instead of 24 h. */
  readonly auditLogRetentionOption?: boolean;
  /** How long after it happens an event shows in the audit log (0: at once), for SIMs that set no delay of their own. */
  readonly auditLogIngestDelayMs?: number;
  readonly peekTimeFormat?: 'epoch-ms' | 'iso-8601';
  readonly seed?: number;
}

export interface WorldSpec {
  readonly operatorId?: string;
  readonly options?: WorldOptions;
  readonly sims?: readonly SimSpec[];
  readonly clients?: readonly ClientSpec[];
}

export interface ServiceRecord {
  port: number;
  protocol: string;
  state: ServiceBehaviour;
  description: string;
  banner?: string;
  httpStatus: number;
}

export interface DeviceState {
  description: string;
  services: ServiceRecord[];
  firewall: FirewallSpec | null;
  defaultRoute: NetworkInterface;
  routes: RouteSpec[];
  respondsToPing: boolean;
}

export interface SimState {
  simId: string;
  imsi: string;
  additionalImsis: string[];
  sessionImsi: string;
  iccid: string;
  msisdn: string;
  tags: Record<string, string>;
  status: string;
  groupId: string | null;
  subscription: string;
  speedClass: string;
  online: boolean;
  ueIpAddress: string;
  imei: string;
  sessionStartedAtMs: number;
  previousSession: PreviousSessionSpec | null;
  createdTime: number;
  lastModifiedTime: number;
  lastPortMappingCreatedTime: number | null;
  device: DeviceState;
  /** null: the world's option applies. */
  auditLogIngestDelayMs: number | null;
}

export interface ClientState {
  id: string;
  label: string;
  globalIp: string;
  network: { description: string; blocksNapter: boolean; allowedOutboundPorts: number[] | null };
}

export type DestinationStrategy = 'IMSI_PRIORITIZED' | 'AIR_PRIORITIZED' | 'ARC_PRIORITIZED' | 'DYNAMIC';

export interface MappingState {
  /** Also the connectionId of its CREATED / DELETED / EXPIRED events. */
  id: string;
  ipAddress: string;
  port: number;
  hostname: string;
  simId: string;
  /** The IMSI its events are logged under. */
  imsi: string;
  strategy: DestinationStrategy;
  devicePort: number;
  durationSec: number;
  tlsRequired: boolean;
  sourceIpRanges: string[];
  createdAtMs: number;
  expiresAtMs: number;
  end: 'active' | 'expired' | 'deleted';
  endedAtMs: number | null;
}

export const AUDIT_EVENT_TYPES = ['CREATED', 'DELETED', 'EXPIRED', 'ACCESS', 'CONNECTED', 'DENIED', 'REFUSED', 'CLOSED'] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditDirection {
  sourceIPAddress?: string;
  sourcePort?: number;
  destinationIPAddress?: string;
  destinationPort?: number;
}

export interface AuditEventState {
  /** Insertion order: ties on `createdAt` are broken by it. */
  seq: number;
  connectionId: string;
  createdAt: number;
  type: AuditEventType;
  imsi: string;
  tls: boolean;
  direction: AuditDirection;
}

export interface DenialState {
  ip: string;
  mappingId: string;
  atMs: number;
}

export interface BlockState {
  ip: string;
  mappingId: string;
  fromMs: number;
  untilMs: number;
}

export type TcpFlags = 'S' | 'SA' | 'A' | 'PA' | 'FA' | 'R' | 'RA';

/** A packet crossing the cellular side of the SORACOM platform: what Peek can capture. */
export interface TrafficRecord {
  atMs: number;
  simId: string;
  protocol: 'tcp' | 'icmp';
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  /** TCP flags, or for ICMP 'echo-request' / 'echo-reply'. */
  flags: TcpFlags | 'echo-request' | 'echo-reply';
}

export interface PeekState {
  sessionId: string;
  simId: string;
  durationSec: number;
  prefix: string;
  createdAtMs: number;
  stoppedAtMs: number | null;
  deleted: boolean;
}

export interface WorldState {
  operatorId: string;
  options: {
    auditLogRetentionOption: boolean;
    auditLogIngestDelayMs: number;
    peekTimeFormat: 'epoch-ms' | 'iso-8601';
    /** Absent in a state PUT by an older page: ASSUMPTIONS.napterDeviceConnectTimeoutMs applies. */
    napterConnectTimeoutMs?: number;
  };
  randomState: number;
  nextSeq: number;
  sims: SimState[];
  clients: ClientState[];
  mappings: MappingState[];
  events: AuditEventState[];
  denials: DenialState[];
  blocks: BlockState[];
  traffic: TrafficRecord[];
  peekSessions: PeekState[];
}

export const DEFAULT_OPERATOR_ID = 'OP0012345678';
export const DEFAULT_SEED = 20_250_905;

const DEFAULT_SERVICES: readonly ServiceSpec[] = [{ port: 22, protocol: 'ssh' }];

export function normaliseDevice(spec: DeviceSpec | undefined): DeviceState {
  return {
    description: spec?.description ?? 'Raspberry Pi 4 Model B (Raspberry Pi OS) with an LTE USB dongle',
    services: (spec?.services ?? DEFAULT_SERVICES).map((service) => ({
      port: service.port,
      protocol: service.protocol,
      state: service.state ?? 'serving',
      description: service.description ?? '',
      ...(service.banner === undefined ? {} : { banner: service.banner }),
      httpStatus: service.httpStatus ?? 200,
    })),
    firewall: spec?.firewall ? { policy: spec.firewall.policy, allow: spec.firewall.allow.map((rule) => ({ ...rule })) } : null,
    defaultRoute: spec?.defaultRoute ?? 'cellular',
    routes: (spec?.routes ?? []).map((route) => ({ ...route })),
    respondsToPing: spec?.respondsToPing ?? true,
  };
}

/** A deterministic private address for a SIM with none given, derived from its IMSI. */
function derivedUeIp(imsi: string): string {
  const digits = imsi.slice(-6).padStart(6, '0');
  const a = Number(digits.slice(0, 2)) % 250;
  const b = (Number(digits.slice(2)) % 253) + 1;
  return `10.${128 + (a % 100)}.${a}.${b}`;
}

export function normaliseSim(spec: SimSpec, nowMs: number): SimState {
  const tags: Record<string, string> = { ...(spec.tags ?? {}) };
  tags['name'] = spec.name ?? tags['name'] ?? '';
  const status = spec.status ?? 'active';
  const online = spec.online ?? (status === 'active' || status === 'ready');
  const createdTime = spec.createdTime ?? nowMs - 30 * 24 * 60 * 60 * 1000;
  return {
    simId: spec.simId,
    imsi: spec.imsi,
    additionalImsis: [...(spec.additionalImsis ?? [])],
    sessionImsi: spec.sessionImsi ?? spec.imsi,
    iccid: spec.iccid ?? `89${spec.simId.slice(2)}`,
    msisdn: spec.msisdn ?? `81${spec.imsi.slice(-9).padStart(9, '0')}`.slice(0, 12),
    tags,
    status,
    groupId: spec.groupId ?? null,
    subscription: spec.subscription ?? 'plan01s',
    speedClass: spec.speedClass ?? 's1.standard',
    online,
    ueIpAddress: spec.ueIpAddress ?? derivedUeIp(spec.imsi),
    imei: spec.imei ?? `35${spec.imsi.slice(-13).padStart(13, '0')}`,
    sessionStartedAtMs: spec.sessionStartedAtMs ?? nowMs - 6 * 60 * 60 * 1000,
    previousSession: spec.previousSession ? { ...spec.previousSession } : null,
    createdTime,
    lastModifiedTime: createdTime,
    lastPortMappingCreatedTime: null,
    device: normaliseDevice(spec.device),
    auditLogIngestDelayMs: spec.auditLogIngestDelayMs ?? null,
  };
}

export function normaliseClient(spec: ClientSpec): ClientState {
  return {
    id: spec.id,
    label: spec.label ?? spec.id,
    globalIp: spec.globalIp,
    network: {
      description: spec.network?.description ?? '',
      blocksNapter: spec.network?.blocksNapter ?? false,
      allowedOutboundPorts: spec.network?.allowedOutboundPorts ? [...spec.network.allowedOutboundPorts] : null,
    },
  };
}

export function emptyState(spec: WorldSpec | undefined, nowMs: number): WorldState {
  return {
    operatorId: spec?.operatorId ?? DEFAULT_OPERATOR_ID,
    options: {
      auditLogRetentionOption: spec?.options?.auditLogRetentionOption ?? false,
      auditLogIngestDelayMs: spec?.options?.auditLogIngestDelayMs ?? 0,
      peekTimeFormat: spec?.options?.peekTimeFormat ?? 'epoch-ms',
      ...(spec?.options?.napterConnectTimeoutMs === undefined ? {} : { napterConnectTimeoutMs: spec.options.napterConnectTimeoutMs }),
    },
    randomState: spec?.options?.seed ?? DEFAULT_SEED,
    nextSeq: 1,
    sims: (spec?.sims ?? []).map((sim) => normaliseSim(sim, nowMs)),
    clients: (spec?.clients ?? []).map(normaliseClient),
    mappings: [],
    events: [],
    denials: [],
    blocks: [],
    traffic: [],
    peekSessions: [],
  };
}
