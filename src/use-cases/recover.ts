import type { UseCaseDeps } from './deps';
import { finishInterruptedExtend } from './extend';
import type { IpCapture, StoredMapping } from './ports/store';
import { type ReconciledWork, reconcileInFlight } from './reconcile';

/** What the start found left unfinished, and did about it. */
export interface RecoveryReport {
  readonly opened: number;
  readonly openFailed: number;
  readonly stillUnknown: number;
  readonly closed: number;
  readonly closePending: number;
  readonly linksReopened: number;
}

/** Something to tell the person who was waiting when the previous process stopped. */
export type Interrupted =
  | Exclude<ReconciledWork, { readonly kind: 'close-pending' | 'unreadable' | 'opened' }>
  /** `replaced`: the old mapping of an Extend, deleted now because the previous process died before it did. */
  | (Extract<ReconciledWork, { readonly kind: 'opened' }> & { readonly replaced?: StoredMapping | undefined })
  | { readonly kind: 'link-reopened'; readonly capture: IpCapture };

/**
 * At start, what the previous process left unfinished is finished and the people waiting are told (`tell`; one
 * bot process per database): an open that made a mapping (an Extend's, with its old mapping deleted now), one that
 * made nothing, a close completed, an IP link whose Confirm was cut off and works again. Each row is settled once
 * its person was told; an open whose outcome is still unknown stays unsettled (`tell` follows it with
 * `followUnknownOpen`), a close SORACOM did not take yet is left for the next start.
 */
export async function recoverInterruptedWork(deps: UseCaseDeps, tell: (item: Interrupted) => Promise<void>): Promise<RecoveryReport> {
  const work = await reconcileInFlight(deps);
  const report = { opened: 0, openFailed: 0, stillUnknown: 0, closed: 0, closePending: 0, linksReopened: 0 };

  // An IP link whose Confirm was cut off is offered again, unless its open made (or may have made) a mapping.
  const toldThroughLink = new Set<string>();
  for (const capture of await deps.store.ipCaptures.listUnfinished()) {
    const latest = (await deps.store.inflight.list({ requestKey: `capture:${capture.id}` })).at(-1);
    const outcome = latest === undefined ? undefined : work.find((item) => item.flight.id === latest.id);
    if (outcome?.kind === 'opened' || outcome?.kind === 'open-unknown') {
      await deps.store.ipCaptures.finish(capture.id);
      continue;
    }
    if (!(await deps.store.ipCaptures.reopen(capture.id))) continue;
    report.linksReopened += 1;
    if (latest !== undefined) {
      toldThroughLink.add(latest.id);
      await deps.store.inflight.settle(latest.id);
    }
    await tell({ kind: 'link-reopened', capture }).catch((error: unknown) => deps.logger.warn('Could not tell about a reopened IP link', capture.id, error));
  }

  for (const item of work) {
    if (toldThroughLink.has(item.flight.id)) continue;
    try {
      await finish(deps, item, tell, report);
    } catch (error) {
      deps.logger.warn('Could not finish telling about interrupted work', item.flight.id, error);
    }
  }
  return report;
}

async function finish(
  deps: UseCaseDeps,
  item: ReconciledWork,
  tell: (item: Interrupted) => Promise<void>,
  report: { -readonly [K in keyof RecoveryReport]: number },
): Promise<void> {
  switch (item.kind) {
    case 'close-pending':
      report.closePending += 1;
      deps.logger.warn('A close cut off by the previous process could not be finished yet; trying at the next start', item.flight.id, item.error);
      return;
    case 'unreadable':
      await deps.store.inflight.settle(item.flight.id);
      return;
    case 'open-unknown':
      report.stillUnknown += 1;
      await tell(item);
      return;
    case 'opened': {
      // An Extend cut off between its create and the old mapping's delete is finished before anyone is told.
      // A delete that fails now leaves the old one to end on its own, as when an Extend's own delete fails.
      const replaced = await finishInterruptedExtend(deps, item.flight).catch((error: unknown) => {
        deps.logger.warn('Could not delete the mapping an interrupted Extend replaced; it ends on its own', item.flight.id, error);
        return undefined;
      });
      const closed = replaced?.kind === 'closed' || replaced?.kind === 'already-gone' ? replaced : undefined;
      await tell(closed === undefined ? item : { ...item, replaced: closed.mapping });
      await deps.store.inflight.settle(item.flight.id);
      if (closed !== undefined) await deps.store.inflight.settle(closed.flightId);
      report.opened += 1;
      return;
    }
    case 'open-failed':
    case 'closed':
      await tell(item);
      await deps.store.inflight.settle(item.flight.id);
      report[item.kind === 'closed' ? 'closed' : 'openFailed'] += 1;
      return;
  }
}

/**
 * Before taking requests: claims nobody completed belong to a process that is gone (one bot process per database)
 * and would block a retry until they expire. Returns how many were released.
 */
export async function releaseClaimsOfGoneProcess(deps: Pick<UseCaseDeps, 'store'>): Promise<number> {
  return deps.store.claims.releaseUnfinished();
}
