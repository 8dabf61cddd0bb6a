import { ACTION_VALUE_SCHEMAS, decodeActionValue } from '../../../src/slack/action-value';
import { buildCaptureLink, buildCaptureProgress, type CaptureProgressView } from '../../../src/slack/blocks/peek';
import { ACTION_IDS } from '../../../src/slack/ids';
import { checkMessageBlocks } from '../../../src/slack-fake/block-kit-checks';

const base: CaptureProgressView = {
  peekId: 'peek-1',
  simText: '*gw-01* (`440101234567890`)',
  durationSec: 120,
  startedBy: 'U0CLICKER',
  status: 'CAPTURING',
  updatedAtMs: Date.UTC(2025, 10, 20),
  lang: 'en',
};

function buttonsOf(view: CaptureProgressView) {
  return buildCaptureProgress(view).blocks.flatMap((block) => (block.type === 'actions' ? (block.elements as { action_id: string; value?: string }[]) : []));
}

describe('buildCaptureProgress', () => {
  it('shows the status and no download button while capturing', () => {
    const message = buildCaptureProgress(base);
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(JSON.stringify(message)).toContain('capturing');
    expect(buttonsOf(base)).toEqual([]);
  });

  it('offers "Get download link" carrying only the peek id once DONE', () => {
    const [button] = buttonsOf({ ...base, status: 'DONE' });
    expect(button?.action_id).toBe(ACTION_IDS.downloadCapture);
    expect(decodeActionValue(ACTION_VALUE_SCHEMAS.peekRef, button?.value)).toEqual({ v: 1, peekId: 'peek-1' });
  });

  it('says why a capture failed, and localises the status', () => {
    expect(JSON.stringify(buildCaptureProgress({ ...base, status: 'FAILED', failedReason: 'device offline' }))).toContain('device offline');
    expect(JSON.stringify(buildCaptureProgress({ ...base, status: 'CAPTURING', lang: 'ja' }))).toContain('キャプチャ中');
    expect(JSON.stringify(buildCaptureProgress({ ...base, status: 'SOMETHING_NEW' }))).toContain('SOMETHING_NEW');
  });

  it('carries the diagnosis metadata it is given', () => {
    const metadata = { event_type: 'napter_diagnosis', event_payload: { verdict: 'healthy' } };
    expect(buildCaptureProgress({ ...base, metadata }).metadata).toEqual(metadata);
  });
});

describe('buildCaptureLink', () => {
  it('puts the link in the message for the clicker', () => {
    const message = buildCaptureLink('en', 'https://peek.example/x.pcap?sig=1');
    expect(checkMessageBlocks(message.blocks)).toEqual([]);
    expect(message.text).toContain('https://peek.example/x.pcap?sig=1');
  });
});
