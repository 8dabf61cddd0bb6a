import type { Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { createKeyedTurns } from '../../common/keyed-turns';
import type { Lang } from '../../domain/i18n/message-ref';
import { cardMessages } from '../../domain/watch/index';
import type { SlackMessageRef, Store, StoredMapping } from '../../use-cases/ports/store';
import { cardOwner, type WatchView } from '../../use-cases/watch-view';
import { type CardMessage, type CardState, mappingCardMessage } from '../blocks/mapping';
import { slackFailureReason } from '../failure';
import type { ActorResolver } from '../pipeline/actors';
import { watchRender, watchText } from './watch';

/**
 * Redraws mappings' channel cards. One instance per app (built with its deps): the updates queued per card, and
 * what each card last showed, belong to it. Every redraw of a card goes through here, whoever asks (a watch, a
 * close, an Extend, a start).
 */
export interface CardPainter {
  /**
   * Redraws the card from the store as it is when this update's turn comes, one update at a time per card: for
   * the mapping that owns the card then (an Extend moves it to its new mapping), as its watch shows it, closed or
   * open; nothing when no mapping owns it. Two redraws finishing in either order cannot leave the older state
   * showing, nor a mapping that no longer owns the card. A card that already shows this is not sent again.
   * `simLabel`: the SIM's name where the owner has no watch to tell it. A Slack failure is logged, not thrown.
   */
  redraw(client: WebClient, card: SlackMessageRef, options?: { readonly simLabel?: string | undefined }): Promise<void>;
}

export const cardKey = (card: SlackMessageRef): string => `${card.channelId}:${card.ts}`;

export function createCardPainter(deps: { readonly store: Store; readonly logger: Logger; readonly actors: ActorResolver }): CardPainter {
  const turns = createKeyedTurns();
  const lastDrawn = new Map<string, string>();

  const draw = async (client: WebClient, card: SlackMessageRef, simLabel: string | undefined): Promise<void> => {
    const owner = await cardOwner(deps, card);
    if (owner === undefined) return;
    const { mapping, view } = owner;
    const lang = await deps.actors.lang(client, mapping.openedBy.userId);
    const message = cardOf(lang, mapping, view, simLabel);
    const key = cardKey(card);
    const drawn = JSON.stringify(message);
    // A redraw asked by another mapping's job, or by a close, may have drawn this already: not sent twice.
    if (lastDrawn.get(key) === drawn) return;
    try {
      await client.chat.update({ channel: card.channelId, ts: card.ts, text: message.text, blocks: message.blocks, metadata: message.metadata });
      lastDrawn.set(key, drawn);
    } catch (error) {
      deps.logger.warn('Could not update the mapping card', mapping.id, slackFailureReason(error));
    }
  };

  return {
    redraw: (client, card, options = {}) => turns.run(cardKey(card), () => draw(client, card, options.simLabel)),
  };
}

/** The card as its watch shows it; without a watch (none yet, or none kept), plainly open or closed. */
function cardOf(lang: Lang, mapping: StoredMapping, view: WatchView | undefined, simLabel: string | undefined): CardMessage {
  const closed: CardState | undefined =
    mapping.closed === undefined ? undefined : { kind: 'closed', byUserId: mapping.closed.byUserId, atMs: mapping.closed.atMs };
  if (view === undefined) {
    return mappingCardMessage(lang, { mapping, simLabel: simLabel ?? mapping.simId ?? mapping.imsi ?? '?' }, closed ?? { kind: 'open' });
  }
  const { summary } = view;
  const state: CardState = closed ?? (summary.ended !== undefined && summary.ended.how !== 'closed' ? { kind: 'ended' } : { kind: 'open' });
  const lines = cardMessages(summary, watchRender).map((ref) => watchText(lang, ref));
  return mappingCardMessage(lang, { mapping, simLabel: view.simLabel }, state, lines);
}
