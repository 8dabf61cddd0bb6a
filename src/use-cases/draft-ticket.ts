import type { MessageRef } from '../domain/i18n/message-ref';
import type { TicketContext } from '../domain/ticket';
import type { TicketForm } from '../domain/ticket-form';
import { parseWrittenTime } from '../domain/time';
import { authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { diagnosisForClick, type LoadedDiagnosis, loadDiagnosis, noteActivity, simIds } from './diagnosis-record';
import type { LedgerEntry, LedgerKind } from './ports/store';

/** A modal may sit open for a long time; its submission is honoured for as long as Slack keeps views. */
const TICKET_VIEW_TTL_MS = 24 * 60 * 60 * 1000;
const TRIED_KINDS: ReadonlySet<LedgerKind> = new Set(['open', 'reuse', 'retry', 'close', 'peek', 'diagnose']);
const MAX_TRIED = 20;

/** What the form starts with (the person edits all of it): the adapter words it in their language. */
export interface TicketPrefill {
  readonly imsi: string | undefined;
  /** The first evidence of the trouble in the window. */
  readonly firstEvidenceAtMs: number | undefined;
  readonly devicePort: number | undefined;
  /** The bot's own actions on this SIM since the window began, oldest first. */
  readonly tried: readonly LedgerEntry[];
}

export type TicketFormOutcome =
  | { readonly kind: 'stale' | 'elsewhere' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | { readonly kind: 'form'; readonly found: LoadedDiagnosis; readonly prefill: TicketPrefill };

/**
 * "Draft support ticket": what SORACOM support asks for, pre-filled from the diagnosis and the bot's ledger. Read
 * from the store alone: the modal has to open within the 3 seconds Slack gives the click, so the policy is asked
 * without reading the SIM again (its submission asks with it).
 */
export async function ticketForm(deps: UseCaseDeps, request: { readonly actor: Actor; readonly diagnosisId: string }): Promise<TicketFormOutcome> {
  const access = await diagnosisForClick(deps, request.diagnosisId, request.actor.channelId);
  if (access.kind !== 'found') return access;
  const { stored, record } = access.found;
  const allowed = await authorizeOrDeny(deps, request.actor, { action: 'ticket', channelId: stored.channelId, simId: record.sim.simId });
  if (!allowed.allowed) return { kind: 'denied', reason: allowed.reason };
  const firstEvidenceAtMs = record.diagnosis.evidence.reduce<number | undefined>(
    (first, item) => (first === undefined || item.event.atMs < first ? item.event.atMs : first),
    undefined,
  );
  const filter = record.sim.simId !== undefined ? { simId: record.sim.simId } : record.sim.imsi !== undefined ? { imsi: record.sim.imsi } : undefined;
  const tried =
    filter === undefined
      ? []
      : (await deps.store.ledger.list({ ...filter, sinceMs: stored.windowFromMs, limit: 100 }))
          .filter((entry) => TRIED_KINDS.has(entry.kind))
          .sort((a, b) => a.atMs - b.atMs)
          .slice(-MAX_TRIED);
  return {
    kind: 'form',
    found: access.found,
    prefill: { imsi: record.sim.imsi, firstEvidenceAtMs, devicePort: record.diagnosis.mapping?.destination.port, tried },
  };
}

/** The modal was opened for this person and diagnosis: only its submission, by them, is honoured. */
export async function ticketFormShown(
  deps: Pick<UseCaseDeps, 'store'>,
  request: { readonly actor: Actor; readonly viewId: string; readonly diagnosisId: string },
): Promise<void> {
  const { actor } = request;
  await deps.store.remembered.remember(viewKey(request.viewId), TICKET_VIEW_TTL_MS, {
    userId: actor.userId,
    teamId: actor.teamId,
    diagnosisId: request.diagnosisId,
  });
}

/**
 * Whether a submission is the person's own modal about a diagnosis that still lives where the modal says: what the
 * view carries back is the bot's own word, checked against what it remembers handing out.
 */
export async function ownTicketForm(
  deps: Pick<UseCaseDeps, 'store'>,
  request: { readonly actor: Actor; readonly viewId: string; readonly diagnosisId: string; readonly channelId: string },
): Promise<LoadedDiagnosis | undefined> {
  const granted = (await deps.store.remembered.recall(viewKey(request.viewId))) as { userId?: unknown; diagnosisId?: unknown } | undefined;
  const found = await loadDiagnosis(deps, request.diagnosisId);
  const own = granted?.userId === request.actor.userId && granted.diagnosisId === found?.stored.id;
  return own && found?.stored.channelId === request.channelId ? found : undefined;
}

export type TicketSubmitOutcome =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | { readonly kind: 'posted'; readonly postedTo: 'thread' | 'dm' | 'failed' };

/**
 * The submitted form becomes a draft, once per modal: the policy for the person (about the SIM as SORACOM knows it
 * now), then `post` words and delivers it (in the thread, else their DM), and the ledger and the diagnosis note it.
 */
export async function submitTicket(
  deps: UseCaseDeps,
  request: { readonly actor: Actor; readonly viewId: string; readonly found: LoadedDiagnosis; readonly form: TicketForm },
  post: (context: TicketContext) => Promise<'thread' | 'dm' | 'failed'>,
): Promise<TicketSubmitOutcome> {
  const { actor, found, form } = request;
  const { stored, record } = found;
  const submitKey = `ticket-submit:${request.viewId}`;
  if (!(await deps.store.claims.claim(submitKey, TICKET_VIEW_TTL_MS)).claimed) return { kind: 'duplicate' };
  try {
    const sim = record.sim.simId === undefined ? undefined : await deps.api.getSim(record.sim.simId);
    const allowed = await authorizeOrDeny(deps, actor, { action: 'ticket', channelId: stored.channelId, sim, simId: record.sim.simId });
    if (!allowed.allowed) {
      await deps.store.claims.release(submitKey);
      return { kind: 'denied', reason: allowed.reason };
    }
    const startedAtMs = parseWrittenTime(form.occurredAt);
    const [capture] = await deps.store.captures.listByDiagnosis(stored.id);
    const postedTo = await post({
      imsi: form.imsi,
      simId: record.sim.simId,
      simName: record.sim.name === '' ? undefined : record.sim.name,
      device: { maker: form.deviceMaker, model: form.deviceModel, productName: form.deviceProduct },
      troubleStartedAtMs: startedAtMs,
      details: {
        howToReproduce: form.reproduce,
        // A time the draft cannot read stays in the person's words.
        conditions: startedAtMs === undefined && form.occurredAt !== '' ? `${form.occurredAt}\n${form.conditions}`.trim() : form.conditions,
        environment: form.environment,
        whatWasTried: form.tried,
      },
      // The form's "what was tried" already starts from the ledger and the person may have edited it: theirs wins.
      botActions: [],
      packetCapture: capture === undefined ? undefined : { sessionId: capture.sessionId, status: capture.status, startedAtMs: capture.createdAtMs },
      auditEvents: record.events,
      // The draft is posted where the whole channel reads it; the person adds full addresses when filing.
      maskSourceIps: true,
    });
    await deps.store.ledger.record({
      kind: 'ticket-draft',
      teamId: stored.teamId,
      userId: actor.userId,
      channelId: stored.channelId,
      ...simIds(record.sim),
      details: { diagnosisId: stored.id, postedTo },
    });
    if (postedTo === 'thread') await noteActivity(deps, stored.id, { kind: 'ticket-drafted', userId: actor.userId, atMs: deps.clock.nowMs() });
    await deps.store.claims.complete(submitKey, true);
    return { kind: 'posted', postedTo };
  } catch (error) {
    await deps.store.claims.release(submitKey);
    throw error;
  }
}

function viewKey(viewId: string): string {
  return `ticket-view:${viewId}`;
}
