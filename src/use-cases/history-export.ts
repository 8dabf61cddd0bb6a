import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { historyCsv } from '../domain/history';
import type { MessageRef } from '../domain/i18n/message-ref';
import type { Actor, UseCaseDeps } from './deps';
import { historyFor } from './history';

/** How long the "Export CSV" button of a history works. */
export const HISTORY_EXPORT_TTL_MS = 30 * 60 * 1000;
/** The CSV holds at most this many rows (the listing shows far fewer). */
export const HISTORY_CSV_LIMIT = 2_000;

/** What the button stands for, kept server-side: the button carries only the export's id. */
const exportRequest = z.object({
  teamId: z.string(),
  userId: z.string(),
  channelId: z.string(),
  simId: z.string().optional(),
  sinceMs: z.number(),
});
type ExportRequest = z.infer<typeof exportRequest>;

const exportKey = (exportId: string): string => `history-export:${exportId}`;

/** Remembers a history the person was shown, for their "Export CSV"; returns the id the button carries. */
export async function offerHistoryExport(
  deps: Pick<UseCaseDeps, 'store'>,
  actor: Actor,
  query: { readonly channelId: string; readonly simId: string | undefined; readonly sinceMs: number },
): Promise<string> {
  const exportId = randomUUID();
  const request: ExportRequest = {
    teamId: actor.teamId,
    userId: actor.userId,
    channelId: query.channelId,
    ...(query.simId === undefined ? {} : { simId: query.simId }),
    sinceMs: query.sinceMs,
  };
  await deps.store.remembered.remember(exportKey(exportId), HISTORY_EXPORT_TTL_MS, request);
  return exportId;
}

export type HistoryExportOutcome =
  /** Expired, unknown, or offered to someone else: a button cannot hand one person's export to another. */
  | { readonly kind: 'stale' }
  /** The SIM named is gone from SORACOM: its policy can no longer be asked. */
  | { readonly kind: 'no-sim' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | { readonly kind: 'exported'; readonly csv: string; readonly rows: number; readonly sinceMs: number; readonly truncated: boolean };

/** "Export CSV": the same history again, asked of the policy again for the clicker, as an RFC 4180 document. */
export async function exportHistory(deps: UseCaseDeps, actor: Actor, exportId: string): Promise<HistoryExportOutcome> {
  const parsed = exportRequest.safeParse(await deps.store.remembered.recall(exportKey(exportId)));
  if (!parsed.success || parsed.data.teamId !== actor.teamId || parsed.data.userId !== actor.userId) return { kind: 'stale' };
  const request = parsed.data;
  let sim: Awaited<ReturnType<UseCaseDeps['api']['getSim']>>;
  if (request.simId !== undefined) {
    sim = await deps.api.getSim(request.simId);
    if (sim === undefined) return { kind: 'no-sim' };
  }
  const outcome = await historyFor(deps, actor, request.channelId, { sim, sinceMs: request.sinceMs, limit: HISTORY_CSV_LIMIT });
  if (outcome.kind === 'denied') return outcome;
  const { rows, truncated } = outcome.listing;
  return { kind: 'exported', csv: historyCsv(rows), rows: rows.length, sinceMs: request.sinceMs, truncated };
}
