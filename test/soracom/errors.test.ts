import { MappingDurationError, SoracomHttpError, SoracomValidationError, parseErrorBody, redactSecrets } from '../../src/soracom/errors';
import { NapterBotError } from '../../src/common/errors';

describe('parseErrorBody', () => {
  it('reads the usual {code,message} body', () => {
    expect(parseErrorBody('{"code":"AUM0001","message":"Token is required in the request header"}', 'application/json')).toEqual({
      code: 'AUM0001',
      message: 'Token is required in the request header',
    });
  });

  it('reads the APICallError {httpStatus,errorMessage} body', () => {
    const body = JSON.stringify({ httpStatus: 400, errorMessage: { code: 'AUM0007', message: 'Token expired' } });
    expect(parseErrorBody(body, 'application/json')).toEqual({ code: 'AUM0007', message: 'Token expired' });
  });

  it('reads plain text from a load balancer as UNK0001, on one short line', () => {
    const parsed = parseErrorBody('Service Unavailable\n\n  try later', 'text/plain');
    expect(parsed).toEqual({ code: 'UNK0001', message: 'Service Unavailable try later' });
  });

  it('does not copy an HTML page into the message', () => {
    const parsed = parseErrorBody('<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html');
    expect(parsed).toEqual({ code: 'UNK0001', message: '(HTML error page)' });
  });

  it('shortens a very long text body', () => {
    const parsed = parseErrorBody('x'.repeat(5000), 'text/plain');
    expect(parsed.message.length).toBeLessThanOrEqual(201);
  });

  it('names an empty body', () => {
    expect(parseErrorBody('  ', undefined)).toEqual({ code: undefined, message: '(empty body)' });
  });

  it('does not echo unknown JSON (it may hold anything)', () => {
    expect(parseErrorBody('{"secret":"s3cr3t"}', 'application/json')).toEqual({ code: undefined, message: '(unrecognised JSON error body)' });
  });
});

describe('redactSecrets', () => {
  it('removes every occurrence of every secret', () => {
    expect(redactSecrets('key=secret-abc token=tok-123 again secret-abc', ['secret-abc', 'tok-123', undefined])).toBe(
      'key=[redacted] token=[redacted] again [redacted]',
    );
  });

  it('ignores empty or tiny secrets that would mangle the text', () => {
    expect(redactSecrets('a b c', ['', 'a'])).toBe('a b c');
  });
});

describe('error family', () => {
  it('extends NapterBotError with a stable code, method and path', () => {
    const error = new SoracomHttpError('GET', '/sims/1', 503, 'UNK0001', 'busy');
    expect(error).toBeInstanceOf(NapterBotError);
    expect(error.code).toBe('SORACOM_HTTP_ERROR');
    expect(error.message).toBe('SORACOM GET /sims/1 failed with HTTP 503 UNK0001: busy');
    expect(error.name).toBe('SoracomHttpError');
  });

  it('MappingDurationError is a validation error that says the limit', () => {
    const error = new MappingDurationError('POST', '/port_mappings', 28_801, 28_800);
    expect(error).toBeInstanceOf(SoracomValidationError);
    expect(error.code).toBe('SORACOM_INVALID_REQUEST');
    expect(error.message).toContain('28800');
  });
});
