import { buttonsOf } from '../../src/local/render';
import type { FakeEphemeral, FakeMessage, FakeSlack } from '../../src/slack-fake/index';
import type { MappingState } from '../../src/simulator/world-spec';
import type { Harness } from './harness';

/** What tests read back from the fake Slack, in a few lines each. */

/** The newest ephemeral the user sees in the channel (response_url replies included). */
export function latestEphemeral(slack: FakeSlack, userId: string, channelId?: string): FakeEphemeral {
  const all = slack.ephemerals({ userId, ...(channelId === undefined ? {} : { channelId }) });
  const latest = [...all].sort((a, b) => a.postedAtMs - b.postedAtMs || a.ts.localeCompare(b.ts)).pop();
  if (latest === undefined) throw new Error(`No ephemeral for ${userId}`);
  return latest;
}

export function textOf(message: { text: string; blocks: unknown[] }): string {
  return `${message.text}\n${JSON.stringify(message.blocks)}`;
}

/** The one-time IP page link in a message's buttons. */
export function captureUrlIn(message: { blocks: unknown[] }): string {
  const url = buttonsOf(message.blocks).find((button) => button.url?.includes('/napter/ip/'))?.url;
  if (url === undefined) throw new Error(`No IP capture link in ${JSON.stringify(message.blocks)}`);
  return url;
}

/** Every channel message and thread reply, in every version, with metadata: what the channel ever saw. */
export function everythingChannelsSaw(slack: FakeSlack): string {
  const parts: string[] = [];
  for (const channel of slack.workspace.channels) {
    for (const message of slack.channelMessages(channel.id)) {
      for (const one of [message, ...message.replies] as FakeMessage[]) {
        parts.push(JSON.stringify({ text: one.text, blocks: one.blocks, metadata: one.metadata }));
        for (const version of one.previousVersions) parts.push(JSON.stringify(version));
      }
    }
  }
  return parts.join('\n');
}

/** Fails when any channel ever saw the endpoint: its public IP, its public port, or its hostname. */
export function expectChannelsNeverSaw(slack: FakeSlack, endpoint: { ipAddress: string; port: number; hostname?: string | undefined }): void {
  const seen = everythingChannelsSaw(slack);
  expect(seen).not.toContain(endpoint.ipAddress);
  expect(seen).not.toMatch(new RegExp(`\\b${endpoint.port}\\b`));
  if (endpoint.hostname !== undefined) expect(seen).not.toContain(endpoint.hostname);
}

/** SORACOM calls that create a mapping. */
export function createCalls(h: Harness): number {
  return h.sim.requests.filter((request) => request.method === 'POST' && request.path.startsWith('/v1/port_mappings')).length;
}

/** Mappings the simulated SORACOM holds as active now (the demo world may already have some). */
export function activeWorldMappings(h: Harness): MappingState[] {
  const nowMs = h.clock.nowMs();
  return h.sim.world.state.mappings.filter((mapping) => mapping.end === 'active' && mapping.expiresAtMs > nowMs);
}

/** The button's message in the shape the driver's clickButton takes. */
export function clickable(message: FakeMessage | FakeEphemeral): { ts: string; channelId: string; ephemeral: boolean; blocks: unknown[] } {
  return { ts: message.ts, channelId: message.channelId, ephemeral: message.ephemeral, blocks: message.blocks };
}
