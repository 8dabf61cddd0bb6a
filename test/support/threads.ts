import type { FakeEphemeral, FakeMessage } from '../../src/slack-fake/index';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../src/slack/ids';
import type { Harness } from './harness';

/** Reading the diagnosis side of the fake Slack: parents carrying diagnosis metadata, and their threads. */

export function diagnosisParents(h: Harness, channelId: string): FakeMessage[] {
  return h.slack.channelMessages(channelId).filter((message) => message.metadata?.event_type === METADATA_EVENT_TYPES.diagnosis);
}

export function onlyParent(h: Harness, channelId: string): FakeMessage {
  const parents = diagnosisParents(h, channelId);
  if (parents.length !== 1) throw new Error(`Expected one diagnosis parent in ${channelId}, found ${parents.length}`);
  return parents[0] as FakeMessage;
}

export function payloadOf(message: { metadata?: { event_payload: Record<string, unknown> } | undefined }): Record<string, unknown> {
  const payload = message.metadata?.event_payload;
  if (payload === undefined) throw new Error('Message without metadata');
  return payload;
}

/** The thread reply holding a button with this action id (the last one when several do). */
export function replyWithButton(parent: FakeMessage, actionId: string): FakeMessage {
  const reply = [...parent.replies].reverse().find((candidate) => JSON.stringify(candidate.blocks).includes(`"${actionId}"`));
  if (reply === undefined) throw new Error(`No thread reply with ${actionId}`);
  return reply;
}

/** The value of the first button with this action id in a message. */
export function buttonValue(message: { blocks: unknown[] }, actionId: string): string {
  for (const block of message.blocks as { type?: string; elements?: { action_id?: string; value?: string }[] }[]) {
    for (const element of block.elements ?? []) {
      if (element.action_id === actionId && element.value !== undefined) return element.value;
    }
  }
  throw new Error(`No button ${actionId}`);
}

/** The user opens demo-healthy from a typed address; returns her private open reply, the one with the Diagnose button. */
export async function openReplyWithDiagnoseButton(h: Harness, userId: string, channelId: string): Promise<FakeEphemeral> {
  await h.driver.command('open demo-healthy ssh from 203.0.113.5', { userId, channelId });
  await h.settle();
  const reply = h.slack.ephemerals({ userId, channelId }).find((candidate) => JSON.stringify(candidate.blocks).includes(ACTION_IDS.diagnoseMapping));
  if (reply === undefined) throw new Error('The open reply with a Diagnose button never reached the requester');
  return reply;
}
