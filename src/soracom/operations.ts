/**
 * SORACOM's operationId for a call the client makes (the names SAM permissions and docs/deploy.md use), read
 * from its method and path; `other` for anything else, so that a metric label never carries an id from a path.
 */
const OPERATIONS: ReadonlyArray<readonly [method: string, path: RegExp, operation: string]> = [
  ['POST', /^\/auth$/, 'auth'],
  ['GET', /^\/port_mappings$/, 'listPortMappings'],
  ['POST', /^\/port_mappings$/, 'createPortMapping'],
  ['GET', /^\/port_mappings\/sims\/[^/]+$/, 'listPortMappingsForSim'],
  ['POST', /^\/port_mappings\/sims\/[^/]+$/, 'createPortMappingForSim'],
  ['GET', /^\/port_mappings\/subscribers\/[^/]+$/, 'listPortMappingsForSubscriber'],
  ['DELETE', /^\/port_mappings\/[^/]+\/[^/]+$/, 'deletePortMapping'],
  ['GET', /^\/audit_logs\/napter$/, 'getNapterAuditLogs'],
  ['GET', /^\/query\/sims$/, 'searchSims'],
  ['GET', /^\/sims\/[^/]+$/, 'getSim'],
  ['GET', /^\/subscribers\/[^/]+$/, 'getSubscriber'],
  ['POST', /^\/sims\/[^/]+\/downlink\/tcp$/, 'sendDownlinkTcp'],
  ['POST', /^\/sims\/[^/]+\/downlink\/http$/, 'sendDownlinkHttp'],
  ['POST', /^\/sims\/[^/]+\/downlink\/ping$/, 'sendDownlinkPing'],
  ['GET', /^\/sims\/[^/]+\/packet_capture_sessions$/, 'listSimPacketCaptureSessions'],
  ['POST', /^\/sims\/[^/]+\/packet_capture_sessions$/, 'createSimPacketCaptureSession'],
  ['GET', /^\/sims\/[^/]+\/packet_capture_sessions\/[^/]+$/, 'getSimPacketCaptureSession'],
  ['POST', /^\/sims\/[^/]+\/packet_capture_sessions\/[^/]+\/stop$/, 'stopSimPacketCaptureSession'],
];

export function operationOf(method: string, path: string): string {
  const bare = path.split('?')[0] ?? path;
  return OPERATIONS.find(([m, pattern]) => m === method && pattern.test(bare))?.[2] ?? 'other';
}
