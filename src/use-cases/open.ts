import type { Protocol, SourceSpec } from '../domain/command/types';
import type { MessageRef } from '../domain/i18n/message-ref';
import { hostCidr } from '../domain/net/index';
import { protocolOfPort } from '../domain/port-mapping';
import type { SimSnapshot } from '../domain/soracom';
import { type AccessRequest, authorizeOrDeny } from './authorize';
import type { Actor, UseCaseDeps } from './deps';
import { noteActivity } from './diagnosis-record';
import { openMapping } from './open-mapping';
import type { PendingOpen, SourceKind } from './open-records';
import { resolveOpenInFlight, WHILE_WAITING } from './open-resolution';
import type { SlackMessageRef, StoredMapping } from './ports/store';
import { replyRoute } from './reply-route';

/** What the user asked to open, however they asked (the command, Open again, a diagnosis's fix). */
export interface OpenIntent {
  readonly devicePort: number;
  readonly protocol: Protocol;
  readonly durationSec: number;
  readonly tlsRequired: boolean;
  readonly source: SourceSpec;
  /** `retry` for Open again and fixes; recorded in the ledger. */
  readonly reason: 'open' | 'retry';
  /** The diagnosis whose fix this applies: its parent notes the reopen, also when it happens on the IP page. */
  readonly diagnosisId?: string | undefined;
}

export interface OpenRequest {
  readonly actor: Actor;
  /** Where the request came from: the policy's channel, and where the channel card goes. */
  readonly channelId: string;
  readonly sim: SimSnapshot;
  readonly intent: OpenIntent;
  /** Unique per user action (a trigger, an IP link); a redelivery with the same key gets the first one's mapping. */
  readonly requestKey: string;
  /**
   * The address that replaces the requester's own message (their command's reply, their ephemeral): where the
   * result goes after an IP link's Confirm, and after a restart. Never one that would rewrite a channel message.
   */
  readonly responseUrl: string | undefined;
  /** Told just before SORACOM is asked (the adapter shows "Opening…"). */
  readonly onOpening?: ((sim: SimSnapshot) => Promise<void>) | undefined;
}

export type OpenOutcome =
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  /** `from last` without an address confirmed before. */
  | { readonly kind: 'no-last-ip' }
  /** The requester proves their address on the IP page first: its one-time token, handed out once, never stored. */
  | {
      readonly kind: 'link';
      readonly captureId: string;
      readonly token: string;
      readonly expiresAtMs: number;
      readonly devicePort: number;
      readonly durationSec: number;
    }
  /**
   * Call `settleTold` with `flightId` once the requester has been told (the channel card is the adapter's to post).
   * When the intent named a diagnosis, its activity says it was reopened: the adapter redraws its parent.
   */
  | { readonly kind: 'opened'; readonly how: 'created' | 'reused'; readonly mapping: StoredMapping; readonly flightId: string | undefined }
  /** SORACOM's answer was lost: `followUnknownOpen` settles it from SORACOM's list, in seconds or minutes. */
  | { readonly kind: 'unknown'; readonly flightId: string }
  /** The same mapping is being opened by an earlier request. */
  | { readonly kind: 'in-progress' };

/**
 * Opens Napter for a person: the source as given, their last confirmed address, or (`me`) a one-time link that
 * proves it first. The policy is asked once, with everything known at that point; for `me` the Confirm on the IP
 * page asks again with the address, as a request of its own.
 */
export async function requestOpen(deps: UseCaseDeps, request: OpenRequest): Promise<OpenOutcome> {
  const { actor, intent } = request;
  switch (intent.source.kind) {
    case 'cidr':
      return openFrom(deps, request, intent.source.cidr, 'cidr');
    case 'last': {
      const last = await deps.store.lastIps.get(actor.teamId, actor.userId);
      if (last !== undefined) return openFrom(deps, request, hostCidr(last.ip), 'last');
      const access = await authorizeOrDeny(deps, actor, accessFor(request, undefined));
      return access.allowed ? { kind: 'no-last-ip' } : { kind: 'denied', reason: access.reason };
    }
    case 'me': {
      const access = await authorizeOrDeny(deps, actor, accessFor(request, undefined));
      if (!access.allowed) return { kind: 'denied', reason: access.reason };
      const pending: PendingOpen = {
        v: 1,
        simId: request.sim.simId,
        devicePort: intent.devicePort,
        protocol: intent.protocol,
        durationSec: intent.durationSec,
        tlsRequired: intent.tlsRequired,
        reason: intent.reason,
        diagnosisId: intent.diagnosisId,
      };
      const { capture, token } = await deps.store.ipCaptures.create({
        teamId: actor.teamId,
        userId: actor.userId,
        channelId: request.channelId,
        lang: actor.lang,
        request: pending,
        responseUrl: request.responseUrl,
      });
      return { kind: 'link', captureId: capture.id, token, expiresAtMs: capture.expiresAtMs, devicePort: intent.devicePort, durationSec: intent.durationSec };
    }
  }
}

/** With the source known: the policy (its width included), then open or reuse. */
export async function openFrom(deps: UseCaseDeps, request: OpenRequest, sourceCidr: string, sourceKind: SourceKind): Promise<OpenOutcome> {
  const { actor, intent } = request;
  const access = await authorizeOrDeny(deps, actor, accessFor(request, sourceCidr));
  if (!access.allowed) return { kind: 'denied', reason: access.reason };
  await request.onOpening?.(request.sim);
  const outcome = await openMapping(deps, {
    teamId: actor.teamId,
    userId: actor.userId,
    channelId: request.channelId,
    sim: request.sim,
    devicePort: intent.devicePort,
    durationSec: intent.durationSec,
    tlsRequired: intent.tlsRequired,
    sourceCidr,
    sourceKind,
    requestKey: request.requestKey,
    reason: intent.reason,
    protocol: intent.protocol,
    reply: replyRoute(actor.lang, request.responseUrl),
  });
  switch (outcome.kind) {
    case 'created':
    case 'reused':
      // The fix was applied from a diagnosis: its parent says so (never where to).
      if (intent.diagnosisId !== undefined) {
        await noteActivity(deps, intent.diagnosisId, { kind: 'reopened', userId: actor.userId, atMs: deps.clock.nowMs() });
      }
      return { kind: 'opened', how: outcome.kind, mapping: outcome.mapping, flightId: outcome.flightId };
    case 'unknown':
    case 'in-progress':
      return outcome;
  }
}

function accessFor(request: OpenRequest, sourceCidr: string | undefined): AccessRequest {
  return {
    action: 'open',
    channelId: request.channelId,
    sim: request.sim,
    devicePort: request.intent.devicePort,
    durationSec: request.intent.durationSec,
    sourceCidr,
  };
}

export type ReopenOutcome =
  /** The button names no mapping the bot knows (from before a reset, or altered). */
  | { readonly kind: 'stale' }
  | { readonly kind: 'sim-gone'; readonly simId: string }
  /** `channelId`: where the request counts as made (the click's channel, else the mapping's): the card goes there. */
  | { readonly kind: 'asked'; readonly sim: SimSnapshot; readonly channelId: string; readonly outcome: OpenOutcome };

/** Open again, from a mapping the bot made, for whoever clicks: the policy is theirs, and so is the address. */
export async function openAgain(
  deps: UseCaseDeps,
  request: Omit<OpenRequest, 'channelId' | 'sim' | 'intent'> & { readonly mappingId: string },
): Promise<ReopenOutcome> {
  const mapping = await deps.store.mappings.get(request.mappingId);
  if (mapping?.simId === undefined) return { kind: 'stale' };
  const sim = await deps.api.getSim(mapping.simId);
  if (sim === undefined) return { kind: 'sim-gone', simId: mapping.simId };
  const intent: OpenIntent = {
    devicePort: mapping.devicePort,
    protocol: protocolOfPort(mapping.devicePort),
    durationSec: mapping.durationSec,
    tlsRequired: mapping.tlsRequired,
    source: sourceForReopen(mapping, request.actor.userId),
    reason: 'retry',
  };
  const channelId = request.actor.channelId ?? mapping.channelId;
  const outcome = await requestOpen(deps, { ...request, channelId, sim, intent });
  return { kind: 'asked', sim, channelId, outcome };
}

/**
 * "Open again" from a mapping the bot made: the same parameters. A typed range is reused as given; an address
 * the IP page proved is proved again (a changed address is the usual reason to reopen). Anyone but the opener
 * always proves their own address.
 */
function sourceForReopen(mapping: StoredMapping, userId: string): SourceSpec {
  if (userId !== mapping.openedBy.userId) return { kind: 'me' };
  return mapping.sourceKind === 'cidr' ? { kind: 'cidr', cidr: mapping.sourceCidr } : { kind: 'me' };
}

/** The requester was told how their open ended: the row of work in flight is done with. */
export async function settleTold(deps: Pick<UseCaseDeps, 'store'>, flightId: string | undefined): Promise<void> {
  if (flightId !== undefined) await deps.store.inflight.settle(flightId);
}

/** The channel card that shows the mapping (masked), so that its close can update it. */
export async function recordCard(deps: Pick<UseCaseDeps, 'store'>, mappingId: string, card: SlackMessageRef): Promise<void> {
  await deps.store.mappings.setCard(mappingId, card);
}

export type UnknownOpenEnd =
  | { readonly kind: 'opened'; readonly mapping: StoredMapping }
  /** Nothing was made: settle it once told. */
  | { readonly kind: 'not-created' }
  /** SORACOM could not be asked: left unsettled, the next start looks again; no second mapping meanwhile. */
  | { readonly kind: 'still-unknown' };

/** An open whose create answer was lost: SORACOM's list decides while the requester waits. */
export async function followUnknownOpen(deps: UseCaseDeps, flightId: string): Promise<UnknownOpenEnd | undefined> {
  const resolution = await resolveOpenInFlight(deps, flightId, WHILE_WAITING);
  if (resolution === undefined) return undefined;
  return resolution.kind === 'adopted' ? { kind: 'opened', mapping: resolution.mapping } : { kind: resolution.kind };
}
