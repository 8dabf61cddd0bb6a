import { echoToken, normaliseUserText, tokenise, unwrapSlackMarkup } from '../../../src/domain/command/normalise';

describe('normaliseUserText', () => {
  test.each([
    ['／ｎａｐｔｅｒ　ｏｐｅｎ', '/napter open'],
    ['ｇｗー０１', 'gw-01'],
    ['ゲートウェー', 'ゲートウェー'],
    ['２０３．０．１１３．５：４０１２３', '203.0.113.5:40123'],
    ['gw\u200B-01\uFEFF', 'gw-01'],
    ['open\tgw-01\nssh', 'open gw-01 ssh'],
    ['−30m', '-30m'],
    ['open gw-01、ssh', 'open gw-01 ssh'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseUserText(input)).toBe(expected);
  });
});

describe('unwrapSlackMarkup', () => {
  test.each([
    ['<https://abcd.napter.soracom.io:40001|abcd.napter.soracom.io:40001>', 'abcd.napter.soracom.io:40001'],
    ['<http://example.com>', 'example.com'],
    ['&lt;sim&gt; &amp;', '<sim> &'],
  ])('%j → %j', (input, expected) => {
    expect(unwrapSlackMarkup(input)).toBe(expected);
  });
});

describe('tokenise', () => {
  test('splits on white space and keeps quoted runs whole, in ASCII and Japanese quotes', () => {
    expect(tokenise('open  "my  pi" “x y” 「工場 1」 rdp')).toEqual([
      { text: 'open', quoted: false },
      { text: 'my pi', quoted: true },
      { text: 'x y', quoted: true },
      { text: '工場 1', quoted: true },
      { text: 'rdp', quoted: false },
    ]);
  });

  test('an unclosed quote runs to the end; an empty one is dropped', () => {
    expect(tokenise('open "my pi')).toEqual([
      { text: 'open', quoted: false },
      { text: 'my pi', quoted: true },
    ]);
    expect(tokenise('open "" x')).toEqual([
      { text: 'open', quoted: false },
      { text: 'x', quoted: false },
    ]);
  });
});

describe('echoToken', () => {
  test('drops backticks, angle brackets, ampersands and invisible characters, and clips', () => {
    expect(echoToken('`<!here>`&\u0007x')).toBe('!herex');
    expect(echoToken('a'.repeat(100))).toHaveLength(40);
    expect(echoToken('a'.repeat(100)).endsWith('…')).toBe(true);
  });
});
