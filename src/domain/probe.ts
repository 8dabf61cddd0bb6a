import { PROTOCOL_PRESET_PORTS, type Protocol } from './command/types';
import type { ProbeMethod, ProbeResult } from './soracom';

/**
 * Speaking the device's protocol to its port, and reading SORACOM's answer. Pure: the SORACOM client
 * builds its request from `probePlanFor` and hands the outcome to `classifyDownlinkFailure`, so how a 422
 * is read is decided here, once.
 *
 * Why not one probe for every port: SORACOM's `wait_first` mode "returns an error if no data is received
 * from the device" (spec, SimDownlinkTcpConnectionWaitFirstOptions), and HTTP, HTTPS and RDP servers never
 * speak before their client does. `fire_and_forget` is no way out: "Even if the device cannot be reached
 * over the network … this API will still return a successful response" (same spec, FireAndForgetOptions).
 */

/** What a device port speaks, when the bot knows it. `tcp` is "something else". */
export type DeviceProtocol = Protocol;

/** The guide's default ports, read backwards. */
const PROTOCOL_BY_DEFAULT_PORT: ReadonlyMap<number, DeviceProtocol> = new Map(
  Object.entries(PROTOCOL_PRESET_PORTS).map(([protocol, port]) => [port, protocol as DeviceProtocol]),
);

/** Servers that greet first: an empty `wait_first` gets their banner (SSH's `SSH-2.0-…`, VNC's `RFB 003.008`). */
export const SPEAKS_FIRST: ReadonlySet<DeviceProtocol> = new Set<DeviceProtocol>(['ssh', 'vnc']);

/**
 * Protocols that break behind Napter's TLS termination. The spec on `tlsRequired`: "true: Specify this if
 * the device is listening on HTTP. false: … when connecting to the device via SSH or if the device is
 * listening on HTTPS". RDP and VNC clients do not speak TLS to a terminator either.
 */
export const NOT_FOR_TLS_TERMINATION: ReadonlySet<DeviceProtocol> = new Set<DeviceProtocol>(['ssh', 'rdp', 'vnc', 'https']);

export interface ProtocolSources {
  /** The port and protocol the user named (the open command, the bot's ledger). */
  readonly intent?: { readonly devicePort?: number | undefined; readonly protocol?: string | undefined } | undefined;
  /** Ports whose protocol the team's configuration or the ledger names. */
  readonly protocolsByPort?: Readonly<Record<number, string>> | undefined;
}

function asProtocol(text: string | undefined): DeviceProtocol | undefined {
  const lower = text?.toLowerCase();
  return lower === 'ssh' || lower === 'http' || lower === 'https' || lower === 'rdp' || lower === 'vnc' || lower === 'tcp' ? lower : undefined;
}

/**
 * The protocol a device port speaks: the user's own word first, then the configured table, then the
 * guide's default ports (22 SSH, 80 HTTP, 443 HTTPS, 3389 RDP, 5900 VNC); undefined when nothing says.
 */
export function protocolForPort(port: number | undefined, sources: ProtocolSources = {}): DeviceProtocol | undefined {
  if (port === undefined) return undefined;
  const intent = sources.intent;
  const fromIntent = intent?.devicePort === port ? asProtocol(intent.protocol) : undefined;
  const named = fromIntent ?? asProtocol(sources.protocolsByPort?.[port]);
  if (named !== undefined && named !== 'tcp') return named;
  return PROTOCOL_BY_DEFAULT_PORT.get(port) ?? named;
}

/** An X.224 Connection Request with an RDP negotiation request (TLS | CredSSP), as mstsc sends first ([MS-RDPBCGR] 2.2.1.1). */
export const RDP_X224_CONNECTION_REQUEST_HEX = '030000130ee000000000000100080003000000';

export type ProbePlan =
  | {
      readonly method: 'tcp-wait-first' | 'tcp-rdp-x224';
      readonly api: 'tcp';
      readonly payload: string;
      readonly payloadEncoding: 'string' | 'hex';
      /** Whether silence means "no answer" rather than "a service that waits for its client". */
      readonly expectsAnswer: boolean;
    }
  | { readonly method: 'http' | 'https'; readonly api: 'http'; readonly ssl: boolean; readonly httpMethod: 'HEAD'; readonly path: '/' };

/** How to ask the port something its service answers. */
export function probePlanFor(protocol: DeviceProtocol | undefined): ProbePlan {
  switch (protocol) {
    case 'http':
    case 'https':
      return { method: protocol, api: 'http', ssl: protocol === 'https', httpMethod: 'HEAD', path: '/' };
    case 'rdp':
      return { method: 'tcp-rdp-x224', api: 'tcp', payload: RDP_X224_CONNECTION_REQUEST_HEX, payloadEncoding: 'hex', expectsAnswer: true };
    default:
      return {
        method: 'tcp-wait-first',
        api: 'tcp',
        payload: '',
        payloadEncoding: 'string',
        expectsAnswer: protocol !== undefined && SPEAKS_FIRST.has(protocol),
      };
  }
}

/** `sendDownlinkHttp` answers 422 when "the device did not return a response within 10 seconds" (spec). */
export const HTTP_DOWNLINK_RESPONSE_TIMEOUT_MS = 10_000;

/**
 * A 422 that arrives this close to the end of the wait is a timeout: the request and its answer travel
 * over the internet, so the elapsed time measured here is a little longer or shorter than SORACOM's own.
 * At most a quarter of a short wait, so a slow refusal (LTE-M) is not taken for a silence.
 */
const TIMEOUT_TOLERANCE_MS = 750;
const SAYS_TIMEOUT = /time[d\s-]*out|within \d+ ?s|no (response|data)|did not (return|respond|receive)|deadline/i;
const SAYS_REFUSED = /refus|reset|closed|disconnect|eof|unreachable|no route|handshake/i;

/**
 * How a 422 from `sendDownlinkTcp` (wait modes) or `sendDownlinkHttp` reads: "no-answer" when it came after
 * the whole wait (or SORACOM's message says it timed out), "refused" when it came back early (the device
 * reset the connection or hung up before answering). SORACOM's message wording is not documented, so
 * the elapsed time decides first and the message only breaks the tie when the time cannot (a fast clock).
 */
export function classifyDownlinkFailure(input: { readonly elapsedMs: number; readonly waitMs: number; readonly message: string }): 'refused' | 'no-answer' {
  if (input.elapsedMs >= input.waitMs - Math.min(TIMEOUT_TOLERANCE_MS, input.waitMs / 4)) return 'no-answer';
  if (SAYS_TIMEOUT.test(input.message) && !SAYS_REFUSED.test(input.message)) return 'no-answer';
  return 'refused';
}

/** A probe outcome that says something against the device: refused, or silent where an answer was due. */
export function probeFoundTrouble(probe: ProbeResult | undefined): probe is Extract<ProbeResult, { kind: 'refused' | 'no-answer' }> {
  return probe?.kind === 'refused' || (probe?.kind === 'no-answer' && probe.conclusive);
}

export const probeMethodLabel: Readonly<Record<ProbeMethod, string>> = {
  'tcp-wait-first': 'sendDownlinkTcp wait_first',
  'tcp-rdp-x224': 'sendDownlinkTcp wait_first + X.224',
  http: 'sendDownlinkHttp HEAD / (HTTP)',
  https: 'sendDownlinkHttp HEAD / (HTTPS)',
};
