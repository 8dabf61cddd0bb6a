import { z } from 'zod';

/** What every request the pipeline handles is, before any listener reads its payload. */
export interface SlackRequest {
  readonly kind: 'command' | 'action' | 'view';
  /** The slash command, the action_id, or the modal's callback_id: the listener it goes to. */
  readonly name: string;
  readonly teamId: string;
  readonly userId: string;
  /** Where it came from; a modal's submission has no channel. */
  readonly channelId: string | undefined;
  /** One per user action; a redelivery of the same action carries the same. */
  readonly triggerId: string;
  /** Replies to the requester alone (five within 30 minutes); none for a modal's submission. */
  readonly responseUrl: string | undefined;
  /** A command's reply, or a click on the clicker's own ephemeral: a message a reply may replace in place. */
  readonly fromOwnMessage: boolean;
  readonly receivedAtMs: number;
}

const ID = z.string().min(1);
const COMMAND = z.object({ command: ID, team_id: ID, user_id: ID, channel_id: ID, trigger_id: ID, response_url: z.string().optional() });
const INTERACTION = z.object({
  type: z.enum(['block_actions', 'view_submission']),
  trigger_id: ID,
  user: z.object({ id: ID, team_id: z.string().optional() }),
  team: z.object({ id: ID }).nullish(),
  channel: z.object({ id: ID }).nullish(),
  container: z.object({ is_ephemeral: z.boolean().optional() }).loose().nullish(),
  response_url: z.string().optional(),
  actions: z.array(z.object({ action_id: ID })).optional(),
  view: z.object({ callback_id: z.string() }).loose().optional(),
});

/** The request a Slack payload carries, or undefined for what the pipeline does not handle (events, options). */
export function describeRequest(body: unknown, receivedAtMs: number): SlackRequest | undefined {
  const command = COMMAND.safeParse(body);
  if (command.success) {
    const { data } = command;
    return {
      kind: 'command',
      name: data.command,
      teamId: data.team_id,
      userId: data.user_id,
      channelId: data.channel_id,
      triggerId: data.trigger_id,
      responseUrl: data.response_url || undefined,
      fromOwnMessage: true,
      receivedAtMs,
    };
  }
  const interaction = INTERACTION.safeParse(body);
  if (!interaction.success) return undefined;
  const { data } = interaction;
  const name = data.type === 'view_submission' ? data.view?.callback_id : data.actions?.[0]?.action_id;
  if (name === undefined) return undefined;
  return {
    kind: data.type === 'view_submission' ? 'view' : 'action',
    name,
    teamId: data.team?.id ?? data.user.team_id ?? '',
    userId: data.user.id,
    channelId: data.channel?.id,
    triggerId: data.trigger_id,
    responseUrl: data.response_url || undefined,
    fromOwnMessage: data.container?.is_ephemeral === true,
    receivedAtMs,
  };
}
