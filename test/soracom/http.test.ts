import { rateLimitStateOf } from '../../src/soracom/http';

describe('rateLimitStateOf', () => {
  it.each([
    [
      { 'x-soracom-ratelimit-limit': '1000', 'x-soracom-ratelimit-remaining': '999', 'x-soracom-ratelimit-seconds-before-refresh': '60' },
      { limit: 1000, remaining: 999, secondsBeforeRefresh: 60 },
    ],
    [{ 'x-soracom-ratelimit-remaining': '0' }, { limit: undefined, remaining: 0, secondsBeforeRefresh: undefined }],
    [
      { 'x-soracom-ratelimit-limit': 'lots', 'x-soracom-ratelimit-remaining': '-1', 'x-soracom-ratelimit-seconds-before-refresh': ' ' },
      { limit: undefined, remaining: undefined, secondsBeforeRefresh: undefined },
    ],
    [{}, { limit: undefined, remaining: undefined, secondsBeforeRefresh: undefined }],
  ])('%j → %j', (headers, expected) => {
    expect(rateLimitStateOf(headers)).toEqual(expected);
  });
});
