import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Protocol, SourceSpec } from '../domain/command/types';
import { msg, type Lang, type MessageRef } from '../domain/i18n/message-ref';
import { hostCidr } from '../domain/net/index';
import type { SimSnapshot } from '../domain/soracom';
import type { StoredMapping } from '../use-cases/ports/store';
import { authorize, policySim, type AuthorizationDecision } from '../policy/index';
import { ipCaptureUrl } from '../web/index';
import { openMapping, resolveOpenInFlight, WHILE_WAITING, type SourceKind } from '../use-cases/open-mapping';
import { simLabel } from '../use-cases/resolve-sim';
import { deniedMessage, plainMessageRef } from './blocks/errors';
import { ipCaptureMessage, mappingCardMessage, mappingResultMessage } from './blocks/mapping';
import { escapeMrkdwn, type SlackMessage } from './blocks/common';
import type { SlackDeps } from './deps';
import { postInChannel } from './deliver';

/**
 * The open flow shared by `/napter open`, the Open again button and the IP page's Confirm:
 * authorize → pick the source (as given / last confirmed / IP capture) → open or reuse → tell the
 * requester privately (with the endpoint) and the channel publicly (masked).
 */

/** What the user asked to open, independent of how they asked. */
export interface OpenIntent {
  readonly simId: string;
  readonly devicePort: number;
  readonly protocol: Protocol;
  readonly durationSec: number;
  readonly tlsRequired: boolean;
  readonly source: SourceSpec;
  readonly reason: 'open' | 'retry';
  /** The diagnosis whose fix this applies: its parent notes the reopen, also when it happens on the IP page. */
  readonly diagnosisId?: string;
}

export interface Requester {
  readonly teamId: string;
  readonly userId: string;
  readonly channelId: string;
  readonly lang: Lang;
}

/** Shows a message to the requester, replacing the previous one in place where the route allows it. */
export type ReplyFn = (message: SlackMessage) => Promise<void>;

/**
 * How to reach the requester of work in flight if this process dies first: the response_url that replaces
 * their message (when there is one that may), else an ephemeral or a DM. Kept with the in-flight row.
 */
const REPLY_ROUTE = z.object({
  v: z.literal(1),
  lang: z.enum(['en', 'ja']),
  responseUrl: z.string().url().optional(),
});
export type ReplyRoute = z.infer<typeof REPLY_ROUTE>;

export function parseReplyRoute(value: unknown): ReplyRoute | undefined {
  const parsed = REPLY_ROUTE.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The pending request stored with an IP capture, versioned so a restart with newer code can read it. */
const PENDING_OPEN = z.object({
  v: z.literal(1),
  simId: z.string().min(1),
  devicePort: z.number().int().min(1).max(65535),
  protocol: z.enum(['ssh', 'http', 'https', 'rdp', 'vnc', 'tcp']),
  durationSec: z.number().int().min(1),
  tlsRequired: z.boolean(),
  reason: z.enum(['open', 'retry']),
  diagnosisId: z.string().min(1).max(64).optional(),
});
export type PendingOpen = z.infer<typeof PENDING_OPEN>;

export function parsePendingOpen(value: unknown): PendingOpen | undefined {
  const parsed = PENDING_OPEN.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export type OpenFlowResult =
  | { readonly kind: 'opened' | 'reused' }
  /** SORACOM's answer was lost; the outcome follows when its list tells. */
  | { readonly kind: 'unknown' }
  | { readonly kind: 'capture-sent' }
  | { readonly kind: 'denied'; readonly reason: MessageRef }
  | { readonly kind: 'no-last-ip' }
  | { readonly kind: 'in-progress' };

export interface OpenFlowContext {
  readonly deps: SlackDeps;
  readonly client: WebClient;
  readonly requester: Requester;
  readonly reply: ReplyFn;
  /**
   * Where the result goes after an IP capture, replacing the message that carried the link. Only a
   * response_url whose replace_original rewrites the requester's own message: a command's, or a click's on
   * their ephemeral. Never a click's on a channel message, which would show the endpoint to the channel.
   */
  readonly responseUrl: string | undefined;
  /** false when each reply is a new message rather than a replacement: progress lines are then left out. */
  readonly showsProgress?: boolean;
  /** Unique per user action; see `OpenMappingRequest.requestKey`. */
  readonly requestKey: string;
}

export async function startOpen(ctx: OpenFlowContext, intent: OpenIntent, sim: SimSnapshot): Promise<OpenFlowResult> {
  const { deps, requester } = ctx;
  const userGroupIds = await deps.userGroups(ctx.client, requester.teamId, requester.userId);
  const decision = authorizeOpen(ctx, intent, sim, userGroupIds, intent.source.kind === 'cidr' ? intent.source.cidr : undefined);
  if (!decision.allowed) return deny(ctx, intent, sim, decision.reason);

  switch (intent.source.kind) {
    case 'cidr':
      return finishOpen(ctx, intent, sim, intent.source.cidr, 'cidr', userGroupIds);
    case 'last': {
      const last = await deps.store.lastIps.get(requester.teamId, requester.userId);
      if (last === undefined) {
        await ctx.reply(plainMessageRef(requester.lang, msg('slack.open.no-last-ip')));
        return { kind: 'no-last-ip' };
      }
      return finishOpen(ctx, intent, sim, hostCidr(last.ip), 'last', userGroupIds);
    }
    case 'me': {
      const pending: PendingOpen = {
        v: 1,
        simId: sim.simId,
        devicePort: intent.devicePort,
        protocol: intent.protocol,
        durationSec: intent.durationSec,
        tlsRequired: intent.tlsRequired,
        reason: intent.reason,
        ...(intent.diagnosisId === undefined ? {} : { diagnosisId: intent.diagnosisId }),
      };
      const { capture, token } = await deps.store.ipCaptures.create({
        teamId: requester.teamId,
        userId: requester.userId,
        channelId: requester.channelId,
        lang: requester.lang,
        request: pending,
        ...(ctx.responseUrl === undefined ? {} : { responseUrl: ctx.responseUrl }),
      });
      await ctx.reply(
        ipCaptureMessage(requester.lang, {
          captureId: capture.id,
          url: ipCaptureUrl(deps.publicUrl, token),
          expiresAtMs: capture.expiresAtMs,
          simLabel: simLabel(sim),
          devicePort: intent.devicePort,
          durationSec: intent.durationSec,
        }),
      );
      return { kind: 'capture-sent' };
    }
  }
}

/** With the source known: check it against the policy's width, then open or reuse, then tell everyone. */
export async function finishOpen(
  ctx: OpenFlowContext,
  intent: OpenIntent,
  sim: SimSnapshot,
  sourceCidr: string,
  sourceKind: SourceKind,
  knownUserGroupIds?: readonly string[],
): Promise<OpenFlowResult> {
  const { deps, requester } = ctx;
  const lang = requester.lang;
  const userGroupIds = knownUserGroupIds ?? (await deps.userGroups(ctx.client, requester.teamId, requester.userId));
  const decision = authorizeOpen(ctx, intent, sim, userGroupIds, sourceCidr);
  if (!decision.allowed) return deny(ctx, intent, sim, decision.reason);

  if (ctx.showsProgress !== false) await ctx.reply(plainMessageRef(lang, msg('slack.progress.opening', { sim: escapeMrkdwn(simLabel(sim)) })));
  const reply: ReplyRoute = { v: 1, lang, ...(ctx.responseUrl === undefined ? {} : { responseUrl: ctx.responseUrl }) };
  const outcome = await openMapping(deps, {
    teamId: requester.teamId,
    userId: requester.userId,
    channelId: requester.channelId,
    sim,
    devicePort: intent.devicePort,
    durationSec: intent.durationSec,
    tlsRequired: intent.tlsRequired,
    sourceCidr,
    sourceKind,
    requestKey: ctx.requestKey,
    reason: intent.reason,
    protocol: intent.protocol,
    reply,
  });
  switch (outcome.kind) {
    case 'in-progress':
      await ctx.reply(plainMessageRef(lang, msg('slack.open.in-progress')));
      return { kind: 'in-progress' };
    case 'unknown': {
      await ctx.reply(plainMessageRef(lang, msg('slack.open.outcome-unknown')));
      const flightId = outcome.flightId;
      // SORACOM's list decides, in a few seconds or a few minutes; the requester hears either way.
      void deps.tasks.run('open-outcome', () => followUnknownOpen(ctx, simShown(sim), flightId)).catch(() => undefined);
      return { kind: 'unknown' };
    }
    case 'created':
    case 'reused':
      await announceOpened(ctx, simShown(sim), outcome.mapping, outcome.kind);
      if (outcome.flightId !== undefined) await deps.store.inflight.settle(outcome.flightId);
      return { kind: outcome.kind === 'created' ? 'opened' : 'reused' };
  }
}

/** How a SIM appears in an open's messages. */
export interface SimShown {
  readonly label: string;
  readonly sshUser: string | undefined;
}

export function simShown(sim: SimSnapshot): SimShown {
  return { label: simLabel(sim), sshUser: sim.tags.ssh_user };
}

/** What an open needs of its context to tell people about it: also built at start for work a dead process left. */
export type AnnounceContext = Pick<OpenFlowContext, 'deps' | 'client' | 'requester' | 'reply'>;

/** The channel card (once per mapping) and the requester's private result with the endpoint. */
export async function announceOpened(ctx: AnnounceContext, sim: SimShown, mapping: StoredMapping, kind: 'created' | 'reused'): Promise<void> {
  const { deps, requester } = ctx;
  const lang = requester.lang;
  const notices: MessageRef[] = [];
  if (mapping.card === undefined) {
    const card = mappingCardMessage(lang, { mapping, simLabel: sim.label }, { kind: 'open' });
    const posted = await postInChannel(ctx.client, requester.channelId, card);
    if (posted.ok) {
      await deps.store.mappings.setCard(mapping.id, { channelId: requester.channelId, ts: posted.ts });
    } else {
      deps.logger.info('Mapping card not posted in the channel', posted.reason);
      notices.push(channelNotice(posted.reason));
    }
  }
  await ctx.reply(mappingResultMessage(lang, { mapping, simLabel: sim.label, sshUser: sim.sshUser }, kind, notices));
}

/** An open whose create answer was lost: SORACOM's list decides, and the requester is told the end of it. */
export async function followUnknownOpen(ctx: AnnounceContext, sim: SimShown, flightId: string): Promise<void> {
  const { deps } = ctx;
  const lang = ctx.requester.lang;
  const resolution = await resolveOpenInFlight(deps, flightId, WHILE_WAITING);
  if (resolution === undefined) return;
  switch (resolution.kind) {
    case 'adopted':
      await announceOpened(ctx, sim, resolution.mapping, 'created');
      break;
    case 'not-created':
      await ctx.reply(plainMessageRef(lang, msg('slack.open.not-created')));
      break;
    case 'still-unknown':
      // Left unsettled: the next start looks again, and until then no second mapping is made for these parameters.
      await ctx.reply(plainMessageRef(lang, msg('slack.open.unresolved')));
      return;
  }
  await deps.store.inflight.settle(flightId);
}

/** Checked twice: before the source is known (it may need an IP capture first), and again with it. */
function authorizeOpen(
  ctx: OpenFlowContext,
  intent: OpenIntent,
  sim: SimSnapshot,
  userGroupIds: readonly string[],
  sourceCidr: string | undefined,
): AuthorizationDecision {
  return authorize(ctx.deps.policy, {
    action: 'open',
    userId: ctx.requester.userId,
    userGroupIds,
    channelId: ctx.requester.channelId,
    sim: policySim(sim),
    devicePort: intent.devicePort,
    durationSec: intent.durationSec,
    ...(sourceCidr === undefined ? {} : { sourceCidr }),
  });
}

function channelNotice(reason: string): MessageRef {
  if (reason === 'not_in_channel') return msg('slack.card.not-in-channel');
  if (reason === 'channel_not_found') return msg('slack.card.channel-not-found');
  return msg('slack.card.not-posted', { reason });
}

async function deny(ctx: OpenFlowContext, intent: OpenIntent, sim: SimSnapshot, reason: MessageRef): Promise<OpenFlowResult> {
  await ctx.deps.store.ledger.record({
    kind: 'denied',
    teamId: ctx.requester.teamId,
    userId: ctx.requester.userId,
    channelId: ctx.requester.channelId,
    simId: sim.simId,
    devicePort: intent.devicePort,
    details: { action: 'open', reason: reason.key },
  });
  await ctx.reply(deniedMessage(ctx.requester.lang, reason));
  return { kind: 'denied', reason };
}
