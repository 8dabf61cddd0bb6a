import type { App } from '@slack/bolt';
import { ACTION_VALUE_SCHEMAS, decodeActionValue } from '../../action-value';
import type { SlackDeps } from '../../deps';
import { ACTION_IDS } from '../../ids';
import { diagnoseAndPost, rediagnoseAndUpdate } from '../../diagnosis-flow';
import { DEFAULT_DIAGNOSE_WINDOW_SEC, type SimRef } from '../../../domain/command/types';
import { authorizeClick, clickerOf, diagnosisFromClick, guardedClick, isFirstClickDelivery, refuse, type ButtonClick } from './click';

/** How long a click on Diagnose counts as the same request as the one before it (a double click, a retry). */
const DIAGNOSE_MAPPING_ONCE_MS = 60 * 1000;

/**
 * "Diagnose again" (on the parent and in the thread) and "Diagnose" (on the requester's open reply).
 * Both are checked for the clicker; Diagnose again updates the same parent and adds to its thread.
 */
export function registerDiagnoseButtons(app: App, deps: SlackDeps): void {
  app.action<ButtonClick>(ACTION_IDS.diagnoseAgain, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (!(await isFirstClickDelivery(deps, body))) return;
    await deps.tasks.run('diagnose-again', () =>
      guardedClick(
        deps,
        'Diagnose again',
        () => clickerOf(deps, client, body, respond),
        async (clicker) => {
          const found = await diagnosisFromClick(deps, clicker, action.value);
          if (found === undefined) return;
          const { stored, record } = found;
          const allowed = await authorizeClick(deps, clicker, {
            action: 'diagnose',
            channelId: stored.channelId,
            ...(record.sim.simId === undefined ? {} : { simId: record.sim.simId }),
          });
          if (!allowed.allowed) return;
          await rediagnoseAndUpdate(
            { deps, client },
            { stored, record, userId: clicker.userId, userGroupIds: clicker.userGroupIds, lang: clicker.lang, responder: clicker.responder },
          );
        },
      ),
    );
  });

  app.action<ButtonClick>(ACTION_IDS.diagnoseMapping, async ({ ack, body, action, client, respond }) => {
    await ack();
    if (!(await isFirstClickDelivery(deps, body))) return;
    await deps.tasks.run('diagnose-mapping', () =>
      guardedClick(
        deps,
        'Diagnose',
        () => clickerOf(deps, client, body, respond),
        async (clicker) => {
          const value = decodeActionValue(ACTION_VALUE_SCHEMAS.mappingRef, action.value);
          if (value === undefined) {
            await refuse(clicker, 'thread.refused.invalidValue');
            return;
          }
          const mapping = await deps.store.mappings.get(value.mappingId);
          const simRef: SimRef | undefined =
            mapping?.simId !== undefined
              ? { kind: 'simId', simId: mapping.simId }
              : mapping?.imsi !== undefined
                ? { kind: 'imsi', imsi: mapping.imsi }
                : undefined;
          if (mapping === undefined || simRef === undefined) {
            await refuse(clicker, 'thread.refused.staleMapping');
            return;
          }
          // Two clicks (a double click, an impatient second one) are two action_ts: one diagnosis is posted.
          const onceKey = `diagnose-mapping:${clicker.teamId}:${clicker.userId}:${mapping.id}`;
          if (!(await deps.store.claims.claim(onceKey, DIAGNOSE_MAPPING_ONCE_MS)).claimed) {
            await refuse(clicker, 'thread.refused.duplicate');
            return;
          }
          const windowSec = DEFAULT_DIAGNOSE_WINDOW_SEC;
          const sourceIp = mapping.sourceCidr.split('/')[0];
          const outcome = await diagnoseAndPost(
            { deps, client },
            {
              teamId: clicker.teamId,
              channelId: clicker.channelId ?? mapping.channelId,
              userId: clicker.userId,
              userGroupIds: clicker.userGroupIds,
              lang: clicker.lang,
              simRef,
              windowSec,
              // The mapping behind the button is what the user means; the ledger adds their action times.
              intent: {
                devicePort: mapping.devicePort,
                ...(mapping.openedBy.userId === clicker.userId && sourceIp !== undefined ? { sourceIp } : {}),
              },
              responder: clicker.responder,
            },
          ).catch(async (error: unknown) => {
            await deps.store.claims.release(onceKey);
            throw error;
          });
          // Nothing was posted: the next click may try again at once.
          if (outcome.kind !== 'posted' && outcome.kind !== 'ephemeral') await deps.store.claims.release(onceKey);
        },
      ),
    );
  });
}
