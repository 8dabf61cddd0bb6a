/**
 * Every place where the simulator had to choose a behaviour SORACOM does not document (or documents
 * inconsistently): each answer the simulator gives lives here, once, with the reason, and the code reads
 * these constants instead of repeating numbers.
 * When a real-API test contradicts one of these, change it here and the whole simulator follows.
 */
export const ASSUMPTIONS = {
  /**
   * `duration` omitted on create. The spec gives no default; the console and the guide use 30 minutes,
   * so the simulator applies 1800 s. The bot always sends a duration, so this only matters for other callers.
   */
  defaultMappingDurationSec: 1800,
  /** The spec's "maximum duration is 8 hours": more is rejected with 400 rather than capped. */
  maxMappingDurationSec: 28_800,
  /**
   * `source.ipRanges` omitted or empty: admits every address, echoed as `["0.0.0.0/0"]`. `0.0.0.0/0`
   * itself is accepted too (the console offers "allow all"); the bot refuses it on its own side, so a
   * bot bug that sends it is caught by asserting on the recorded request, not by the simulator.
   * Every other range must be global; the documentation ranges count as global.
   */
  emptySourceRangesAdmitAll: true,
  allowAnySourceRange: '0.0.0.0/0',
  /**
   * How long an expired mapping stays in the lists with `expired: true`. The spec does not say;
   * an hour: the response schema has an `expired` flag, so expired entries are listed for a while, and an
   * hour keeps the lists short. Deleted mappings disappear at once.
   */
  expiredMappingListedForMs: 60 * 60 * 1000,
  /** A deleted or expired endpoint is never handed out again, so a late attempt still maps to its IMSI. */
  publicPortRange: { min: 10_000, max: 65_000 },
  /** Napter entry points use a documentation range so nothing here can ever be a real address. */
  napterEntryIpAddresses: ['192.0.2.10', '192.0.2.11', '192.0.2.12'] as readonly string[],
  napterHostnameSuffix: '.napter.soracom.io',
  placement: 'default',

  /**
   * Audit events of a client connection, per D1: ACCESS, then one of CONNECTED / DENIED / REFUSED,
   * then CLOSED. The simulator writes CLOSED after DENIED and REFUSED too (same connectionId, a few ms
   * later): Napter closes the client's socket in those cases.
   */
  closedFollowsDeniedOrRefused: true,
  closeAfterDeniedMs: 3,
  /** Napter gap between ACCESS and its verdict event. */
  accessToVerdictMs: 2,
  /**
   * One round trip between SORACOM and a device on LTE (tens to a few hundred ms; LTE-M and NB-IoT are
   * slower). A device that resets or hangs up is heard from after about one.
   */
  deviceRoundTripMs: 120,
  /**
   * What Napter does when its connection to the device fails. The guide lists a device firewall, routing
   * by Wi-Fi/LAN and a stopped application among the causes *when CONNECTED is logged*, so Napter writes
   * CONNECTED once it has admitted the client and starts forwarding, before the device has answered; then
   * CLOSED when the device resets (about a round trip later) or when Napter gives up on a device that never
   * answers its SYN. That wait is unpublished: 30 s, a common dial timeout (Go's net.Dialer default); a
   * world can set its own (`options.napterConnectTimeoutMs`).
   */
  connectedBeforeDeviceAnswers: true,
  napterDeviceConnectTimeoutMs: 30_000,
  /** A normal session lasts this long unless the attempt says otherwise. */
  defaultSessionSec: 300,
  /**
   * Offline (or not data-capable) SIM with an admitted source: ACCESS then CLOSED, no CONNECTED
   * (Napter has no session to forward to). Unconfirmed.
   */
  offlineDeviceCloseAfterMs: 20,
  /**
   * REFUSED: after this many DENIED from one address to one endpoint within the window, that address
   * is blocked on that endpoint for `refuseBlockMs`; each attempt meanwhile gets ACCESS, REFUSED, CLOSED.
   * The real thresholds are unpublished. Blocking per endpoint (not globally) keeps scenarios that
   * share client addresses independent.
   */
  refuseAfterDeniedCount: 5,
  refuseDeniedWindowMs: 60_000,
  refuseBlockMs: 10 * 60_000,
  /** connectionId of CREATED / DELETED / EXPIRED: the mapping's own id, shared by its lifecycle events. */
  lifecycleEventsShareMappingId: true,
  /** Lifecycle events carry only the destination (device IP and port); there is no client. */
  lifecycleEventsHaveNoSource: true,

  /**
   * Napter rewrites only the destination: the device sees the client's global address as the source.
   * That is why a device whose replies leave by Wi-Fi/LAN, or whose firewall admits only its LAN range,
   * fails through Napter (the guide's two device-side causes).
   */
  napterPreservesClientSource: true,
  /**
   * `sendDownlinkTcp` / `sendDownlinkHttp` / `sendDownlinkPing` come from a SORACOM platform address, in the range of
   * SORACOM's own DNS (100.127.0.53). A device that routes 100.127.0.0/16 via the cellular interface
   * answers them even when its default route is Wi-Fi.
   */
  platformProbeSourceIp: '100.127.10.20',
  /**
   * The wording of the downlink APIs' 422. The spec says only "Data transmission and reception failed."
   * (sendDownlinkTcp) and lists the reasons of sendDownlinkHttp's 422 without their text; these messages
   * are made up in SORACOM's style. What a client can rely on is the timing: a refusal comes back after
   * a round trip, a silence after the whole `timeout` (10 s for HTTP).
   */
  downlinkMessages: {
    offline: 'The SIM has no online session',
    refused: 'Could not establish a TCP connection with the device: connection refused',
    connectTimeout: 'Could not establish a TCP connection with the device within the timeout',
    closedBeforeData: 'The device closed the connection before sending any data',
    noData: 'No data was received from the device within the timeout',
    patternNotReceived: 'The termination pattern was not received from the device within the timeout',
    httpConnectFailed: 'Could not establish a network connection with the device',
    httpRefused: 'The device refused the HTTP connection',
    httpNoResponse: 'The device did not return a response within 10 seconds',
    httpMalformed: 'The HTTP request to the device failed: malformed HTTP response',
    httpTlsFailed: 'The HTTP request to the device failed: TLS handshake error',
    httpCertificate: 'The HTTP request to the device failed: x509: certificate signed by unknown authority',
    httpClosed: 'The HTTP request to the device failed: EOF',
  },
  /** `sendDownlinkHttp`'s own wait for the device's response (spec: "within 10 seconds"). */
  httpDownlinkResponseTimeoutMs: 10_000,
  /** A device's HTTPS certificate is self-signed (they almost always are): `skipVerify: false` fails on it. */
  deviceCertificatesSelfSigned: true,
  /** The device's ping answer time. */
  pingRttMs: 84.5,

  /** Retention of the Napter audit log: 24 h, or 366 days with the paid option. */
  auditLogRetentionMs: 24 * 60 * 60 * 1000,
  auditLogRetentionWithOptionMs: 366 * 24 * 60 * 60 * 1000,
  /**
   * `GET /audit_logs/napter` without `resource_id` returns the entries of every IMSI of the operator. The spec
   * makes `resource_type` and `resource_id` optional and its own example response lists entries of two
   * different IMSIs (getNapterAuditLogs, 200 example); what the unfiltered read returns is not described
   * further, so the simulator filters nothing and pages it like the per-IMSI read (newest first, same key).
   */
  auditLogWithoutResourceIdIsOperatorWide: true,
  /** Page size when `limit` is omitted, and the most one page returns. */
  auditLogDefaultPageSize: 100,
  auditLogMaxPageSize: 1000,
  portMappingDefaultPageSize: 100,
  searchSimsDefaultLimit: 10,
  searchSimsMaxLimit: 100,
  peekListDefaultLimit: 10,

  /**
   * Peek timing. The real delays are "seconds to minutes"; these keep tests short. The minimum duration
   * is the documented 60 s (the spec says 30). The download link is handed out once DONE and is valid
   * five minutes from the response that carried it. Stopping a CAPTURING session ends the capture now
   * and it is post-processed as usual (so a stopped capture can still be downloaded).
   */
  peekAcceptAfterMs: 2_000,
  peekCaptureStartsAfterMs: 5_000,
  peekPostProcessingMs: 5_000,
  peekMinDurationSec: 60,
  peekMaxDurationSec: 86_400,
  peekUrlValidMs: 5 * 60_000,
  /**
   * Peek `createdTime`/`startedTime`/`endedTime`: the spec says date-time strings, but every other
   * `…Time` of the SORACOM API is Unix ms and so, we believe, are these. Default epoch ms; the world
   * option `peekTimeFormat: 'iso-8601'` switches, so clients can be tested against both.
   */
  peekTimeFormat: 'epoch-ms' as 'epoch-ms' | 'iso-8601',

  /** Token lifetime bounds of POST /auth (D2). */
  tokenTimeoutDefaultSec: 86_400,
  tokenTimeoutMinSec: 180,
  tokenTimeoutMaxSec: 172_800,
  /**
   * Rate limit: per operator per operation (per caller IP for /auth), a fixed window. D3's sample shows
   * 1000 per 60 s. No Retry-After header (unconfirmed in the docs), only the X-Soracom-Ratelimit-* ones.
   */
  rateLimitPerWindow: 1000,
  rateLimitWindowMs: 60_000,
  sendRetryAfterHeader: false,
} as const;

/**
 * Error codes the simulator returns. Only AUM0001 ("Token is required in the request header") is seen
 * in a real sample; the others follow SORACOM's "3 letters + 4 digits" form and are made up.
 */
export const ERROR_CODES = {
  tokenMissing: { code: 'AUM0001', message: 'Token is required in the request header' },
  apiKeyMissing: { code: 'AUM0001', message: 'API key is required in the request header' },
  tokenInvalid: { code: 'AUM0002', message: 'Invalid API key or token' },
  tokenExpired: { code: 'AUM0003', message: 'The token has expired' },
  authFailed: { code: 'AUM0004', message: 'Invalid authKeyId or authKey' },
  badRequest: { code: 'COM0001', message: 'Bad request' },
  notFound: { code: 'COM0002', message: 'Not found' },
  rateLimited: { code: 'COM0029', message: 'Rate limit exceeded. Retry after the time given in X-Soracom-Ratelimit-Seconds-Before-Refresh' },
  simNotFound: { code: 'SEM0004', message: 'No such SIM' },
  subscriberNotFound: { code: 'SEM0005', message: 'No such subscriber' },
  portMappingNotFound: { code: 'NPT0001', message: 'No such port mapping' },
  portMappingInvalid: { code: 'NPT0002', message: 'Invalid port mapping request' },
  downlinkFailed: { code: 'SEM0100', message: 'Failed to communicate with the device' },
  peekNotFound: { code: 'PEK0001', message: 'No such packet capture session' },
  peekInvalid: { code: 'PEK0002', message: 'Invalid packet capture session request' },
  peekNotCapturing: { code: 'PEK0003', message: 'The packet capture session can be stopped only when its status is CAPTURING' },
} as const;

export type ErrorCodeName = keyof typeof ERROR_CODES;

/** A load balancer's error page: what injected 5xx return (text/plain, not the API's JSON). */
export const LOAD_BALANCER_BODIES: Readonly<Record<number, string>> = {
  500: 'Internal Server Error',
  502: '502 Bad Gateway',
  503: '503 Service Temporarily Unavailable',
  504: '504 Gateway Time-out',
};
