import { section } from '../../../src/slack/blocks/common';
import { maskAddressesInText } from '../../../src/domain/net/address';
import { chunkLines, packBlocks, tChannel } from '../../../src/slack/blocks/diagnosis-format';

describe('maskAddressesInText', () => {
  it('hides the host part of every address but leaves times and masked addresses alone', () => {
    const text = 'from 198.51.100.23 and 2001:db8:1:2::5 at 05:05:00 (already 203.0.113.x, 2001:db8:1::x) v1.2.3';
    expect(maskAddressesInText(text)).toBe('from 198.51.100.x and 2001:db8:1:x::x at 05:05:00 (already 203.0.113.x, 2001:db8:1::x) v1.2.3');
  });
});

describe('tChannel', () => {
  it('masks address parameters of a catalog message', () => {
    const text = tChannel('en', 'thread.confirmIp.fallback', { ip: '198.51.100.23' });
    expect(text).toContain('198.51.100.x');
    expect(text).not.toContain('198.51.100.23');
  });
});

describe('chunkLines', () => {
  it('keeps every chunk within the budget, starts with the heading and never splits a line', () => {
    const lines = Array.from({ length: 100 }, (_, index) => `line ${index} ${'x'.repeat(40)}`);
    const chunks = chunkLines(lines, 500, 'HEAD', 'MORE');
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((chunk) => chunk.length <= 500)).toBe(true);
    expect(chunks[0]?.startsWith('HEAD\n')).toBe(true);
    expect(chunks.slice(1).every((chunk) => chunk.startsWith('MORE\n'))).toBe(true);
    const rejoined = chunks.flatMap((chunk) => chunk.split('\n')).filter((line) => line !== 'HEAD' && line !== 'MORE');
    expect(rejoined).toEqual(lines);
  });

  it('cuts a single line longer than the budget', () => {
    const [chunk] = chunkLines(['y'.repeat(5000)], 2800);
    expect(chunk?.length).toBeLessThanOrEqual(2800);
  });
});

describe('packBlocks', () => {
  it('never puts more than 50 blocks or about 12k characters in one message', () => {
    const blocks = Array.from({ length: 130 }, (_, index) => section(`${index} ${'z'.repeat(index % 2 === 0 ? 10 : 2000)}`));
    const messages = packBlocks(blocks);
    expect(messages.flat()).toHaveLength(130);
    for (const message of messages) {
      expect(message.length).toBeLessThanOrEqual(50);
      expect(JSON.stringify(message).length).toBeLessThanOrEqual(12_000 + 2_100);
    }
  });
});
