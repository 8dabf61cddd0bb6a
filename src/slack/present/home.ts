import type { WebClient } from '@slack/web-api';
import { homeFor } from '../../use-cases/home';
import { homeView } from '../blocks/home';
import type { SlackDeps } from '../deps';
import { slackFailureReason } from '../failure';

/**
 * Republishes a person's App Home tab (views.publish) when something it shows changed: an open, a close, an
 * extend, a mapping that ended. Anything that changes a mapping calls `refreshHome` (when present); it never
 * throws, and refreshes of one person run one after another so that the last published view is the newest.
 */
export interface HomeRefresher {
  refreshHome(teamId: string, userId: string): Promise<void>;
  /** The app's Web API client, once the app exists; until then a refresh does nothing. */
  attach(client: WebClient): void;
}

export function createHomeRefresher(deps: () => SlackDeps): HomeRefresher {
  let client: WebClient | undefined;
  const queues = new Map<string, Promise<void>>();
  return {
    attach(attached) {
      client = attached;
    },
    refreshHome(teamId, userId) {
      const current = client;
      if (current === undefined) return Promise.resolve();
      const key = `${teamId}:${userId}`;
      const next = (queues.get(key) ?? Promise.resolve()).then(() => publishHome(deps(), current, teamId, userId));
      queues.set(key, next);
      return next.finally(() => {
        if (queues.get(key) === next) queues.delete(key);
      });
    },
  };
}

/** Builds and publishes one viewer's Home tab; a failure is logged, not thrown (the tab shows the last one). */
export async function publishHome(deps: SlackDeps, client: WebClient, teamId: string, userId: string): Promise<void> {
  try {
    const actor = await deps.actors.resolve(client, { teamId, userId, channelId: undefined });
    const content = await homeFor(deps, actor);
    await client.views.publish({ user_id: userId, view: homeView(actor.lang, content, deps.clock.nowMs()) });
  } catch (error) {
    deps.logger.warn('Could not publish the Home tab of', userId, slackFailureReason(error));
  }
}
