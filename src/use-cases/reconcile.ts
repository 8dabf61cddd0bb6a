import type { NapterApi } from '../domain/napter-api';
import type { Clock } from '../common/clock';
import type { InFlight, Store, StoredMapping } from './ports/store';
import { finishCloseInFlight } from './close-mapping';
import { AFTER_RESTART, resolveOpenInFlight } from './open-resolution';

export interface ReconcileDeps {
  readonly api: NapterApi;
  readonly store: Store;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Where each piece of work a dead process left stands now, for the caller to tell the person waiting. */
export type ReconciledWork =
  /** A mapping exists for the open (made before the crash, or adopted from SORACOM's list now). */
  | { readonly kind: 'opened'; readonly flight: InFlight; readonly mapping: StoredMapping; readonly how: 'created' | 'reused' }
  /** Nothing was created: cut off before the create, SORACOM's list shows nothing, or it failed. */
  | { readonly kind: 'open-failed'; readonly flight: InFlight }
  /** SORACOM could not be asked: still open, and no second mapping is made for these parameters meanwhile. */
  | { readonly kind: 'open-unknown'; readonly flight: InFlight }
  /** The close went through (now or before the crash). */
  | { readonly kind: 'closed'; readonly flight: InFlight; readonly mapping: StoredMapping | undefined }
  /** The delete could not be sent again (SORACOM unreachable): left for the next start. */
  | { readonly kind: 'close-pending'; readonly flight: InFlight; readonly error: unknown }
  /** A row this version cannot act on; settled without a word. */
  | { readonly kind: 'unreadable'; readonly flight: InFlight };

/**
 * At start: finishes what the previous process left in flight (one bot process per database). An open cut off
 * before its create is reported as not created; one whose create may have been sent is settled from SORACOM's
 * list (adopted, or not created); a close is sent again. Nothing is settled here: the caller settles each row
 * once it has told the person waiting.
 */
export async function reconcileInFlight(deps: ReconcileDeps): Promise<ReconciledWork[]> {
  const results: ReconciledWork[] = [];
  for (const flight of await deps.store.inflight.list({ unsettled: true })) {
    results.push(flight.kind === 'open' ? await reconcileOpen(deps, flight) : await reconcileClose(deps, flight));
  }
  return results;
}

async function reconcileOpen(deps: ReconcileDeps, flight: InFlight): Promise<ReconciledWork> {
  switch (flight.state) {
    case 'started':
      // Nothing had been sent to SORACOM yet.
      await deps.store.claims.release(`open-request:${flight.requestKey}`);
      return { kind: 'open-failed', flight: (await deps.store.inflight.update(flight.id, { state: 'failed', errorCode: 'OPEN_INTERRUPTED' })) ?? flight };
    case 'creating':
    case 'unknown': {
      const resolution = await resolveOpenInFlight(deps, flight.id, AFTER_RESTART);
      if (resolution === undefined) return { kind: 'unreadable', flight };
      if (resolution.kind === 'adopted') return { kind: 'opened', flight: resolution.flight, mapping: resolution.mapping, how: 'created' };
      if (resolution.kind === 'not-created') return { kind: 'open-failed', flight: resolution.flight };
      return { kind: 'open-unknown', flight: resolution.flight };
    }
    case 'created':
    case 'reused': {
      const mapping = flight.mappingId === undefined ? undefined : await deps.store.mappings.get(flight.mappingId);
      return mapping === undefined ? { kind: 'unreadable', flight } : { kind: 'opened', flight, mapping, how: flight.state };
    }
    case 'failed':
      return { kind: 'open-failed', flight };
    default:
      return { kind: 'unreadable', flight };
  }
}

async function reconcileClose(deps: ReconcileDeps, flight: InFlight): Promise<ReconciledWork> {
  try {
    const finished = await finishCloseInFlight(deps, flight.id);
    return finished === undefined ? { kind: 'unreadable', flight } : { kind: 'closed', flight: finished.flight, mapping: finished.mapping };
  } catch (error) {
    return { kind: 'close-pending', flight, error };
  }
}
