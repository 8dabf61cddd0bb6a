import type { WebClient } from '@slack/web-api';
import { type Lang, type MessageRef, msg } from '../../domain/i18n/message-ref';
import type { SimSnapshot } from '../../domain/soracom';
import { followUnknownOpen, type OpenOutcome, recordCard, settleTold } from '../../use-cases/open';
import type { StoredMapping } from '../../use-cases/ports/store';
import { simLabel } from '../../use-cases/resolve-sim';
import { ipCaptureUrl } from '../../web/index';
import { escapeMrkdwn, type SlackMessage } from '../blocks/common';
import { deniedMessage, plainMessageRef } from '../blocks/errors';
import { ipCaptureMessage, mappingCardMessage, mappingResultMessage } from '../blocks/mapping';
import { postInChannel } from '../delivery';
import type { SlackDeps } from '../deps';

/** How a SIM appears in an open's messages. */
export interface SimShown {
  readonly label: string;
  readonly sshUser: string | undefined;
}

export function simShown(sim: SimSnapshot): SimShown {
  return { label: simLabel(sim), sshUser: sim.tags['ssh_user'] };
}

/** Whom an open's news goes to, and how: their private reply, and the channel that gets the card. */
export interface OpenAudience {
  readonly client: WebClient;
  readonly lang: Lang;
  readonly channelId: string;
  readonly reply: (message: SlackMessage) => Promise<void>;
}

/** The "Opening…" line, where a reply replaces the previous one. */
export function openingNotice(lang: Lang, sim: SimSnapshot): SlackMessage {
  return plainMessageRef(lang, msg('slack.progress.opening', { sim: escapeMrkdwn(simLabel(sim)) }));
}

/**
 * Tells the requester how their open stands, and the channel (once per mapping) that it is open: the endpoint to
 * them alone, a masked card to the channel. The work in flight is settled once they were told; an outcome SORACOM
 * lost is followed on its own, and told when SORACOM's list decides.
 */
export async function presentOpen(deps: SlackDeps, audience: OpenAudience, sim: SimShown, outcome: OpenOutcome): Promise<void> {
  const { lang } = audience;
  switch (outcome.kind) {
    case 'denied':
      await audience.reply(deniedMessage(lang, outcome.reason));
      return;
    case 'no-last-ip':
      await audience.reply(plainMessageRef(lang, msg('slack.open.no-last-ip')));
      return;
    case 'in-progress':
      await audience.reply(plainMessageRef(lang, msg('slack.open.in-progress')));
      return;
    case 'link':
      await audience.reply(
        ipCaptureMessage(lang, {
          captureId: outcome.captureId,
          url: ipCaptureUrl(deps.publicUrl, outcome.token),
          expiresAtMs: outcome.expiresAtMs,
          simLabel: sim.label,
          devicePort: outcome.devicePort,
          durationSec: outcome.durationSec,
        }),
      );
      return;
    case 'opened':
      await announceOpened(deps, audience, sim, outcome.mapping, outcome.how);
      await settleTold(deps, outcome.flightId);
      return;
    case 'unknown': {
      await audience.reply(plainMessageRef(lang, msg('slack.open.outcome-unknown')));
      const { flightId } = outcome;
      void deps.tasks.run('open-outcome', () => followUnknown(deps, audience, sim, flightId)).catch(() => undefined);
      return;
    }
  }
}

/** SORACOM's list decides an open whose answer was lost; the requester is told the end of it. */
export async function followUnknown(deps: SlackDeps, audience: OpenAudience, sim: SimShown, flightId: string): Promise<void> {
  const end = await followUnknownOpen(deps, flightId);
  if (end === undefined) return;
  switch (end.kind) {
    case 'opened':
      await announceOpened(deps, audience, sim, end.mapping, 'created');
      break;
    case 'not-created':
      await audience.reply(plainMessageRef(audience.lang, msg('slack.open.not-created')));
      break;
    case 'still-unknown':
      // Left unsettled: the next start looks again, and until then no second mapping is made for these parameters.
      await audience.reply(plainMessageRef(audience.lang, msg('slack.open.unresolved')));
      return;
  }
  await settleTold(deps, flightId);
}

/**
 * The channel card (once per mapping; an Extend's mapping redraws the card it took over) and the requester's
 * private result with the endpoint.
 */
export async function announceOpened(
  deps: SlackDeps,
  audience: OpenAudience,
  sim: SimShown,
  mapping: StoredMapping,
  how: 'created' | 'reused',
  /** Said first (e.g. how far an Extend went). */
  leading: readonly MessageRef[] = [],
): Promise<void> {
  const notices: MessageRef[] = [...leading];
  if (mapping.card === undefined) {
    const card = mappingCardMessage(audience.lang, { mapping, simLabel: sim.label }, { kind: 'open' });
    const posted = await postInChannel(audience.client, audience.channelId, card);
    if (posted.ok) {
      await recordCard(deps, mapping.id, { channelId: audience.channelId, ts: posted.ts });
    } else {
      deps.logger.info('Mapping card not posted in the channel', posted.reason);
      notices.push(channelNotice(posted.reason));
    }
  } else if (how === 'created') {
    // A card the new mapping has before it is announced: an Extend's, taken over from the mapping it replaces
    // (or its own, posted before a restart cut the telling off). Drawn for it in place, never posted twice: as its
    // watch shows it, or plainly open while it has no watch yet (a start repairs that after telling).
    await deps.cards.redraw(audience.client, mapping.card, { simLabel: sim.label });
  }
  await audience.reply(mappingResultMessage(audience.lang, { mapping, simLabel: sim.label, sshUser: sim.sshUser }, how, notices));
  await deps.homeRefresher.refreshHome(mapping.openedBy.teamId, mapping.openedBy.userId);
}

function channelNotice(reason: string): MessageRef {
  if (reason === 'not_in_channel') return msg('slack.card.not-in-channel');
  if (reason === 'channel_not_found') return msg('slack.card.channel-not-found');
  return msg('slack.card.not-posted', { reason });
}
