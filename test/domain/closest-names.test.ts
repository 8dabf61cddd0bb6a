import { closestNames, editDistance, nameSearchTerms } from '../../src/domain/closest-names';

describe('closest names, for "did you mean …"', () => {
  test('edit distance counts single-character edits', () => {
    expect(editDistance('gw-nagoya-10', 'gw-nagoya-01')).toBe(2);
    expect(editDistance('', 'ab')).toBe(2);
    expect(editDistance('same', 'same')).toBe(0);
  });

  test('the nearest names first, at most the count asked, none that is another name altogether', () => {
    const names = ['gw-nagoya-01', 'gw-nagoya-02', 'gw-osaka-01', 'pump-station-kobe', 'GW-NAGOYA-11', ''];
    expect(closestNames('gw-nagoya-10', names, 3)).toEqual(['GW-NAGOYA-11', 'gw-nagoya-01', 'gw-nagoya-02']);
    expect(closestNames('gw-nagoya-10', ['pump-station-kobe'], 3)).toEqual([]);
  });

  test('search terms are the name’s parts and its first half, each at least 2 characters, never a comma', () => {
    expect(nameSearchTerms('gw-nagoya-10')).toEqual(['gw', 'nagoya', '10', 'gw-nag']);
    expect(nameSearchTerms('x')).toEqual([]);
    expect(nameSearchTerms('名古屋ゲートウェイ')).toEqual(['名古屋ゲートウェイ', '名古屋ゲー']);
  });
});
