import { apiBaseUrl, endpointForCoverage } from '../../src/soracom/endpoint';

describe('endpoint', () => {
  it('maps coverage types to hosts', () => {
    expect(endpointForCoverage('jp')).toBe('https://api.soracom.io');
    expect(endpointForCoverage('g')).toBe('https://g.api.soracom.io');
  });

  it('appends /v1 exactly once', () => {
    expect(apiBaseUrl('https://api.soracom.io')).toBe('https://api.soracom.io/v1');
    expect(apiBaseUrl('https://api.soracom.io/v1/')).toBe('https://api.soracom.io/v1');
    expect(apiBaseUrl('http://127.0.0.1:4567/')).toBe('http://127.0.0.1:4567/v1');
  });

  it('refuses what is not an http(s) URL', () => {
    expect(() => apiBaseUrl('api.soracom.io')).toThrow(TypeError);
    expect(() => apiBaseUrl('ftp://api.soracom.io')).toThrow(/http or https/);
  });
});
