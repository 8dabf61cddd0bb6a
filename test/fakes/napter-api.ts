import type {
  AuditLogQuery,
  CreatePortMappingRequest,
  NapterApi,
  OperatorAuditLogQuery,
  OperatorAuditLogRead,
  OperatorAuditLogReader,
  ProbeRequest,
} from '../../src/domain/napter-api';
import type { AuditEvent, PeekSession, PortMapping, ProbeResult, SimSnapshot } from '../../src/domain/soracom';
import type { ManualClock } from '../../src/common/clock';

/**
 * SORACOM as the use-cases see it, in memory: SIMs, port mappings, audit events and packet captures the test
 * puts there, every call recorded. What a call should do instead (fail, lose its answer) is set per method.
 * It is not the simulator (which speaks SORACOM's wire format to the real client): it stands for the port.
 */
export class FakeNapterApi implements NapterApi, OperatorAuditLogReader {
  readonly calls: string[] = [];
  readonly sims: SimSnapshot[] = [];
  readonly mappings: PortMapping[] = [];
  readonly events: AuditEvent[] = [];
  readonly sessions: PeekSession[] = [];
  /** Every audit-log read, as asked (IMSI and window). */
  readonly auditQueries: AuditLogQuery[] = [];
  /** Every operator-wide read (the watches' shared poll), as asked. */
  readonly operatorReads: OperatorAuditLogQuery[] = [];
  /** What the next operator-wide reads answer instead (a 429, an error to throw), in order. */
  readonly nextOperatorReads: (OperatorAuditLogRead | Error)[] = [];
  /** A method's next call throws this instead of answering. */
  readonly failNext = new Map<keyof NapterApi, unknown>();
  /** What the device port answers SORACOM's probe; skipped unless a test says otherwise. */
  probeAnswer: (simId: string, request: ProbeRequest) => ProbeResult = () => ({ kind: 'skipped', reason: 'error' });
  private nextPort = 40_000;

  constructor(private readonly clock: ManualClock) {}

  addSim(overrides: Partial<SimSnapshot> & { readonly name: string }): SimSnapshot {
    const index = this.sims.length + 1;
    const imsi = overrides.imsi ?? `29505000000000${index}`.slice(-15);
    const sim: SimSnapshot = {
      simId: `89423100000000000${index}`.slice(-19),
      imsi,
      imsis: [imsi],
      tags: { name: overrides.name },
      status: 'active',
      groupId: undefined,
      online: true,
      ueIpAddress: '10.0.0.1',
      sessionUpdatedAtMs: undefined,
      previousSessionEndedAtMs: undefined,
      lastPortMappingCreatedAtMs: undefined,
      ...overrides,
    };
    this.sims.push(sim);
    return sim;
  }

  private record(method: keyof NapterApi, detail = ''): void {
    this.calls.push(detail === '' ? method : `${method} ${detail}`);
    const failure = this.failNext.get(method);
    if (failure !== undefined) {
      this.failNext.delete(method);
      throw failure;
    }
  }

  async createPortMapping(request: CreatePortMappingRequest): Promise<PortMapping> {
    this.record('createPortMapping', request.sourceIpRanges.join(','));
    const sim = request.target.kind === 'sim' ? this.sims.find((candidate) => candidate.simId === (request.target as { simId: string }).simId) : undefined;
    const nowMs = this.clock.nowMs();
    this.nextPort += 1;
    const mapping: PortMapping = {
      ipAddress: '198.51.100.200',
      port: this.nextPort,
      endpoint: `198.51.100.200:${this.nextPort}`,
      hostname: `p-${this.nextPort}.napter.soracom.io`,
      destination: { imsi: sim?.imsi, simId: sim?.simId, port: request.devicePort, strategy: undefined },
      sourceIpRanges: [...request.sourceIpRanges],
      durationSec: request.durationSec,
      tlsRequired: request.tlsRequired,
      createdAtMs: nowMs,
      expiresAtMs: nowMs + request.durationSec * 1000,
      expired: false,
      placement: undefined,
    };
    this.mappings.push(mapping);
    return mapping;
  }

  async listPortMappingsForSim(simId: string): Promise<PortMapping[]> {
    this.record('listPortMappingsForSim', simId);
    return this.mappings.filter((mapping) => mapping.destination.simId === simId);
  }

  async listPortMappingsForSubscriber(imsi: string): Promise<PortMapping[]> {
    this.record('listPortMappingsForSubscriber', imsi);
    return this.mappings.filter((mapping) => mapping.destination.imsi === imsi);
  }

  async listPortMappings(): Promise<PortMapping[]> {
    this.record('listPortMappings');
    return [...this.mappings];
  }

  async deletePortMapping(ipAddress: string, port: number): Promise<boolean> {
    this.record('deletePortMapping', `${ipAddress}:${port}`);
    const index = this.mappings.findIndex((mapping) => mapping.ipAddress === ipAddress && mapping.port === port);
    if (index < 0) return false;
    this.mappings.splice(index, 1);
    return true;
  }

  async getNapterAuditLogs(query: AuditLogQuery) {
    this.record('getNapterAuditLogs', query.imsi);
    this.auditQueries.push(query);
    return { events: this.events.filter((event) => event.imsi === query.imsi && event.atMs >= query.fromMs && event.atMs <= query.toMs), malformed: 0 };
  }

  async readOperatorAuditLog(query: OperatorAuditLogQuery): Promise<OperatorAuditLogRead> {
    this.operatorReads.push(query);
    const next = this.nextOperatorReads.shift();
    if (next instanceof Error) throw next;
    if (next !== undefined) return next;
    const events = this.events.filter((event) => event.atMs >= query.fromMs && event.atMs <= query.toMs).sort((a, b) => b.atMs - a.atMs);
    return { kind: 'read', events, malformed: 0, pages: 1, rateLimit: { limit: 100, remaining: 90, secondsBeforeRefresh: 30 } };
  }

  async getSim(simId: string): Promise<SimSnapshot | undefined> {
    this.record('getSim', simId);
    return this.sims.find((sim) => sim.simId === simId);
  }

  async getSubscriber(imsi: string): Promise<SimSnapshot | undefined> {
    this.record('getSubscriber', imsi);
    return this.sims.find((sim) => sim.imsis.includes(imsi));
  }

  async searchSimsByName(name: string | readonly string[]): Promise<SimSnapshot[]> {
    const names = (typeof name === 'string' ? [name] : name).map((part) => part.toLowerCase());
    this.record('searchSimsByName', names.join('|'));
    return this.sims.filter((sim) => names.some((part) => sim.name.toLowerCase().includes(part)));
  }

  async probeDevice(simId: string, request: ProbeRequest): Promise<ProbeResult> {
    this.record('probeDevice', `${simId}:${request.port}`);
    return this.probeAnswer(simId, request);
  }

  async pingDevice(simId: string) {
    this.record('pingDevice', simId);
    return { success: true, rttMs: 50 };
  }

  async createPeekSession(simId: string, durationSec: number): Promise<PeekSession> {
    this.record('createPeekSession', simId);
    const session: PeekSession = {
      sessionId: `peek-${this.sessions.length + 1}`,
      simId,
      status: 'REQUESTED',
      durationSec,
      prefix: undefined,
      createdAtMs: this.clock.nowMs(),
      startedAtMs: undefined,
      endedAtMs: undefined,
      failedReason: undefined,
      url: undefined,
    };
    this.sessions.push(session);
    return session;
  }

  async getPeekSession(simId: string, sessionId: string): Promise<PeekSession | undefined> {
    this.record('getPeekSession', sessionId);
    return this.sessions.find((session) => session.simId === simId && session.sessionId === sessionId);
  }

  /** SORACOM moves a capture along (the test plays the platform). */
  setSession(sessionId: string, change: Partial<PeekSession>): void {
    const index = this.sessions.findIndex((session) => session.sessionId === sessionId);
    const current = this.sessions[index];
    if (current !== undefined) this.sessions[index] = { ...current, ...change };
  }

  async listPeekSessions(simId: string): Promise<PeekSession[]> {
    this.record('listPeekSessions', simId);
    return this.sessions.filter((session) => session.simId === simId);
  }

  async stopPeekSession(simId: string, sessionId: string): Promise<PeekSession> {
    this.record('stopPeekSession', sessionId);
    const session = await this.getPeekSession(simId, sessionId);
    if (session === undefined) throw new Error(`no session ${sessionId}`);
    return session;
  }
}
