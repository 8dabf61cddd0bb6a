import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { EVENT_TYPES } from '../../ids';

/**
 * The App Home tab, published when its viewer opens it (`app_home_opened`, tab `home`). Events bypass the request
 * pipeline (they are not a person's command or click); the work still runs as tracked background work.
 */
export function registerHomeOpened(app: App, deps: SlackDeps): void {
  app.event(EVENT_TYPES.appHomeOpened, async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const teamId = body.team_id;
    await deps.tasks.run('home', () => deps.homeRefresher.opened(teamId, event.user));
  });
}
