import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { createKeyedTurns } from '../../common/keyed-turns';
import { loadDiagnosis } from '../../use-cases/diagnosis-record';
import type { Store } from '../../use-cases/ports/store';
import { buildDiagnosisParent, diagnosisView } from '../blocks/diagnosis';

/**
 * Redraws diagnosis parents in the channel. One instance per app (built with its deps): the redraws queued per
 * diagnosis, and the diagnoses being run again, belong to it.
 */
export interface ParentPainter {
  /**
   * Redraws a parent from the row as stored when the update is sent, one update at a time per diagnosis: two actions
   * finishing together cannot leave it showing the older of their states. Rejects when chat.update fails.
   */
  redraw(client: WebClient, diagnosisId: string): Promise<void>;
  /** The same, a failure logged rather than thrown: the parent is a courtesy, the action's own answer matters more. */
  redrawQuietly(client: WebClient, diagnosisId: string): Promise<void>;
  /** While a "Diagnose again" runs, every redraw says who runs it; undefined when it ended. */
  markRerunning(diagnosisId: string, userId: string | undefined): void;
}

export function createParentPainter(deps: { readonly store: Store; readonly logger: Logger }): ParentPainter {
  const turns = createKeyedTurns();
  const rerunningBy = new Map<string, string>();

  const draw = async (client: WebClient, diagnosisId: string): Promise<void> => {
    const found = await loadDiagnosis(deps, diagnosisId);
    const parentTs = found?.stored.parentTs;
    if (found === undefined || parentTs === undefined) return;
    const runner = rerunningBy.get(diagnosisId);
    const parent = buildDiagnosisParent(diagnosisView(found), runner === undefined ? {} : { rerunningBy: runner });
    await client.chat.update({ channel: found.stored.channelId, ts: parentTs, ...parent });
  };

  const redraw = (client: WebClient, diagnosisId: string): Promise<void> => turns.run(diagnosisId, () => draw(client, diagnosisId));

  return {
    redraw,
    redrawQuietly: (client, diagnosisId) =>
      redraw(client, diagnosisId).catch((error: unknown) => deps.logger.warn('could not redraw a diagnosis parent', diagnosisId, error)),
    markRerunning: (diagnosisId, userId) => {
      if (userId === undefined) rerunningBy.delete(diagnosisId);
      else rerunningBy.set(diagnosisId, userId);
    },
  };
}
