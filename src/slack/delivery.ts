import type { Logger, RespondArguments } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from './blocks/common';
import { slackFailureReason } from './failure';

/** The body of every reply through a response_url: ephemeral, and without metadata, which Slack ignores there. */
export function ephemeralResponse(message: SlackMessage, replaceOriginal: boolean): RespondArguments {
  return { response_type: 'ephemeral', replace_original: replaceOriginal, text: message.text, blocks: message.blocks };
}

/** Posts through a response_url; throws when Slack does not take it (expired, used up, refused, unreachable). */
export async function postToResponseUrl(responseUrl: string, message: SlackMessage, replaceOriginal: boolean): Promise<void> {
  const response = await fetch(responseUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ephemeralResponse(message, replaceOriginal)),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw Object.assign(new Error(`response_url answered HTTP ${response.status}: ${text.slice(0, 100)}`), { statusCode: response.status });
}

export type PrivateRoute = 'response_url' | 'ephemeral' | 'dm' | 'failed';

/**
 * Gets a message to one person wherever they asked: the response_url (it works where the bot is not a member, but
 * only 5 times in 30 minutes), an ephemeral in the channel (the bot must be in it), else a DM, which always works.
 */
export async function deliverPrivately(options: {
  readonly client: WebClient;
  readonly logger: Logger;
  readonly responseUrl: string | undefined;
  readonly channelId: string | undefined;
  readonly userId: string;
  readonly message: SlackMessage;
}): Promise<PrivateRoute> {
  const { client, message } = options;
  if (options.responseUrl !== undefined) {
    try {
      await postToResponseUrl(options.responseUrl, message, true);
      return 'response_url';
    } catch (error) {
      options.logger.debug('response_url failed; trying an ephemeral', slackFailureReason(error));
    }
  }
  if (options.channelId !== undefined) {
    try {
      await client.chat.postEphemeral({ channel: options.channelId, user: options.userId, text: message.text, blocks: message.blocks });
      return 'ephemeral';
    } catch (error) {
      options.logger.debug('postEphemeral failed; trying a DM', slackFailureReason(error));
    }
  }
  try {
    await client.chat.postMessage({ channel: options.userId, text: message.text, blocks: message.blocks });
    return 'dm';
  } catch (error) {
    options.logger.warn('Could not reach the user by response_url, ephemeral or DM', options.userId, slackFailureReason(error));
    return 'failed';
  }
}

export type ChannelPost = { readonly ok: true; readonly ts: string } | { readonly ok: false; readonly reason: string };

/**
 * Posts in a channel (or a thread). Whatever stops it comes back as a value: `not_in_channel` / `channel_not_found`
 * for the invite hint, and Slack being down or rate-limiting the bot as well, so that what matters more (the
 * requester's own answer) still goes out.
 */
export async function postInChannel(client: WebClient, channelId: string, message: SlackMessage, threadTs?: string): Promise<ChannelPost> {
  try {
    const result = await client.chat.postMessage({ channel: channelId, ...(threadTs === undefined ? {} : { thread_ts: threadTs }), ...message });
    return typeof result.ts === 'string' ? { ok: true, ts: result.ts } : { ok: false, reason: 'no_ts' };
  } catch (error) {
    return { ok: false, reason: slackFailureReason(error) };
  }
}
