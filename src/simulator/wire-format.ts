import type {
  WireNapterAuditLogEntry,
  WirePacketCaptureSession,
  WirePortMapping,
  WireSessionStatus,
  WireSim,
  WireSubscriber,
} from '../soracom/wire';
import { ASSUMPTIONS } from './assumptions';
import type { PeekView, World } from './world';
import type { AuditEventState, MappingState, SimState } from './world-spec';

/**
 * World state → SORACOM's JSON, field for field as the official spec names them. Typed with the
 * client's wire schemas (`satisfies`), so a field renamed on either side breaks the type check.
 */

export function portMappingJson(mapping: MappingState, world: World): WirePortMapping {
  const byImsi = mapping.strategy === 'IMSI_PRIORITIZED';
  const destination = byImsi
    ? { imsi: mapping.imsi, port: mapping.devicePort, destinationChoosingStrategy: mapping.strategy }
    : { simId: mapping.simId, port: mapping.devicePort, destinationChoosingStrategy: mapping.strategy };
  const identity = byImsi ? { imsi: mapping.imsi } : { simId: mapping.simId };
  return {
    operatorId: world.operatorId,
    ipAddress: mapping.ipAddress,
    port: mapping.port,
    endpoint: `${mapping.ipAddress}:${mapping.port}`,
    hostname: mapping.hostname,
    destination,
    ...identity,
    source: { ipRanges: [...mapping.sourceIpRanges] },
    duration: mapping.durationSec,
    tlsRequired: mapping.tlsRequired,
    createdTime: mapping.createdAtMs,
    expiredTime: mapping.expiresAtMs,
    expired: mapping.end !== 'active' || world.isExpiredAt(mapping, world.clock.nowMs()),
    placement: ASSUMPTIONS.placement,
  } satisfies WirePortMapping;
}

export function auditEntryJson(event: AuditEventState, operatorId: string): WireNapterAuditLogEntry {
  return {
    connectionId: event.connectionId,
    createdAt: event.createdAt,
    type: event.type,
    imsi: event.imsi,
    operatorId,
    tls: event.tls,
    direction: { ...event.direction },
  } satisfies WireNapterAuditLogEntry;
}

function sessionStatusJson(sim: SimState): WireSessionStatus {
  if (!sim.online) {
    return { online: false, lastUpdatedAt: sim.previousSession?.deletedTime ?? sim.lastModifiedTime } satisfies WireSessionStatus;
  }
  return {
    online: true,
    imsi: sim.sessionImsi,
    imei: sim.imei,
    ueIpAddress: sim.ueIpAddress,
    sessionId: `${sim.simId.slice(-8)}-${sim.sessionStartedAtMs.toString(16)}`,
    subscription: sim.subscription,
    lastUpdatedAt: sim.sessionStartedAtMs,
    dnsServers: ['100.127.0.53', '100.127.1.53'],
    location: null,
    cell: { radioType: 'LTE', mcc: 440, mnc: 10, tac: 4728, eci: 49_497_861 },
    placement: { infrastructureProvider: 'aws', region: 'ap-northeast-1' },
  } satisfies WireSessionStatus;
}

function previousSessionJson(sim: SimState): WireSim['previousSession'] {
  const previous = sim.previousSession;
  if (previous === null) return undefined;
  return {
    createdTime: previous.createdTime,
    deletedTime: previous.deletedTime,
    imsi: previous.imsi ?? sim.sessionImsi,
    ueIpAddress: previous.ueIpAddress ?? sim.ueIpAddress,
  };
}

export function simJson(sim: SimState, world: World): WireSim {
  const subscribers = Object.fromEntries(
    world.imsisOf(sim).map((imsi, index) => [
      imsi,
      {
        imsi,
        msisdn: index === 0 ? sim.msisdn : '',
        status: index === 0 ? sim.status : 'active',
        subscription: index === 0 ? sim.subscription : 'plan-D',
        bundles: [],
      },
    ]),
  );
  const previousSession = previousSessionJson(sim);
  return {
    simId: sim.simId,
    operatorId: world.operatorId,
    status: sim.status,
    speedClass: sim.speedClass,
    ...(sim.groupId === null ? {} : { groupId: sim.groupId }),
    tags: { ...sim.tags },
    moduleType: 'nano',
    type: 'uicc',
    activeProfileId: sim.iccid,
    serialNumber: `SN${sim.simId.slice(-10)}`,
    createdTime: sim.createdTime,
    lastModifiedTime: sim.lastModifiedTime,
    lastPortMappingCreatedTime: sim.lastPortMappingCreatedTime,
    terminationEnabled: false,
    sessionStatus: sessionStatusJson(sim),
    ...(previousSession === undefined ? {} : { previousSession }),
    profiles: {
      [sim.iccid]: { iccid: sim.iccid, otaSupported: false, primaryImsi: sim.imsi, subscribers },
    },
  } satisfies WireSim;
}

export function subscriberJson(sim: SimState, imsi: string, world: World): WireSubscriber {
  const primary = imsi === sim.imsi;
  const previousSession = previousSessionJson(sim);
  return {
    imsi,
    msisdn: primary ? sim.msisdn : '',
    simId: sim.simId,
    iccid: sim.iccid,
    operatorId: world.operatorId,
    status: primary ? sim.status : 'active',
    subscription: primary ? sim.subscription : 'plan-D',
    speedClass: sim.speedClass,
    ...(sim.groupId === null ? {} : { groupId: sim.groupId }),
    tags: { ...sim.tags },
    moduleType: 'nano',
    createdAt: sim.createdTime,
    createdTime: sim.createdTime,
    lastModifiedAt: sim.lastModifiedTime,
    lastModifiedTime: sim.lastModifiedTime,
    lastPortMappingCreatedTime: sim.lastPortMappingCreatedTime,
    terminationEnabled: false,
    sessionStatus: sim.sessionImsi === imsi ? sessionStatusJson(sim) : { online: false, lastUpdatedAt: sim.lastModifiedTime },
    ...(previousSession === undefined ? {} : { previousSession }),
  } satisfies WireSubscriber;
}

function peekTime(ms: number | undefined, format: 'epoch-ms' | 'iso-8601'): number | string | undefined {
  if (ms === undefined) return undefined;
  return format === 'epoch-ms' ? ms : new Date(ms).toISOString();
}

export function peekJson(view: PeekView, format: 'epoch-ms' | 'iso-8601', url: string | undefined): WirePacketCaptureSession {
  const json: WirePacketCaptureSession = {
    sessionId: view.session.sessionId,
    status: view.status,
    duration: view.session.durationSec,
    prefix: view.session.prefix,
    createdTime: peekTime(view.session.createdAtMs, format),
  };
  const startedTime = peekTime(view.startedAtMs, format);
  const endedTime = peekTime(view.endedAtMs, format);
  if (startedTime !== undefined) json.startedTime = startedTime;
  if (endedTime !== undefined) json.endedTime = endedTime;
  if (url !== undefined) json.url = url;
  return json;
}
