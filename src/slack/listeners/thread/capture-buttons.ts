import type { App } from '@slack/bolt';
import { ACTION_VALUE_SCHEMAS, decodeActionValue } from '../../action-value';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { sendCaptureLink, startPacketCapture } from '../../capture-flow';
import { authorizeClick, clickedWhereShown, clickerOf, diagnosisFromClick, guardedClick, isFirstClickDelivery, refuse, type ButtonClick } from './click';

/**
 * "Start packet capture" (SORACOM Peek on the diagnosed SIM, followed in the thread) and "Get download
 * link" (fetched fresh per click, sent to the clicker alone). Both need the policy's `peek` for the clicker.
 */
export function registerCaptureButtons(app: App, deps: SlackDeps): void {
  app.action<ButtonClick>(ACTION_IDS.startCapture, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (!(await isFirstClickDelivery(deps, body))) return;
    await deps.tasks.run('start-capture', () =>
      guardedClick(
        deps,
        'Start packet capture',
        () => clickerOf(deps, client, body, respond),
        async (clicker) => {
          const found = await diagnosisFromClick(deps, clicker, action.value);
          if (found === undefined) return;
          const { stored, record } = found;
          if (record.sim.simId === undefined) {
            await refuse(clicker, 'thread.refused.noSim');
            return;
          }
          const allowed = await authorizeClick(deps, clicker, { action: 'peek', channelId: stored.channelId, simId: record.sim.simId });
          if (!allowed.allowed) return;
          await startPacketCapture(
            { deps, client },
            {
              stored,
              record,
              userId: clicker.userId,
              lang: clicker.lang,
              responder: clicker.responder,
              clickKey: `${clicker.userId}:${clicker.actionTs}`,
            },
          );
        },
      ),
    );
  });

  // No idempotency here on purpose: every click asks SORACOM for a fresh link, which is what the user wants.
  app.action<ButtonClick>(ACTION_IDS.downloadCapture, async ({ ack, body, action, client, respond }) => {
    await ack();
    await deps.tasks.run('download-capture', () =>
      guardedClick(
        deps,
        'Get download link',
        () => clickerOf(deps, client, body, respond),
        async (clicker) => {
          const value = decodeActionValue(ACTION_VALUE_SCHEMAS.peekRef, action.value);
          if (value === undefined) {
            await refuse(clicker, 'thread.refused.invalidValue');
            return;
          }
          const peek = await deps.store.captures.get(value.peekId);
          if (peek === undefined) {
            await refuse(clicker, 'thread.refused.stalePeek');
            return;
          }
          if (!clickedWhereShown(clicker.channelId, peek.channelId)) {
            await refuse(clicker, 'thread.refused.invalidValue');
            return;
          }
          const allowed = await authorizeClick(deps, clicker, { action: 'peek', channelId: peek.channelId, simId: peek.simId });
          if (!allowed.allowed) return;
          await sendCaptureLink({ deps, client }, { peek, lang: clicker.lang, responder: clicker.responder });
        },
      ),
    );
  });
}
