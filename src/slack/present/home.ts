import type { WebClient } from '@slack/web-api';
import { homeFor } from '../../use-cases/home';
import { homeView } from '../blocks/home';
import type { SlackDeps } from '../deps';
import { slackFailureReason } from '../failure';

/**
 * Keeps people's App Home tabs current. Slack sends `app_home_opened` each time someone looks at the tab, which
 * publishes it (`opened`); in between, anything that changes what the tab shows (a mapping opened, closed,
 * extended, ended) calls `refreshHome`, which republishes only the tabs of people who opened theirs since the bot
 * started: anyone else gets a fresh one when they next look, so a change costs no Slack or SORACOM call for them.
 * Neither throws; publishes for one person run one after another so that the last one is the newest.
 */
export interface HomeRefresher {
  opened(teamId: string, userId: string): Promise<void>;
  refreshHome(teamId: string, userId: string): Promise<void>;
  /** The app's Web API client, once the app exists; until then nothing is published. */
  attach(client: WebClient): void;
}

/** How many viewers are remembered; the ones who looked longest ago are forgotten first. */
const MAX_REMEMBERED_VIEWERS = 10_000;

export function createHomeRefresher(deps: () => SlackDeps): HomeRefresher {
  let client: WebClient | undefined;
  const queues = new Map<string, Promise<void>>();
  const viewers = new Set<string>();
  const publish = (teamId: string, userId: string): Promise<void> => {
    const current = client;
    if (current === undefined) return Promise.resolve();
    const key = `${teamId}:${userId}`;
    const next = (queues.get(key) ?? Promise.resolve()).then(() => publishHome(deps(), current, teamId, userId));
    queues.set(key, next);
    return next.finally(() => {
      if (queues.get(key) === next) queues.delete(key);
    });
  };
  return {
    attach(attached) {
      client = attached;
    },
    opened(teamId, userId) {
      const key = `${teamId}:${userId}`;
      viewers.delete(key);
      viewers.add(key);
      for (const oldest of viewers) {
        if (viewers.size <= MAX_REMEMBERED_VIEWERS) break;
        viewers.delete(oldest);
      }
      return publish(teamId, userId);
    },
    refreshHome(teamId, userId) {
      return viewers.has(`${teamId}:${userId}`) ? publish(teamId, userId) : Promise.resolve();
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
