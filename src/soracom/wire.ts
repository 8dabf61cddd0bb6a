import { z } from 'zod';

/**
 * The SORACOM API's JSON as it travels, checked against the official OpenAPI spec (schema names in
 * the comments). Every object is loose (unknown fields are kept, real responses carry fields the spec
 * omits) and every field the API may leave out or send as `null` is `nullish`, so only a body whose
 * essential fields are missing or of the wrong type fails to parse. The simulator types its responses
 * with these, so the names are part of the project's interface.
 */

const optionalString = z.string().nullish();
const optionalNumber = z.number().nullish();
const optionalBoolean = z.boolean().nullish();

/** spec `AuthResponse` (POST /auth, 200). */
export const WireAuthResponse = z.looseObject({
  apiKey: z.string().min(1),
  token: z.string().min(1),
  operatorId: optionalString,
  userName: optionalString,
});
export type WireAuthResponse = z.infer<typeof WireAuthResponse>;

/** spec `AuthRequest`, AuthKey mode only: the bot never logs in with a password. */
export const WireAuthRequest = z.looseObject({
  authKeyId: z.string(),
  authKey: z.string(),
  tokenTimeoutSeconds: optionalNumber,
});
export type WireAuthRequest = z.infer<typeof WireAuthRequest>;

/** spec `PortMappingDestination` as returned: `imsi` only for IMSI_PRIORITIZED, `simId` otherwise. */
export const WirePortMappingDestination = z.looseObject({
  imsi: optionalString,
  simId: optionalString,
  port: z.number(),
  destinationChoosingStrategy: optionalString,
  service: optionalString,
});
export type WirePortMappingDestination = z.infer<typeof WirePortMappingDestination>;

/** spec `PortMapping`. `duration` is seconds; `createdTime`/`expiredTime` are Unix milliseconds. */
export const WirePortMapping = z.looseObject({
  ipAddress: z.string(),
  port: z.number(),
  endpoint: optionalString,
  hostname: optionalString,
  destination: WirePortMappingDestination,
  imsi: optionalString,
  simId: optionalString,
  source: z.looseObject({ ipRanges: z.array(z.string()).nullish() }).nullish(),
  duration: optionalNumber,
  tlsRequired: optionalBoolean,
  createdTime: optionalNumber,
  expiredTime: optionalNumber,
  expired: optionalBoolean,
  operatorId: optionalString,
  placement: optionalString,
});
export type WirePortMapping = z.infer<typeof WirePortMapping>;

export const WirePortMappingList = z.array(WirePortMapping);
export type WirePortMappingList = z.infer<typeof WirePortMappingList>;

/**
 * spec `CreatePortMappingRequest` (POST /port_mappings), as the spec allows it (the simulator accepts
 * any caller's body); the client always sends `destination.imsi`, `duration` (seconds), `tlsRequired`
 * and `source.ipRanges`.
 */
export const WireCreatePortMappingRequest = z.looseObject({
  destination: z.looseObject({
    imsi: optionalString,
    simId: optionalString,
    service: z.enum(['air', 'arc']).nullish(),
    port: z.number(),
  }),
  duration: optionalNumber,
  tlsRequired: optionalBoolean,
  source: z.looseObject({ ipRanges: z.array(z.string()).nullish() }).nullish(),
});
export type WireCreatePortMappingRequest = z.infer<typeof WireCreatePortMappingRequest>;

/** spec `CreatePortMappingRequestForSim` (POST /port_mappings/sims/{sim_id}); the client always sends `service`. */
export const WireCreatePortMappingForSimRequest = z.looseObject({
  destination: z.looseObject({ port: z.number(), service: z.enum(['air', 'arc']).nullish() }),
  duration: optionalNumber,
  tlsRequired: optionalBoolean,
  source: z.looseObject({ ipRanges: z.array(z.string()).nullish() }).nullish(),
});
export type WireCreatePortMappingForSimRequest = z.infer<typeof WireCreatePortMappingForSimRequest>;

/** spec `NapterAuditLogDirection`: source = the client as Napter saw it, destination = the device. */
export const WireNapterAuditLogDirection = z.looseObject({
  sourceIPAddress: optionalString,
  sourcePort: optionalNumber,
  destinationIPAddress: optionalString,
  destinationPort: optionalNumber,
});
export type WireNapterAuditLogDirection = z.infer<typeof WireNapterAuditLogDirection>;

/**
 * spec `NapterAuditLogEntry`. `type` is a plain string here: an event type SORACOM adds later must not
 * make the whole page unreadable; the mapping to the domain drops types it does not know.
 */
export const WireNapterAuditLogEntry = z.looseObject({
  connectionId: optionalString,
  createdAt: z.number(),
  type: z.string(),
  imsi: optionalString,
  operatorId: optionalString,
  tls: optionalBoolean,
  direction: WireNapterAuditLogDirection.nullish(),
});
export type WireNapterAuditLogEntry = z.infer<typeof WireNapterAuditLogEntry>;

export const WireNapterAuditLogList = z.array(WireNapterAuditLogEntry);
export type WireNapterAuditLogList = z.infer<typeof WireNapterAuditLogList>;

/** spec `SessionStatus` (current session of a SIM or subscriber). */
export const WireSessionStatus = z.looseObject({
  online: optionalBoolean,
  imsi: optionalString,
  imei: optionalString,
  ueIpAddress: optionalString,
  sessionId: optionalString,
  subscription: optionalString,
  lastUpdatedAt: optionalNumber,
  dnsServers: z.array(z.string()).nullish(),
  vpgId: optionalString,
  gatewayPublicIpAddress: optionalString,
  gatewayPrivateIpAddress: optionalString,
  cell: z.looseObject({}).nullish(),
  location: z.looseObject({}).nullish(),
  placement: z.looseObject({}).nullish(),
});
export type WireSessionStatus = z.infer<typeof WireSessionStatus>;

/** spec `PreviousSessionStatus`: `createdTime`/`deletedTime` in Unix milliseconds. */
export const WirePreviousSession = z.looseObject({
  createdTime: optionalNumber,
  deletedTime: optionalNumber,
  imsi: optionalString,
  ueIpAddress: optionalString,
});
export type WirePreviousSession = z.infer<typeof WirePreviousSession>;

/** spec `SimplifiedSubscriber`: one subscription inside a SIM profile. */
export const WireSimplifiedSubscriber = z.looseObject({
  imsi: optionalString,
  status: optionalString,
  subscription: optionalString,
  msisdn: optionalString,
});
export type WireSimplifiedSubscriber = z.infer<typeof WireSimplifiedSubscriber>;

/** spec `SimProfile`, keyed by ICCID in `Sim.profiles`. */
export const WireSimProfile = z.looseObject({
  iccid: optionalString,
  primaryImsi: optionalString,
  subscribers: z.record(z.string(), WireSimplifiedSubscriber).nullish(),
});
export type WireSimProfile = z.infer<typeof WireSimProfile>;

/** Tag values are strings per spec; a non-string value is kept on the wire and dropped when mapped. */
export const WireTags = z.record(z.string(), z.unknown());
export type WireTags = z.infer<typeof WireTags>;

/** spec `Sim` (GET /sims/{sim_id}, GET /query/sims items). */
export const WireSim = z.looseObject({
  simId: z.string(),
  status: optionalString,
  groupId: optionalString,
  tags: WireTags.nullish(),
  sessionStatus: WireSessionStatus.nullish(),
  previousSession: WirePreviousSession.nullish(),
  profiles: z.record(z.string(), WireSimProfile).nullish(),
  activeProfileId: optionalString,
  lastPortMappingCreatedTime: optionalNumber,
  speedClass: optionalString,
  moduleType: optionalString,
  type: optionalString,
  operatorId: optionalString,
  createdTime: optionalNumber,
  lastModifiedTime: optionalNumber,
});
export type WireSim = z.infer<typeof WireSim>;

export const WireSimList = z.array(WireSim);
export type WireSimList = z.infer<typeof WireSimList>;

/** spec `Subscriber` (GET /subscribers/{imsi}). */
export const WireSubscriber = z.looseObject({
  imsi: z.string(),
  simId: optionalString,
  status: optionalString,
  groupId: optionalString,
  tags: WireTags.nullish(),
  sessionStatus: WireSessionStatus.nullish(),
  previousSession: WirePreviousSession.nullish(),
  lastPortMappingCreatedTime: optionalNumber,
  speedClass: optionalString,
  subscription: optionalString,
  iccid: optionalString,
  msisdn: optionalString,
  operatorId: optionalString,
});
export type WireSubscriber = z.infer<typeof WireSubscriber>;

/**
 * A Peek time: the spec says an ISO 8601 date-time string, the real API may send Unix milliseconds.
 * Both are accepted here; `to-domain` turns either into milliseconds.
 */
export const WirePeekTime = z.union([z.string(), z.number()]).nullish();
export type WirePeekTime = z.infer<typeof WirePeekTime>;

/** spec `PacketCaptureSession`. `duration` in seconds. */
export const WirePacketCaptureSession = z.looseObject({
  sessionId: z.string(),
  status: z.string(),
  duration: optionalNumber,
  prefix: optionalString,
  createdTime: WirePeekTime,
  startedTime: WirePeekTime,
  endedTime: WirePeekTime,
  failedReason: optionalString,
  url: optionalString,
});
export type WirePacketCaptureSession = z.infer<typeof WirePacketCaptureSession>;

export const WirePacketCaptureSessionList = z.array(WirePacketCaptureSession);
export type WirePacketCaptureSessionList = z.infer<typeof WirePacketCaptureSessionList>;

/** spec `PacketCaptureSessionRequest`. */
export const WirePacketCaptureSessionRequest = z.looseObject({
  duration: z.number(),
  prefix: optionalString,
});
export type WirePacketCaptureSessionRequest = z.infer<typeof WirePacketCaptureSessionRequest>;

/** spec `SimDownlinkTcpRequest` (the subset the probe sends). `timeout` in seconds (1–300). */
export const WireSimDownlinkTcpRequest = z.looseObject({
  port: z.number(),
  payload: z.string(),
  payloadEncoding: optionalString,
  timeout: optionalNumber,
  connectionOptions: z.looseObject({ type: z.string() }).nullish(),
});
export type WireSimDownlinkTcpRequest = z.infer<typeof WireSimDownlinkTcpRequest>;

/** spec `SimDownlinkTcpResponse` (200). `data` is required by the spec but an empty probe needs none of it. */
export const WireSimDownlinkTcpResponse = z.looseObject({
  data: optionalString,
  dataEncoding: optionalString,
});
export type WireSimDownlinkTcpResponse = z.infer<typeof WireSimDownlinkTcpResponse>;

/** spec `SimDownlinkHttpRequest` (the subset the probe sends). `ssl`/`skipVerify` default false; the device has 10 s to answer. */
export const WireSimDownlinkHttpRequest = z.looseObject({
  port: optionalNumber,
  method: optionalString,
  path: optionalString,
  ssl: optionalBoolean,
  skipVerify: optionalBoolean,
});
export type WireSimDownlinkHttpRequest = z.infer<typeof WireSimDownlinkHttpRequest>;

/** spec `SimDownlinkHttpResponse` (200): `statusCode` (required) is the device's own HTTP status. */
export const WireSimDownlinkHttpResponse = z.looseObject({
  statusCode: z.number(),
  headers: z.record(z.string(), z.string()).nullish(),
  body: optionalString,
  isBase64Encoded: optionalBoolean,
});
export type WireSimDownlinkHttpResponse = z.infer<typeof WireSimDownlinkHttpResponse>;

/** spec `DownlinkPingRequest`. */
export const WireDownlinkPingRequest = z.looseObject({
  numberOfPingRequests: optionalNumber,
  timeoutSeconds: optionalNumber,
});
export type WireDownlinkPingRequest = z.infer<typeof WireDownlinkPingRequest>;

/** spec `DownlinkPingResponse`. `rtt` is free text (e.g. "rtt min/avg/max/mdev = 50.1/50.1/50.1/0.0 ms"). */
export const WireDownlinkPingResponse = z.looseObject({
  success: z.boolean(),
  rtt: optionalString,
  stat: optionalString,
});
export type WireDownlinkPingResponse = z.infer<typeof WireDownlinkPingResponse>;

/** The usual SORACOM error body: `{"code":"AUM0001","message":"…"}` (users.soracom.io error page). */
export const WireErrorBody = z.looseObject({
  code: z.string(),
  message: z.string().nullish(),
  messageArgs: optionalString,
});
export type WireErrorBody = z.infer<typeof WireErrorBody>;

/** spec `APICallError`: `{"httpStatus":400,"errorMessage":{"code":"…","message":"…"}}`. */
export const WireApiCallError = z.looseObject({
  httpStatus: optionalNumber,
  errorMessage: z.looseObject({ code: z.string(), message: z.string().nullish() }),
});
export type WireApiCallError = z.infer<typeof WireApiCallError>;

/** Load-balancer errors arrive as plain text (or HTML); the Go SDK reports them as code UNK0001. */
export const WirePlainTextError = z.string();
export type WirePlainTextError = z.infer<typeof WirePlainTextError>;
export const PLAIN_TEXT_ERROR_CODE = 'UNK0001';
