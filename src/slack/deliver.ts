import type { WebClient } from '@slack/web-api';
import type { Logger, RespondArguments, RespondFn } from '@slack/bolt';
import type { SlackMessage } from './blocks/common';
import { slackErrorCode } from './error-handler';

/**
 * Getting a message to one person, wherever they ran the command. The response_url works even where the
 * bot is not a member, but only 5 times in 30 minutes; postEphemeral needs the bot in the channel; a DM
 * (the app's Messages tab) always works. Each is tried in that order.
 */
export type PrivateRoute = 'response_url' | 'ephemeral' | 'dm' | 'failed';

/** The body every reply through a response_url has: ephemeral, and without metadata, which Slack ignores there. */
export function ephemeralResponse(message: SlackMessage, replaceOriginal: boolean): RespondArguments {
  return { response_type: 'ephemeral', replace_original: replaceOriginal, text: message.text, blocks: message.blocks };
}

async function postToResponseUrl(responseUrl: string, message: SlackMessage, options: { readonly replaceOriginal: boolean }): Promise<boolean> {
  try {
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ephemeralResponse(message, options.replaceOriginal)),
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

export async function deliverPrivately(options: {
  readonly client: WebClient;
  readonly logger: Logger;
  readonly responseUrl: string | undefined;
  readonly channelId: string;
  readonly userId: string;
  readonly message: SlackMessage;
  readonly replaceOriginal: boolean;
}): Promise<PrivateRoute> {
  const { client, message } = options;
  if (options.responseUrl !== undefined && (await postToResponseUrl(options.responseUrl, message, { replaceOriginal: options.replaceOriginal }))) {
    return 'response_url';
  }
  try {
    await client.chat.postEphemeral({ channel: options.channelId, user: options.userId, text: message.text, blocks: message.blocks });
    return 'ephemeral';
  } catch (error) {
    options.logger.debug('postEphemeral failed; trying a DM', slackErrorCode(error));
  }
  try {
    await client.chat.postMessage({ channel: options.userId, text: message.text, blocks: message.blocks });
    return 'dm';
  } catch (error) {
    options.logger.warn('Could not reach the user by response_url, ephemeral or DM', options.userId, slackErrorCode(error));
    return 'failed';
  }
}

/**
 * A command's `respond` that still reaches the requester when its response_url does not work any more (expired,
 * used up, Slack refusing it): from the first failure on, each message goes as an ephemeral in the channel, or a
 * DM where the bot cannot post, so that the command's final answer always arrives somewhere.
 */
export function respondOrDeliver(
  respond: RespondFn,
  fallback: { readonly client: WebClient; readonly logger: Logger; readonly channelId: string; readonly userId: string },
): RespondFn {
  let responseUrlWorks = true;
  return async (message) => {
    if (responseUrlWorks) {
      try {
        return await respond(message);
      } catch (error) {
        responseUrlWorks = false;
        fallback.logger.info(
          'The response_url no longer takes posts; answering by ephemeral or DM',
          slackErrorCode(error) ?? (error instanceof Error ? error.message : 'unknown'),
        );
      }
    }
    const args = typeof message === 'string' ? { text: message } : message;
    const route = await deliverPrivately({
      client: fallback.client,
      logger: fallback.logger,
      responseUrl: undefined,
      channelId: fallback.channelId,
      userId: fallback.userId,
      message: { text: args.text ?? '', blocks: ('blocks' in args && Array.isArray(args.blocks) ? args.blocks : []) as SlackMessage['blocks'] },
      replaceOriginal: false,
    });
    if (route === 'failed') throw new Error('Could not reach the requester by response_url, ephemeral or DM');
    return undefined as unknown as Awaited<ReturnType<RespondFn>>;
  };
}

export type ChannelPost = { readonly ok: true; readonly ts: string } | { readonly ok: false; readonly reason: string };

/**
 * Posts in the channel. Whatever stops it comes back as a value: `not_in_channel` / `channel_not_found` for
 * the invite hint, and Slack being down or rate-limiting the bot as well, so that what matters more (the
 * requester's own answer) still goes out.
 */
export async function postInChannel(client: WebClient, channelId: string, message: SlackMessage): Promise<ChannelPost> {
  try {
    const result = await client.chat.postMessage({
      channel: channelId,
      text: message.text,
      blocks: message.blocks,
      ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
    });
    return typeof result.ts === 'string' ? { ok: true, ts: result.ts } : { ok: false, reason: 'no_ts' };
  } catch (error) {
    return { ok: false, reason: slackFailureReason(error) };
  }
}

/** Slack's error code, or what kept the call from Slack (`http_503`, `unreachable`). */
export function slackFailureReason(error: unknown): string {
  const code = slackErrorCode(error);
  if (code !== undefined) return code;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? `http_${status}` : 'unreachable';
}
