import type { WebClient } from '@slack/web-api';
import { homeFor } from '../../use-cases/home';
import { homeView } from '../blocks/home';
import type { SlackDeps } from '../deps';
import { slackFailureReason } from '../failure';

/**
 * Keeps people's App Home tabs current. Slack sends `app_home_opened` each time someone looks at the tab, which
 * publishes it (`opened`); in between, anything that changes what the tab shows (a mapping opened, closed,
 * extended, ended) calls `refreshHome`, which republishes only the tabs of people who opened theirs since the bot
 * started (and the tabs of admins who did, which list every active mapping): anyone else gets a fresh one when
 * they next look, so a change costs no Slack or SORACOM call for them.
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
  /** Viewers whose last tab was an admin's: every change in their workspace shows on it. */
  const admins = new Set<string>();
  const publish = (teamId: string, userId: string): Promise<void> => {
    const current = client;
    if (current === undefined) return Promise.resolve();
    const key = `${teamId}:${userId}`;
    const next = (queues.get(key) ?? Promise.resolve()).then(async () => {
      const published = await publishHome(deps(), current, teamId, userId);
      if (published?.isAdmin === true) admins.add(key);
      else if (published !== undefined) admins.delete(key);
    });
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
        admins.delete(oldest);
      }
      return publish(teamId, userId);
    },
    async refreshHome(teamId, userId) {
      const key = `${teamId}:${userId}`;
      const others = [...admins].filter((admin) => admin !== key && admin.startsWith(`${teamId}:`));
      await Promise.all([...(viewers.has(key) ? [publish(teamId, userId)] : []), ...others.map((admin) => publish(teamId, admin.slice(teamId.length + 1)))]);
    },
  };
}

/**
 * Builds and publishes one viewer's Home tab, and says whether it was an admin's; a failure is logged, not thrown
 * (the tab keeps showing the last one), and answers undefined.
 */
export async function publishHome(deps: SlackDeps, client: WebClient, teamId: string, userId: string): Promise<{ readonly isAdmin: boolean } | undefined> {
  try {
    const actor = await deps.actors.resolve(client, { teamId, userId, channelId: undefined });
    const content = await homeFor(deps, actor);
    await client.views.publish({ user_id: userId, view: homeView(actor.lang, content, deps.clock.nowMs()) });
    return { isAdmin: content.others !== undefined };
  } catch (error) {
    deps.logger.warn('Could not publish the Home tab of', userId, slackFailureReason(error));
    return undefined;
  }
}
