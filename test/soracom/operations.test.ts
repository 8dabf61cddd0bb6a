import { operationOf } from '../../src/soracom/operations';

describe('operationOf', () => {
  it.each([
    ['POST', '/auth', 'auth'],
    ['GET', '/port_mappings', 'listPortMappings'],
    ['GET', '/port_mappings/sims/8981100000000000000', 'listPortMappingsForSim'],
    ['POST', '/port_mappings/sims/8981100000000000000', 'createPortMappingForSim'],
    ['GET', '/port_mappings/subscribers/440101234567890', 'listPortMappingsForSubscriber'],
    ['DELETE', '/port_mappings/192.0.2.10/40123', 'deletePortMapping'],
    ['GET', '/audit_logs/napter?from=1&to=2', 'getNapterAuditLogs'],
    ['GET', '/query/sims', 'searchSims'],
    ['GET', '/sims/8981100000000000000', 'getSim'],
    ['GET', '/subscribers/440101234567890', 'getSubscriber'],
    ['POST', '/sims/8981100000000000000/downlink/tcp', 'sendDownlinkTcp'],
    ['POST', '/sims/8981100000000000000/downlink/http', 'sendDownlinkHttp'],
    ['POST', '/sims/8981100000000000000/downlink/ping', 'sendDownlinkPing'],
    ['GET', '/sims/8981100000000000000/packet_capture_sessions', 'listSimPacketCaptureSessions'],
    ['POST', '/sims/8981100000000000000/packet_capture_sessions', 'createSimPacketCaptureSession'],
    ['GET', '/sims/8981100000000000000/packet_capture_sessions/abc', 'getSimPacketCaptureSession'],
    ['POST', '/sims/8981100000000000000/packet_capture_sessions/abc/stop', 'stopSimPacketCaptureSession'],
  ])('%s %s is %s', (method, path, operation) => {
    expect(operationOf(method, path)).toBe(operation);
  });

  it('names anything else `other`, never a path with its ids', () => {
    expect(operationOf('PUT', '/sims/8981100000000000000/tags')).toBe('other');
    expect(operationOf('GET', '/port_mappings/192.0.2.10/40123')).toBe('other');
  });
});
