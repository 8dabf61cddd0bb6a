import type { Logger, RespondFn } from '@slack/bolt';
import type { SlackMessage } from '../../blocks/common';
import type { Responder } from '../../diagnosis-flow';
import { ephemeralResponse } from '../../deliver';
import { slackErrorCode } from '../../error-handler';

/** Slack takes at most five posts to one response_url within 30 minutes. */
const RESPONSE_URL_USES = 5;

/**
 * Ephemeral replies through a response_url, counting its uses. `canReplace` is true only where the
 * original is the requester's own ephemeral (a command's reply, a click on an ephemeral): replacing a
 * channel message through a click's response_url would rewrite it for everyone.
 */
export function createResponder(respond: RespondFn, options: { readonly canReplace: boolean; readonly logger: Logger }): Responder {
  let used = 0;
  const post = async (message: SlackMessage, replace: boolean): Promise<void> => {
    if (used >= RESPONSE_URL_USES) {
      options.logger.warn('response_url used up; a reply to the user was dropped');
      return;
    }
    used += 1;
    try {
      await respond(ephemeralResponse(message, replace));
    } catch (error) {
      options.logger.warn('response_url post failed', slackErrorCode(error) ?? (error instanceof Error ? error.message : 'unknown'));
    }
  };
  return {
    replace: (message) => post(message, options.canReplace),
    send: (message) => post(message, false),
    remaining: () => RESPONSE_URL_USES - used,
    // A click on a channel message cannot replace its own progress line: it shows none rather than a pile of notices.
    showsProgress: options.canReplace,
  };
}
