import { classifyDownlinkFailure, probePlanFor, protocolForPort, RDP_X224_CONNECTION_REQUEST_HEX } from '../../src/domain/probe';

describe('speaking the device port’s protocol', () => {
  test('the protocol comes from the user’s word, then the configured table, then the guide’s default ports', () => {
    expect(protocolForPort(22)).toBe('ssh');
    expect(protocolForPort(443)).toBe('https');
    expect(protocolForPort(2222)).toBeUndefined();
    expect(protocolForPort(2222, { protocolsByPort: { 2222: 'ssh' } })).toBe('ssh');
    expect(protocolForPort(2222, { intent: { devicePort: 2222, protocol: 'vnc' }, protocolsByPort: { 2222: 'ssh' } })).toBe('vnc');
    // The user's word is about the port they named, not another one.
    expect(protocolForPort(80, { intent: { devicePort: 2222, protocol: 'ssh' } })).toBe('http');
    // "tcp" (a bare port number in the open command) says nothing the default port does not.
    expect(protocolForPort(22, { intent: { devicePort: 22, protocol: 'tcp' } })).toBe('ssh');
    expect(protocolForPort(undefined)).toBeUndefined();
  });

  test('each protocol gets the request its server answers; silence proves something only where an answer is due', () => {
    expect(probePlanFor('ssh')).toMatchObject({ api: 'tcp', method: 'tcp-wait-first', payload: '', expectsAnswer: true });
    expect(probePlanFor('vnc')).toMatchObject({ api: 'tcp', payload: '', expectsAnswer: true });
    expect(probePlanFor('rdp')).toMatchObject({ api: 'tcp', method: 'tcp-rdp-x224', payload: RDP_X224_CONNECTION_REQUEST_HEX, payloadEncoding: 'hex' });
    expect(probePlanFor('http')).toEqual({ api: 'http', method: 'http', ssl: false, httpMethod: 'HEAD', path: '/' });
    expect(probePlanFor('https')).toEqual({ api: 'http', method: 'https', ssl: true, httpMethod: 'HEAD', path: '/' });
    expect(probePlanFor(undefined)).toMatchObject({ api: 'tcp', payload: '', expectsAnswer: false });
    expect(probePlanFor('tcp')).toMatchObject({ expectsAnswer: false });
  });

  test('the X.224 Connection Request is a well-formed TPKT of its own length', () => {
    const bytes = Buffer.from(RDP_X224_CONNECTION_REQUEST_HEX, 'hex');
    expect(bytes[0]).toBe(3);
    expect(bytes.readUInt16BE(2)).toBe(bytes.length);
    expect(bytes[5]).toBe(0xe0);
  });

  test.each([
    ['back after a round trip', 130, 5000, 'connection refused', 'refused'],
    ['after the whole wait', 5000, 5000, 'whatever SORACOM says', 'no-answer'],
    ['a little before the wait ends (clocks differ)', 4400, 5000, 'x', 'no-answer'],
    ['a slow refusal on a one-second wait', 300, 1000, 'x', 'refused'],
    ['early, but SORACOM says it timed out', 10, 5000, 'Timed out waiting for data', 'no-answer'],
    ['early, saying the device closed before any data', 10, 5000, 'The device closed the connection before sending any data', 'refused'],
  ] as const)('a 422 %s is %s', (_name, elapsedMs, waitMs, message, reading) => {
    expect(classifyDownlinkFailure({ elapsedMs, waitMs, message })).toBe(reading);
  });
});
