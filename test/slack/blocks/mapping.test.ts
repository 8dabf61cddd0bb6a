import { ACTION_VALUE_SCHEMAS, decodeActionValue } from '../../../src/slack/action-value';
import { buttonsOf } from '../../../src/local/render';
import { connectCommand } from '../../../src/domain/port-mapping';
import { mappingCardMessage, mappingListMessage, mappingResultMessage } from '../../../src/slack/blocks/mapping';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../../src/slack/ids';
import { STORED_MAPPING } from './fixtures';
import type { PortMapping } from '../../../src/domain/soracom';

const mapping = STORED_MAPPING;

const everything = (value: unknown) => JSON.stringify(value);

describe('connectCommand', () => {
  it('builds a ready-to-copy command per protocol, with the public port and host', () => {
    expect(connectCommand(mapping, undefined)).toBe('ssh -p 40123 <user>@p-abc123.napter.soracom.io');
    expect(connectCommand(mapping, 'pi')).toBe('ssh -p 40123 pi@p-abc123.napter.soracom.io');
    expect(connectCommand({ ...mapping, devicePort: 443 }, undefined)).toBe('https://p-abc123.napter.soracom.io:40123');
    expect(connectCommand({ ...mapping, devicePort: 80 }, undefined)).toBe('http://p-abc123.napter.soracom.io:40123');
    expect(connectCommand({ ...mapping, devicePort: 80, tlsRequired: true }, undefined)).toBe('https://p-abc123.napter.soracom.io:40123');
    expect(connectCommand({ ...mapping, devicePort: 3389 }, undefined)).toBe('mstsc /v:p-abc123.napter.soracom.io:40123');
    expect(connectCommand({ ...mapping, devicePort: 5900 }, undefined)).toBe('p-abc123.napter.soracom.io::40123');
  });

  it('falls back to the IP address when SORACOM gave no hostname', () => {
    expect(connectCommand({ ...mapping, hostname: undefined }, 'pi')).toBe('ssh -p 40123 pi@198.51.100.77');
  });
});

describe('the requester reply', () => {
  it('has the endpoint, a Slack date token for the expiry, the command and the three buttons', () => {
    const message = mappingResultMessage('en', { mapping, simLabel: 'gw-tokyo', sshUser: 'pi' }, 'created');
    const json = everything(message);
    expect(json).toContain('p-abc123.napter.soracom.io:40123');
    expect(json).toContain(`<!date^${mapping.expiresAtMs / 1000}^`);
    expect(json).toContain('ssh -p 40123 pi@p-abc123.napter.soracom.io');
    expect(buttonsOf(message.blocks).map((button) => button.actionId)).toEqual([ACTION_IDS.diagnoseMapping, ACTION_IDS.closeNow, ACTION_IDS.openAgain]);
  });

  it('carries only the store id in button values', () => {
    const message = mappingResultMessage('ja', { mapping, simLabel: 'gw-tokyo', sshUser: undefined }, 'reused');
    const values = message.blocks
      .flatMap((block) => (block.type === 'actions' ? (block.elements as Array<{ value?: string }>) : []))
      .map((element) => element.value);
    expect(values).toHaveLength(3);
    for (const value of values) {
      expect(decodeActionValue(ACTION_VALUE_SCHEMAS.mappingRef, value)).toEqual({ v: 1, mappingId: 'map-1' });
    }
  });
});

describe('the channel card', () => {
  it.each(['en', 'ja'] as const)('never contains the public IP, port or hostname (%s), open or closed', (lang) => {
    const open = mappingCardMessage(lang, { mapping, simLabel: 'gw-tokyo' }, { kind: 'open' });
    const closed = mappingCardMessage(lang, { mapping, simLabel: 'gw-tokyo' }, { kind: 'closed', byUserId: 'U0ADMIN', atMs: mapping.createdAtMs + 60_000 });
    for (const card of [open, closed]) {
      const json = everything(card);
      expect(json).not.toContain('198.51.100.77');
      expect(json).not.toMatch(/\b40123\b/);
      expect(json).not.toContain('napter.soracom.io');
      expect(json).not.toContain('203.0.113.5');
      expect(card.metadata.event_type).toBe(METADATA_EVENT_TYPES.mappingCard);
    }
    expect(everything(open)).toContain('<@U0ALICE>');
    expect(everything(closed)).toContain('<@U0ADMIN>');
    expect(closed.metadata.event_payload['state']).toBe('closed');
  });
});

describe('the list', () => {
  const portMapping: PortMapping = {
    ipAddress: mapping.ipAddress,
    port: mapping.port,
    endpoint: `${mapping.ipAddress}:${mapping.port}`,
    hostname: mapping.hostname,
    destination: { imsi: undefined, simId: mapping.simId, port: 22, strategy: undefined },
    sourceIpRanges: ['203.0.113.5/32'],
    durationSec: 1800,
    tlsRequired: false,
    createdAtMs: mapping.createdAtMs,
    expiresAtMs: mapping.expiresAtMs,
    expired: false,
    placement: undefined,
  };
  const items = [{ mapping: portMapping, stored: mapping, simName: 'gw-tokyo', sim: undefined, simId: mapping.simId, imsi: undefined }];

  it('shows the endpoint to the one who opened it', () => {
    expect(everything(mappingListMessage('en', items, { userId: 'U0ALICE', isAdmin: false }, undefined))).toContain('p-abc123.napter.soracom.io:40123');
  });

  it('hides the endpoint and source from someone else, and offers them no buttons', () => {
    const message = mappingListMessage('en', items, { userId: 'U0HANAKO', isAdmin: false }, undefined);
    const json = everything(message);
    expect(json).not.toContain('napter.soracom.io');
    expect(json).not.toContain('203.0.113.5');
    expect(buttonsOf(message.blocks)).toEqual([]);
    expect(json).toContain('<@U0ALICE>');
  });

  it('shows everything to an admin', () => {
    expect(everything(mappingListMessage('en', items, { userId: 'U0ADMIN', isAdmin: true }, undefined))).toContain('203.0.113.5/32');
  });
});
