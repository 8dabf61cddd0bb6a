import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { registerCaptureButtons } from './actions/capture';
import { registerCloseNow } from './actions/close-now';
import { registerDiagnoseButtons } from './actions/diagnose';
import { registerDraftTicket } from './actions/draft-ticket';
import { registerExtend } from './actions/extend';
import { registerFixButtons } from './actions/fix';
import { registerHistoryExport } from './actions/history-export';
import { registerIpLinkButton } from './actions/ip-link';
import { registerOpenAgain } from './actions/open-again';
import { registerNapterCommand } from './commands/napter';
import { registerHomeOpened } from './events/home-opened';
import { registerTicketSubmit } from './views/ticket-submit';

/**
 * Every listener of the bot, one file each: the `/napter` command and its subcommands, the buttons, the modal,
 * the App Home event.
 * Each reads its payload, calls a use-case and renders the outcome; the request pipeline runs before all of them.
 */
export function registerListeners(app: App, deps: SlackDeps): void {
  registerNapterCommand(app, deps);
  registerCloseNow(app, deps);
  registerOpenAgain(app, deps);
  registerExtend(app, deps);
  registerDiagnoseButtons(app, deps);
  registerFixButtons(app, deps);
  registerCaptureButtons(app, deps);
  registerDraftTicket(app, deps);
  registerTicketSubmit(app, deps);
  registerIpLinkButton(app, deps);
  registerHistoryExport(app, deps);
  registerHomeOpened(app, deps);
}
