import { cidrContains, cidrPrefix, isIpv4 } from './net';
import type { DeviceState, NetworkInterface, ServiceRecord } from './world-spec';

/**
 * What a device does with a TCP connection arriving on its cellular interface. Napter and the
 * downlink probe both come in that way; they differ only in the source address (the client's for Napter,
 * a platform address for the probe), which is what firewalls and routes look at.
 */

export type DeviceRefusal =
  /** Nothing listens: the device answers RST. */
  | 'port-closed'
  /** A firewall rule rejects (RST / ICMP unreachable). */
  | 'firewall-reject'
  /** A firewall drops silently. */
  | 'firewall-drop'
  /** The SYN-ACK leaves by another interface, so the handshake never completes on the cellular side. */
  | 'reply-via-other-interface';

export type TcpConnectResult =
  | { readonly kind: 'accepted'; readonly service: ServiceRecord }
  | { readonly kind: 'refused'; readonly reason: DeviceRefusal; readonly replyInterface: NetworkInterface };

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

/** Protocols that cannot run behind Napter's TLS termination. */
const NON_TLS_PROTOCOLS = new Set(['ssh', 'rdp', 'vnc']);

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
