import { ManualClock } from '../../src/common/clock';
import { World, type DownlinkTcpMode } from '../../src/simulator';
import { ASSUMPTIONS } from '../../src/simulator/assumptions';
import type { DeviceSpec, ServiceSpec } from '../../src/simulator/world-spec';
import { T0 } from './helpers';

/**
 * SORACOM's downlink APIs as the simulator answers them, for every connection mode × service × device
 * state. Two tables, each row with its source:
 * - DEVICE: what a device does with a connection and its client's first bytes (the protocols' own specs);
 * - SPEC: what each `sendDownlinkTcp` mode answers for that behaviour, quoting the SORACOM API reference
 *   (SimDownlinkTcpConnection…Options), and what `sendDownlinkHttp` answers (its 200 and 422 descriptions).
 * The test walks the whole product and checks the world against the two tables.
 */

const SIM_ID = '8942310088000000001';
const TIMEOUT_MS = 5_000;
const IDLE_MS = 1_000;
const RTT = ASSUMPTIONS.deviceRoundTripMs;

const SERVICES = {
  ssh: { port: 22, protocol: 'ssh' },
  http: { port: 80, protocol: 'http' },
  https: { port: 443, protocol: 'https' },
  rdp: { port: 3389, protocol: 'rdp' },
  modbus: { port: 502, protocol: 'modbus' },
} as const satisfies Record<string, ServiceSpec>;
type ServiceName = keyof typeof SERVICES;

const FIRST_BYTES = {
  nothing: Buffer.alloc(0),
  'http-request': Buffer.from('HEAD / HTTP/1.1\r\nHost: device\r\n\r\n', 'latin1'),
  'tls-client-hello': Buffer.from('16030100c8010000c40303', 'hex'),
  'x224-connection-request': Buffer.from('030000130ee000000000000100080003000000', 'hex'),
} as const;
type FirstBytes = keyof typeof FIRST_BYTES;

const STATES = ['serving', 'stopped', 'firewall-rejects', 'firewall-drops', 'replies-via-wifi', 'accepts-then-closes', 'rejects-clients', 'offline'] as const;
type DeviceState = (typeof STATES)[number];

/** What the device does, as the client sees it on the wire. */
type Behaviour =
  | 'greets' // sends its line at once and keeps the connection open
  | 'answers' // answers the first bytes and keeps the connection open
  | 'answers-then-closes' // complains about the first bytes, then hangs up
  | 'silent' // waits for more
  | 'closes' // hangs up without a word
  | 'resets' // RST to the SYN
  | 'unreachable' // the SYN is never answered on the cellular side
  | 'offline'; // no session to reach

interface DeviceRow {
  readonly behaviour: Behaviour;
  /** For the answering behaviours: a text line (ends in a newline) or a binary record. */
  readonly answer?: 'line' | 'binary';
  readonly source: string;
}

/** A serving service and the first bytes its client sends. */
const SERVING: Record<ServiceName, Record<FirstBytes, DeviceRow>> = {
  ssh: Object.fromEntries(
    (Object.keys(FIRST_BYTES) as FirstBytes[]).map((bytes) => [
      bytes,
      { behaviour: 'greets', answer: 'line', source: 'RFC 4253 §4.2: "When the connection has been established, both sides MUST send an identification string" — sshd sends it unasked' },
    ]),
  ) as Record<FirstBytes, DeviceRow>,
  http: {
    nothing: { behaviour: 'silent', source: 'RFC 9112 §2.1: the client sends a request, the server responds — a server says nothing first' },
    'http-request': { behaviour: 'answers', answer: 'line', source: 'RFC 9112 §2.1: the server answers a request with a status line (keep-alive)' },
    'tls-client-hello': { behaviour: 'answers-then-closes', answer: 'line', source: 'nginx/Apache answer bytes that are not a request line with "400 Bad Request" and close' },
    'x224-connection-request': { behaviour: 'answers-then-closes', answer: 'line', source: 'nginx/Apache answer bytes that are not a request line with "400 Bad Request" and close' },
  },
  https: {
    nothing: { behaviour: 'silent', source: 'RFC 8446 §2: the client begins the handshake with ClientHello' },
    'tls-client-hello': { behaviour: 'answers', answer: 'binary', source: 'RFC 8446 §2: the server responds to ClientHello with ServerHello' },
    'http-request': { behaviour: 'answers-then-closes', answer: 'line', source: 'nginx: "400 The plain HTTP request was sent to HTTPS port", then close' },
    'x224-connection-request': { behaviour: 'answers-then-closes', answer: 'binary', source: 'RFC 8446 §6: a record that is not a handshake gets a fatal alert, then close' },
  },
  rdp: {
    nothing: { behaviour: 'silent', source: '[MS-RDPBCGR] 1.3.1.1: the client initiates the connection with an X.224 Connection Request' },
    'x224-connection-request': { behaviour: 'answers', answer: 'binary', source: '[MS-RDPBCGR] 2.2.1.2: the server answers with an X.224 Connection Confirm' },
    'http-request': { behaviour: 'closes', source: 'Windows drops a TPKT it cannot parse without a word' },
    'tls-client-hello': { behaviour: 'closes', source: 'Windows drops a TPKT it cannot parse without a word' },
  },
  modbus: Object.fromEntries(
    (Object.keys(FIRST_BYTES) as FirstBytes[]).map((bytes) => [
      bytes,
      { behaviour: 'silent', source: 'Modbus/TCP: the server only answers a well-formed MBAP request and waits for one' },
    ]),
  ) as Record<FirstBytes, DeviceRow>,
};

const NOT_SERVING: Record<Exclude<DeviceState, 'serving'>, DeviceRow> = {
  stopped: { behaviour: 'resets', source: 'RFC 9293 §3.10.7.1: a SYN to a port nobody listens on gets a RST' },
  'firewall-rejects': { behaviour: 'resets', source: 'iptables REJECT --reject-with tcp-reset' },
  'firewall-drops': { behaviour: 'unreachable', source: 'iptables DROP / Windows Firewall block: the SYN is never answered' },
  'replies-via-wifi': { behaviour: 'unreachable', source: 'the SYN-ACK leaves by the default route (Wi-Fi), never reaching SORACOM' },
  'accepts-then-closes': { behaviour: 'closes', source: 'docker-proxy of a stopped container: accepts, then closes' },
  'rejects-clients': { behaviour: 'closes', source: 'sshd with tcp-wrappers (hosts.deny): closes before its identification string' },
  offline: { behaviour: 'offline', source: 'the SIM has no online session' },
};

type Expected = { readonly ok: true; readonly data: 'none' | 'received'; readonly elapsedMs: number } | { readonly ok: false; readonly elapsedMs: number };

interface SpecRow {
  readonly expected: Expected;
  readonly spec: string;
}

const FAILS_FAST: Expected = { ok: false, elapsedMs: 2 * RTT };
const FAILS_AFTER_TIMEOUT: Expected = { ok: false, elapsedMs: TIMEOUT_MS };
const DEVICE_HANGS_UP = 'wait modes: "In the following cases, an API response indicating an error is returned: … If the device disconnects the TCP connection before sending any data."';
const NO_DATA = '"If no data is received from the device. After the time specified by `timeout` elapses, the TCP connection is terminated and an error is returned."';
const NOT_COMPLETED = 'sendDownlinkTcp: "If sending and receiving data is not completed within the time specified by `timeout`, an error will occur."';

function specRow(mode: DownlinkTcpMode, device: DeviceRow): SpecRow {
  const behaviour = device.behaviour;
  if (mode === 'fire_and_forget') {
    return {
      expected: { ok: true, data: 'none', elapsedMs: RTT },
      spec: 'fire_and_forget: "Does not wait for data reception from the device. Even if the device cannot be reached over the network …, this API will still return a successful response."',
    };
  }
  switch (behaviour) {
    case 'offline':
      return { expected: { ok: false, elapsedMs: RTT }, spec: `${NOT_COMPLETED} (no session to connect to)` };
    case 'resets':
      return { expected: { ok: false, elapsedMs: RTT }, spec: `${NOT_COMPLETED} (the connection is refused at once)` };
    case 'unreachable':
      return { expected: FAILS_AFTER_TIMEOUT, spec: NOT_COMPLETED };
    case 'closes':
      return { expected: FAILS_FAST, spec: DEVICE_HANGS_UP };
    case 'silent':
      return { expected: FAILS_AFTER_TIMEOUT, spec: `${mode}: ${NO_DATA}` };
    default:
      break;
  }
  const keepsOpen = behaviour !== 'answers-then-closes';
  switch (mode) {
    case 'wait_first':
      return {
        expected: { ok: true, data: 'none', elapsedMs: 2 * RTT },
        spec: 'wait_first: "as soon as the first data from the device is received, the TCP connection is terminated and the API response is returned. Data received from the device is not included in the API response."',
      };
    case 'wait_all':
      return {
        expected: { ok: true, data: 'received', elapsedMs: keepsOpen ? TIMEOUT_MS : 2 * RTT },
        spec: 'wait_all: "returns the data received during the time specified by `timeout` or until the device disconnects the TCP connection"',
      };
    case 'wait_for_pattern':
      // The pattern is a newline: SSH identification and HTTP status lines end with one; TLS and X.224 records need not.
      if (device.answer === 'line') {
        return {
          expected: { ok: true, data: 'received', elapsedMs: 2 * RTT },
          spec: 'wait_for_pattern: "returns the data received until the byte pattern specified by `terminationPattern` is received"',
        };
      }
      return {
        expected: { ok: false, elapsedMs: keepsOpen ? TIMEOUT_MS : 2 * RTT },
        spec: 'wait_for_pattern: "If data matching the pattern is not received within the time specified by `timeout`" → error',
      };
    case 'idle_timeout':
      return {
        expected: { ok: true, data: 'received', elapsedMs: keepsOpen ? 2 * RTT + IDLE_MS : 2 * RTT },
        spec: 'idle_timeout: "After data reception begins, if no data is received for the time specified by `idleTimeout`, returns the data received up to that point"',
      };
  }
}

function deviceFor(state: DeviceState): DeviceSpec {
  const services: ServiceSpec[] = Object.values(SERVICES).map((service) => ({
    ...service,
    ...(state === 'stopped' ? { state: 'stopped' as const } : {}),
    ...(state === 'accepts-then-closes' ? { state: 'accepts-then-closes' as const } : {}),
    ...(state === 'rejects-clients' ? { state: 'rejects-clients' as const } : {}),
  }));
  return {
    services,
    firewall: state === 'firewall-rejects' ? { policy: 'reject', allow: [] } : state === 'firewall-drops' ? { policy: 'drop', allow: [] } : null,
    defaultRoute: state === 'replies-via-wifi' ? 'wifi' : 'cellular',
    routes: [],
  };
}

function worldIn(state: DeviceState): World {
  return new World(new ManualClock(T0), { sims: [{ simId: SIM_ID, imsi: '295050880000001', online: state !== 'offline', device: deviceFor(state) }] });
}

const MODES: readonly DownlinkTcpMode[] = ['fire_and_forget', 'wait_first', 'wait_all', 'wait_for_pattern', 'idle_timeout'];

interface Row {
  readonly mode: DownlinkTcpMode;
  readonly service: ServiceName;
  readonly state: DeviceState;
  readonly firstBytes: FirstBytes;
  readonly device: DeviceRow;
  readonly spec: SpecRow;
}

const ROWS: Row[] = MODES.flatMap((mode) =>
  (Object.keys(SERVICES) as ServiceName[]).flatMap((service) =>
    STATES.flatMap((state) => {
      const payloads: FirstBytes[] = state === 'serving' ? (Object.keys(FIRST_BYTES) as FirstBytes[]) : ['nothing'];
      return payloads.map((firstBytes): Row => {
        const device = state === 'serving' ? SERVING[service][firstBytes] : NOT_SERVING[state];
        return { mode, service, state, firstBytes, device, spec: specRow(mode, device) };
      });
    }),
  ),
);

describe('sendDownlinkTcp: every mode × service × device state', () => {
  test('the table covers the product', () => {
    expect(ROWS).toHaveLength(MODES.length * Object.keys(SERVICES).length * (Object.keys(FIRST_BYTES).length + STATES.length - 1));
  });

  test.each(ROWS.map((row) => [`${row.mode} · ${row.service} · ${row.state} · sends ${row.firstBytes} → ${row.device.behaviour}`, row] as const))(
    '%s',
    (_name, row) => {
      const outcome = worldIn(row.state).downlinkTcp(SIM_ID, {
        port: SERVICES[row.service].port,
        payload: FIRST_BYTES[row.firstBytes],
        mode: row.mode,
        timeoutMs: TIMEOUT_MS,
        terminationPattern: Buffer.from('\n'),
        idleTimeoutMs: IDLE_MS,
      });
      const expected = row.spec.expected;
      // Each row: the device's behaviour (row.device.source) read through the spec (row.spec.spec).
      expect({ ok: outcome.ok, elapsedMs: outcome.elapsedMs, why: row.spec.spec }).toEqual({ ok: expected.ok, elapsedMs: expected.elapsedMs, why: row.spec.spec });
      if (expected.ok && outcome.ok) expect(outcome.value.length > 0).toBe(expected.data === 'received');
    },
  );
});

interface HttpRow {
  readonly ssl: boolean;
  readonly service: ServiceName;
  readonly state: DeviceState;
  readonly expected: { readonly statusCode: number } | { readonly failure: 'fast' | 'after-10s' };
  readonly spec: string;
}

const HTTP_OK = 'sendDownlinkHttp 200: "The HTTP status code, headers, and body returned by the device can be checked in the response body."';
const HTTP_FAILED = 'sendDownlinkHttp 422: "The HTTP request to the device failed" (no connection, a refusal, or no HTTP answer on it)';
const HTTP_SILENT = 'sendDownlinkHttp 422: "The device did not return a response within 10 seconds."';

function httpRow(ssl: boolean, service: ServiceName, state: DeviceState): HttpRow {
  const row = (expected: HttpRow['expected'], spec: string): HttpRow => ({ ssl, service, state, expected, spec });
  if (state === 'offline' || state === 'stopped' || state === 'firewall-rejects') return row({ failure: 'fast' }, HTTP_FAILED);
  if (state === 'firewall-drops' || state === 'replies-via-wifi') return row({ failure: 'after-10s' }, 'sendDownlinkHttp 422: "Could not establish a network connection with the device." (after its 10 s)');
  if (state !== 'serving') return row({ failure: 'fast' }, HTTP_FAILED);
  if (service === 'modbus') return row({ failure: 'after-10s' }, HTTP_SILENT);
  if (!ssl && service === 'http') return row({ statusCode: 200 }, HTTP_OK);
  if (ssl && service === 'https') return row({ statusCode: 200 }, HTTP_OK);
  // Plain HTTP to an HTTPS port: the device's own "400 … plain HTTP request was sent to HTTPS port" is an HTTP answer.
  if (!ssl && service === 'https') return row({ statusCode: 400 }, HTTP_OK);
  return row({ failure: 'fast' }, HTTP_FAILED);
}

const HTTP_ROWS: HttpRow[] = [false, true].flatMap((ssl) => (Object.keys(SERVICES) as ServiceName[]).flatMap((service) => STATES.map((state) => httpRow(ssl, service, state))));

describe('sendDownlinkHttp: HTTP and HTTPS × service × device state', () => {
  test.each(HTTP_ROWS.map((row) => [`ssl ${row.ssl} · ${row.service} · ${row.state}`, row] as const))('%s', (_name, row) => {
    const outcome = worldIn(row.state).downlinkHttp(SIM_ID, { port: SERVICES[row.service].port, method: 'HEAD', path: '/', ssl: row.ssl, skipVerify: true });
    if ('statusCode' in row.expected) {
      expect({ outcome: outcome.ok ? outcome.value.statusCode : outcome.message, why: row.spec }).toEqual({ outcome: row.expected.statusCode, why: row.spec });
    } else {
      expect({ ok: outcome.ok, slow: outcome.elapsedMs >= ASSUMPTIONS.httpDownlinkResponseTimeoutMs, why: row.spec }).toEqual({
        ok: false,
        slow: row.expected.failure === 'after-10s',
        why: row.spec,
      });
    }
  });

  test('skipVerify false fails on a device’s self-signed certificate (an assumption, see ASSUMPTIONS.deviceCertificatesSelfSigned)', () => {
    const outcome = worldIn('serving').downlinkHttp(SIM_ID, { port: 443, method: 'HEAD', path: '/', ssl: true, skipVerify: false });
    expect(outcome).toMatchObject({ ok: false, message: ASSUMPTIONS.downlinkMessages.httpCertificate });
  });
});
