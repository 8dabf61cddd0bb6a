import type { Protocol } from './command/types';
import { cidrContains, hostCidr } from './net/index';
import { protocolForPort } from './probe';
import type { PortMapping } from './soracom';

/** A mapping SORACOM still lists and that has not expired by `nowMs`. */
export function isActive(mapping: PortMapping, nowMs: number): boolean {
  return !mapping.expired && mapping.expiresAtMs > nowMs;
}

/** Whether `range` lets every address of `requested` through (a wider or equal range containing it). */
export function rangeAdmits(range: string, requested: string): boolean {
  const prefixOf = (cidr: string): number => Number(hostCidr(cidr).split('/')[1]);
  const [address = ''] = requested.split('/');
  return prefixOf(range) <= prefixOf(requested) && cidrContains(range, address);
}

/** What a device port is known for (22 SSH, 80 HTTP, …); `tcp` for any other. */
export function protocolOfPort(devicePort: number): Protocol {
  return protocolForPort(devicePort) ?? 'tcp';
}

/** "SSH (22)", "TCP 8080". */
export function serviceLabel(devicePort: number): string {
  const protocol = protocolOfPort(devicePort);
  return protocol === 'tcp' ? `TCP ${devicePort}` : `${protocol.toUpperCase()} (${devicePort})`;
}

/** The parts of a mapping a connect command needs; the bot's own row or SORACOM's listing both have them. */
export interface EndpointFields {
  readonly ipAddress: string;
  readonly port: number;
  readonly hostname?: string | undefined;
  readonly devicePort: number;
  readonly tlsRequired: boolean;
}

export function endpointHost(mapping: { readonly ipAddress: string; readonly hostname?: string | undefined }): string {
  return mapping.hostname ?? mapping.ipAddress;
}

/**
 * A login name a shell passes to ssh as one plain word: letters, digits, `.`, `_`, `-`, not starting with `-`
 * (which ssh would read as an option, `-oProxyCommand=…`). A tag that is anything else is not used.
 */
const LOGIN_NAME = /^[A-Za-z0-9._][A-Za-z0-9._-]{0,31}$/;

/** The SIM's `ssh_user` tag when it is a plausible login name; anyone who can tag the SIM writes it. */
export function usableSshUser(tag: string | undefined): string | undefined {
  return tag !== undefined && LOGIN_NAME.test(tag) ? tag : undefined;
}

/**
 * What the requester pastes into a terminal, as plain text (the caller escapes it for mrkdwn). The device's
 * login name is unknown to SORACOM: the SIM's `ssh_user` tag when it is a usable login name, else a `<user>`
 * placeholder to replace.
 */
export function connectCommand(mapping: EndpointFields, sshUser: string | undefined): string {
  const host = endpointHost(mapping);
  const port = mapping.port;
  switch (protocolOfPort(mapping.devicePort)) {
    case 'ssh':
      return `ssh -p ${port} ${usableSshUser(sshUser) ?? '<user>'}@${host}`;
    case 'https':
      return `https://${host}:${port}`;
    case 'http':
      // With TLS on, Napter terminates TLS in front of a plain-HTTP device.
      return mapping.tlsRequired ? `https://${host}:${port}` : `http://${host}:${port}`;
    case 'rdp':
      return `mstsc /v:${host}:${port}`;
    case 'vnc':
      return `${host}::${port}`;
    case 'tcp':
      return mapping.tlsRequired ? `openssl s_client -connect ${host}:${port}` : `nc ${host} ${port}`;
  }
}
