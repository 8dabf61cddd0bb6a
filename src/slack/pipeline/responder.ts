import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../blocks/common';
import { deliverPrivately, postToResponseUrl } from '../delivery';
import { slackFailureReason } from '../failure';

/** Slack takes at most five posts to one response_url within 30 minutes. */
const RESPONSE_URL_USES = 5;

/**
 * Replies to the person who asked, and to them alone: through the request's response_url while it takes posts,
 * then as an ephemeral in the channel, then as a DM (where the bot cannot post): the answer always arrives
 * somewhere. One per request, built by the pipeline.
 */
export interface Responder {
  /**
   * Replaces the message the request came from when that is the requester's own (their command's reply, or their
   * ephemeral they clicked in): "Reading…" → "Opening…" → the result. Otherwise a new message.
   */
  replace(message: SlackMessage): Promise<void>;
  /** A new message to the requester. */
  send(message: SlackMessage): Promise<void>;
  /** How many posts the response_url still takes. */
  remaining(): number;
  /** Whether progress lines make sense: each replaces the previous one (a command). */
  readonly showsProgress: boolean;
  /** The response_url that replaces the requester's own message, for work that answers later; never a channel message's. */
  readonly ownMessageUrl: string | undefined;
  /** The same replies, each a new message: for buttons whose message must stay as it is (a diagnosis, an open reply). */
  withoutReplacing(): Responder;
}

export interface ResponderTarget {
  readonly client: WebClient;
  readonly logger: Logger;
  readonly responseUrl: string | undefined;
  readonly channelId: string | undefined;
  readonly userId: string;
  /** The request came from a message a reply may replace (see `Responder.replace`). */
  readonly fromOwnMessage: boolean;
  readonly showsProgress: boolean;
}

export function createResponder(target: ResponderTarget): Responder {
  let used = 0;
  let urlWorks = target.responseUrl !== undefined;
  const post = async (message: SlackMessage, replace: boolean): Promise<void> => {
    if (urlWorks && target.responseUrl !== undefined && used < RESPONSE_URL_USES) {
      used += 1;
      try {
        await postToResponseUrl(target.responseUrl, message, replace);
        return;
      } catch (error) {
        urlWorks = false;
        target.logger.info('The response_url no longer takes posts; answering by ephemeral or DM', slackFailureReason(error));
      }
    }
    await deliverPrivately({ ...target, responseUrl: undefined, message });
  };
  const make = (replaces: boolean): Responder => ({
    replace: (message) => post(message, replaces),
    send: (message) => post(message, false),
    remaining: () => (urlWorks ? RESPONSE_URL_USES - used : 0),
    showsProgress: replaces && target.showsProgress,
    ownMessageUrl: replaces ? target.responseUrl : undefined,
    withoutReplacing: () => make(false),
  });
  return make(target.fromOwnMessage);
}
