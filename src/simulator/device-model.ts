import { cidrContains, cidrPrefix, isIpv4 } from './net';
import type { DeviceState, NetworkInterface, ServiceRecord } from './world-spec';

/**
 * What a device does with a TCP connection arriving on its cellular interface, and with the first bytes a
 * client sends on it. Napter and SORACOM's downlink APIs both come in that way; they differ only in the
 * source address (the client's for Napter, a platform address for the downlink APIs), which is what
 * firewalls and routes look at, and in what they send first. The services behave as the real servers do;
 * nothing here knows what the bot's diagnosis reads.
 */

export type DeviceRefusal =
  /** Nothing listens: the device answers RST. */
  | 'port-closed'
  /** A firewall rule rejects (RST / ICMP unreachable). */
  | 'firewall-reject'
  /** A firewall drops silently: the SYN is never answered. */
  | 'firewall-drop'
  /** The SYN-ACK leaves by another interface, so the handshake never completes on the cellular side. */
  | 'reply-via-other-interface';

export type TcpConnectResult =
  | { readonly kind: 'accepted'; readonly service: ServiceRecord }
  | { readonly kind: 'refused'; readonly reason: DeviceRefusal; readonly replyInterface: NetworkInterface };

/** A refused connect is either answered at once (RST) or never answered (the connecting side times out). */
export function refusalIsSilent(reason: DeviceRefusal): boolean {
  return reason === 'firewall-drop' || reason === 'reply-via-other-interface';
}

export type SessionEnd =
  | { readonly kind: 'session' }
  | {
      readonly kind: 'closed-at-once';
      readonly reason:
        | 'application-closes'
        | 'application-rejects-client'
        | 'protocol-mismatch'
        | 'tls-on-non-tls-protocol'
        | 'tls-mismatch';
    };

/**
 * Protocols whose clients cannot run behind Napter's TLS termination. SSH, RDP and VNC clients do not
 * speak TLS to a terminator; an HTTPS server behind it receives plain HTTP (the spec on `tlsRequired`:
 * "false: … if the device is listening on HTTPS").
 */
const NON_TLS_PROTOCOLS = new Set(['ssh', 'rdp', 'vnc', 'https']);

/** Identification strings real servers send as soon as a client connects. */
const GREETINGS: Readonly<Record<string, string>> = {
  ssh: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n',
  vnc: 'RFB 003.008\n',
};

export function replyInterface(device: DeviceState, destinationIp: string): NetworkInterface {
  if (!isIpv4(destinationIp)) return device.defaultRoute;
  let best: { prefix: number; via: NetworkInterface } | undefined;
  for (const route of device.routes) {
    if (!cidrContains(route.cidr, destinationIp)) continue;
    const prefix = cidrPrefix(route.cidr);
    if (best === undefined || prefix > best.prefix) best = { prefix, via: route.via };
  }
  return best?.via ?? device.defaultRoute;
}

function firewallAdmits(device: DeviceState, port: number, sourceIp: string): boolean {
  if (device.firewall === null) return true;
  return device.firewall.allow.some(
    (rule) =>
      (rule.ports === undefined || rule.ports.includes(port)) &&
      (rule.sources === undefined || rule.sources.some((cidr) => cidrContains(cidr, sourceIp))),
  );
}

export function tcpConnect(device: DeviceState, port: number, sourceIp: string): TcpConnectResult {
  const via = replyInterface(device, sourceIp);
  if (!firewallAdmits(device, port, sourceIp)) {
    return { kind: 'refused', reason: device.firewall?.policy === 'reject' ? 'firewall-reject' : 'firewall-drop', replyInterface: via };
  }
  const service = device.services.find((candidate) => candidate.port === port && candidate.state !== 'stopped');
  // An RST leaves by the same route table as a SYN-ACK would.
  if (via !== 'cellular') return { kind: 'refused', reason: 'reply-via-other-interface', replyInterface: via };
  if (service === undefined) return { kind: 'refused', reason: 'port-closed', replyInterface: via };
  return { kind: 'accepted', service };
}

// ---- The first bytes of a conversation ------------------------------------------------------------

const HTTP_REQUEST_LINE = /^[A-Z]{3,7} \S+ HTTP\/1\.[01]\r\n/;

/** A TLS handshake record (0x16, version 3.x) carrying a ClientHello (handshake type 1). */
export function isTlsClientHello(bytes: Buffer): boolean {
  return bytes.length >= 6 && bytes[0] === 0x16 && bytes[1] === 0x03 && bytes[5] === 0x01;
}

/** A TPKT (version 3) carrying an X.224 Connection Request TPDU (0xE0), what an RDP client sends first. */
export function isX224ConnectionRequest(bytes: Buffer): boolean {
  return bytes.length >= 7 && bytes[0] === 0x03 && bytes[1] === 0x00 && ((bytes[5] ?? 0) & 0xf0) === 0xe0;
}

export function isHttpRequest(bytes: Buffer): boolean {
  return HTTP_REQUEST_LINE.test(bytes.subarray(0, 256).toString('latin1'));
}

function httpResponse(status: number, reason: string, body = ''): Buffer {
  return Buffer.from(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: keep-alive\r\n\r\n${body}`, 'latin1');
}

const HTTP_REASONS: Readonly<Record<number, string>> = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/** A TLS ServerHello record header and the start of its handshake: enough for a client to know TLS answered. */
const TLS_SERVER_HELLO = Buffer.from('160303003d020000390303', 'hex');
/** A fatal TLS alert (decode_error): what a TLS server sends to bytes that are not a handshake. */
const TLS_ALERT = Buffer.from('15030300020232', 'hex');
/** X.224 Connection Confirm with an RDP negotiation response selecting TLS. */
const X224_CONNECTION_CONFIRM = Buffer.from('030000130ed000001234000201080001000000', 'hex');

/** What the service sends once a client connects, before the client says anything; undefined: it waits. */
export function greeting(service: ServiceRecord): Buffer | undefined {
  if (service.state !== 'serving') return undefined;
  const text = service.banner ?? GREETINGS[service.protocol];
  return text === undefined ? undefined : Buffer.from(text, 'latin1');
}

export type ServiceReaction =
  /** It answers; `thenCloses`: and hangs up after the answer. */
  | { readonly kind: 'data'; readonly bytes: Buffer; readonly thenCloses: boolean }
  /** It hangs up without a word. */
  | { readonly kind: 'closes' }
  /** It says nothing and waits for more (a server waiting for its client's request). */
  | { readonly kind: 'silent' };

/**
 * What the service does with a freshly accepted connection whose client sent `firstBytes` (possibly
 * nothing): its greeting, its answer to a request it understands, its complaint about one it does not.
 */
export function serviceReaction(service: ServiceRecord, firstBytes: Buffer): ServiceReaction {
  // Accepted by the kernel (or a proxy in front), then closed by what is behind: before any greeting.
  if (service.state === 'accepts-then-closes' || service.state === 'rejects-clients') return { kind: 'closes' };
  const hello = greeting(service);
  if (hello !== undefined) {
    // A greeting server says its line whatever comes; a client that is not its kind is dropped after it.
    return { kind: 'data', bytes: hello, thenCloses: false };
  }
  if (firstBytes.length === 0) return { kind: 'silent' };
  switch (service.protocol) {
    case 'http':
      if (isHttpRequest(firstBytes)) {
        const status = service.httpStatus;
        return { kind: 'data', bytes: httpResponse(status, HTTP_REASONS[status] ?? 'Status'), thenCloses: false };
      }
      // nginx, Apache, lighttpd: "400 Bad Request" to a line that is not HTTP (a TLS ClientHello included).
      return { kind: 'data', bytes: httpResponse(400, 'Bad Request'), thenCloses: true };
    case 'https':
      if (isTlsClientHello(firstBytes)) return { kind: 'data', bytes: TLS_SERVER_HELLO, thenCloses: false };
      // nginx answers plain HTTP on its TLS port with a 400 page; others send a TLS alert. Both then close.
      if (isHttpRequest(firstBytes)) {
        return { kind: 'data', bytes: httpResponse(400, 'Bad Request', 'The plain HTTP request was sent to HTTPS port'), thenCloses: true };
      }
      return { kind: 'data', bytes: TLS_ALERT, thenCloses: true };
    case 'rdp':
      // Windows drops a TPKT it cannot parse without a word.
      return isX224ConnectionRequest(firstBytes) ? { kind: 'data', bytes: X224_CONNECTION_CONFIRM, thenCloses: false } : { kind: 'closes' };
    default:
      // An application protocol the model does not speak (Modbus, MQTT, a vendor console): it waits for what it expects.
      return { kind: 'silent' };
  }
}

/** What the HTTP status line of a device's answer says, when it is one. */
export function httpStatusOf(bytes: Buffer): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(bytes.subarray(0, 64).toString('latin1'));
  return match ? Number(match[1]) : undefined;
}

export function isTlsServerHello(bytes: Buffer): boolean {
  return bytes.length >= 6 && bytes[0] === 0x16 && bytes[5] === 0x02;
}

// ---- Napter sessions --------------------------------------------------------------------------------

export interface ClientBehaviour {
  /** What the client speaks; undefined: whatever the service speaks (the user picked the right port). */
  readonly protocol: string | undefined;
  /** Whether the client speaks TLS to Napter. */
  readonly clientTls: boolean;
  /** The mapping's `tlsRequired`: Napter terminates TLS and forwards plain TCP. */
  readonly napterTerminatesTls: boolean;
}

export function napterSession(service: ServiceRecord, client: ClientBehaviour): SessionEnd {
  if (client.napterTerminatesTls && NON_TLS_PROTOCOLS.has(service.protocol)) {
    return { kind: 'closed-at-once', reason: 'tls-on-non-tls-protocol' };
  }
  if (client.clientTls !== client.napterTerminatesTls) return { kind: 'closed-at-once', reason: 'tls-mismatch' };
  if (service.state === 'accepts-then-closes') return { kind: 'closed-at-once', reason: 'application-closes' };
  if (service.state === 'rejects-clients') return { kind: 'closed-at-once', reason: 'application-rejects-client' };
  if (client.protocol !== undefined && client.protocol !== service.protocol) {
    return { kind: 'closed-at-once', reason: 'protocol-mismatch' };
  }
  return { kind: 'session' };
}
