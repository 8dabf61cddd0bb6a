import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ManualClock } from '../../src/common/clock';
import { createSoracomClient, type SoracomClient } from '../../src/soracom/client';

/**
 * SORACOM's JSON as SORACOM writes it, read by the real client over HTTP. The simulator shares the client's wire
 * types, so a field the client misreads the simulator would misread alike; these payloads come from outside that
 * loop. `*.spec-example.json` are the OpenAPI spec's own examples, verbatim (placeholders such as
 * `xxx.xxx.xxx.xxx` included); `*.schema-shaped.json` follow the spec's schema (field names, units, formats:
 * milliseconds for mappings and SIMs, ISO date-times for Peek) where the spec gives no example.
 */
const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

const SIM_ID = '8942310000000000001';
const NOW_MS = Date.UTC(2026, 0, 1, 0, 30);

let server: Server;
let client: SoracomClient;
const seen: string[] = [];

function answer(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://stub');
  seen.push(`${request.method} ${url.pathname}`);
  const routes: Record<string, string> = {
    'POST /v1/auth': fixture('auth.spec-example.json'),
    'GET /v1/audit_logs/napter': fixture('audit-logs-napter.spec-example.json'),
    [`GET /v1/port_mappings/sims/${SIM_ID}`]: `[${fixture('port-mapping.schema-shaped.json')}]`,
    'GET /v1/port_mappings': `[${fixture('port-mapping.schema-shaped.json')}]`,
    [`GET /v1/sims/${SIM_ID}`]: fixture('sim.schema-shaped.json'),
    [`GET /v1/sims/${SIM_ID}/packet_capture_sessions`]: `[${fixture('packet-capture-session.schema-shaped.json')}]`,
  };
  const body = routes[`${request.method} ${url.pathname}`];
  response.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
  response.end(body ?? '{"code":"NOT_FOUND","message":"stub"}');
}

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const clock = new ManualClock(NOW_MS);
  client = createSoracomClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    authKeyId: 'keyId-test',
    authKey: 'secret-test',
    clock,
    timeoutMs: 2_000,
    sleep: async (ms) => clock.advance(ms),
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRateLimitWaitMs: 1 },
  });
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test('signs in with the spec’s AuthResponse example', async () => {
  await client.signIn();
  expect(seen).toContain('POST /v1/auth');
});

test('reads the spec’s Napter audit log example: every entry kept, addresses as SORACOM wrote them, none dropped', async () => {
  const read = await client.getNapterAuditLogs({ imsi: '123456789012345', fromMs: 1234567890000, toMs: 1234567899999 });
  expect(read.malformed).toBe(0);
  expect(read.events).toEqual([
    expect.objectContaining({ connectionId: '12345678-abcd-1234-abcd-123456789010', atMs: 1234567890123, type: 'CLOSED', imsi: '123456789012345', tls: false }),
    expect.objectContaining({ connectionId: '12345678-abcd-1234-abcd-123456789011', type: 'EXPIRED', imsi: '234567890123456' }),
  ]);
  expect(read.events[0]).toMatchObject({ sourceIp: 'xxx.xxx.xxx.xxx', sourcePort: 51720, destinationPort: 22 });
});

test('reads a port mapping: duration in seconds, times in milliseconds, the SIM from its destination', async () => {
  const [mapping] = await client.listPortMappingsForSim(SIM_ID);
  expect(mapping).toEqual({
    ipAddress: '203.0.113.10',
    port: 40123,
    endpoint: '203.0.113.10:40123',
    hostname: 'abcd1234.napter.soracom.io',
    destination: { imsi: undefined, simId: SIM_ID, port: 22, strategy: 'AIR_PRIORITIZED' },
    sourceIpRanges: ['198.51.100.7/32'],
    durationSec: 3600,
    tlsRequired: false,
    createdAtMs: Date.UTC(2026, 0, 1),
    expiresAtMs: Date.UTC(2026, 0, 1, 1),
    expired: false,
    placement: 'default',
  });
});

test('reads a SIM: its IMSI from the active profile, its name from the tags, its session and the one before', async () => {
  expect(await client.getSim(SIM_ID)).toEqual({
    simId: SIM_ID,
    imsi: '295050000000001',
    imsis: ['295050000000001'],
    name: 'gw-tokyo-01',
    tags: { name: 'gw-tokyo-01' },
    status: 'active',
    groupId: 'a1b2c3d4-0000-0000-0000-000000000001',
    online: true,
    ueIpAddress: '10.200.1.2',
    sessionUpdatedAtMs: 1767139260000,
    previousSessionEndedAtMs: 1767139200000,
    lastPortMappingCreatedAtMs: 1767225600000,
  });
});

test('reads a packet capture whose times are ISO date-times, as the spec has them', async () => {
  const [session] = await client.listPeekSessions(SIM_ID);
  expect(session).toEqual({
    sessionId: 'b4a7c2e0-0000-0000-0000-000000000001',
    simId: SIM_ID,
    status: 'DONE',
    durationSec: 120,
    prefix: 'napter-bot',
    createdAtMs: Date.UTC(2026, 0, 1),
    startedAtMs: Date.UTC(2026, 0, 1, 0, 0, 5),
    endedAtMs: Date.UTC(2026, 0, 1, 0, 2),
    failedReason: undefined,
    url: 'https://soracom-peek.s3.amazonaws.com/example/capture.pcap',
  });
});
