import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { registerCaptureButtons } from './capture-buttons';
import { registerDiagnoseButtons } from './diagnose-buttons';
import { registerFixButtons } from './fix-buttons';
import { registerTicketListeners } from './ticket';

/**
 * The diagnosis side of the bot in Slack: Diagnose / Diagnose again, Open again with the fix (and the
 * confirmation of an address seen in the audit log), packet capture, and the support-ticket modal.
 * `/napter diagnose` itself comes through the command listener, which calls `runDiagnoseCommand`.
 */
export function registerThreadListeners(app: App, deps: SlackDeps): void {
  registerDiagnoseButtons(app, deps);
  registerFixButtons(app, deps);
  registerCaptureButtons(app, deps);
  registerTicketListeners(app, deps);
}
