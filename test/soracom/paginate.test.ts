import { nextKeyFromLinkHeader, nextPageKey } from '../../src/soracom/paginate';

describe('nextKeyFromLinkHeader', () => {
  it('reads last_evaluated_key from rel=next', () => {
    expect(nextKeyFromLinkHeader('</v1/port_mappings?last_evaluated_key=abc%2F1&limit=10>; rel=next')).toBe('abc/1');
  });

  it('picks next among prev and next, quoted or not', () => {
    const header = '<https://api.soracom.io/v1/sims?last_evaluated_key=p1>; rel="prev", <https://api.soracom.io/v1/sims?last_evaluated_key=n2>; rel="next"';
    expect(nextKeyFromLinkHeader(header)).toBe('n2');
  });

  it('is undefined with only rel=prev, an empty header, or a link without the key', () => {
    expect(nextKeyFromLinkHeader('</v1/sims?last_evaluated_key=p1>; rel=prev')).toBeUndefined();
    expect(nextKeyFromLinkHeader('')).toBeUndefined();
    expect(nextKeyFromLinkHeader(undefined)).toBeUndefined();
    expect(nextKeyFromLinkHeader('</v1/sims?limit=3>; rel=next')).toBeUndefined();
  });

  it('keeps commas inside the URL', () => {
    expect(nextKeyFromLinkHeader('</v1/x?last_evaluated_key=a,b>; rel=next')).toBe('a,b');
  });
});

describe('nextPageKey', () => {
  it('prefers x-soracom-next-key', () => {
    expect(nextPageKey({ 'x-soracom-next-key': 'k1', link: '</v1/x?last_evaluated_key=k2>; rel=next' })).toBe('k1');
  });

  it('falls back to the link header', () => {
    expect(nextPageKey({ link: '</v1/x?last_evaluated_key=k2>; rel=next' })).toBe('k2');
  });

  it('treats an empty next key as the last page', () => {
    expect(nextPageKey({ 'x-soracom-next-key': '' })).toBeUndefined();
    expect(nextPageKey({})).toBeUndefined();
  });
});
