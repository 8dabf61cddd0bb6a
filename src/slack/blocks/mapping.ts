import { formatSpan } from '../../domain/duration';
import { t } from '../text';
import type { Lang, MessageRef } from '../../domain/i18n/message-ref';
import { connectCommand, endpointHost, protocolOfPort, serviceLabel, usableSshUser } from '../../domain/port-mapping';
import type { StoredMapping } from '../../use-cases/ports/store';
import type { ListedMapping } from '../../use-cases/list-mappings';
import { encodeActionValue } from '../action-value';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../ids';
import { actions, button, context, escapeMrkdwn, mention, notice, section, slackDate, slackLink, type KnownBlock, type SlackMessage } from './common';

/**
 * Every message about a mapping. Two audiences, two rules: the requester's ephemeral reply carries the
 * endpoint (host, public port, a ready-to-copy command); the channel card never does — not in its text,
 * its blocks, its button values or its metadata (SORACOM asks that the issued IP, port and hostname stay private).
 */

export interface MappingView {
  readonly mapping: StoredMapping;
  readonly simLabel: string;
  readonly sshUser: string | undefined;
}

function mappingButtons(mapping: StoredMapping, lang: Lang, include: { diagnose: boolean; close: boolean; openAgain: boolean }): KnownBlock {
  const value = encodeActionValue({ v: 1, mappingId: mapping.id });
  const elements = [
    ...(include.diagnose ? [button({ text: t(lang, 'slack.button.diagnose'), actionId: ACTION_IDS.diagnoseMapping, value })] : []),
    ...(include.close ? [button({ text: t(lang, 'slack.button.close-now'), actionId: ACTION_IDS.closeNow, value, style: 'danger' })] : []),
    ...(include.openAgain ? [button({ text: t(lang, 'slack.button.open-again'), actionId: ACTION_IDS.openAgain, value })] : []),
  ];
  return actions(`napter_mapping_${mapping.id}`, elements);
}

/** The requester's reply (ephemeral or DM): the endpoint, its expiry, the command, and the buttons. */
export function mappingResultMessage(lang: Lang, view: MappingView, outcome: 'created' | 'reused', notices: readonly MessageRef[] = []): SlackMessage {
  const { mapping } = view;
  const endpoint = escapeMrkdwn(`${endpointHost(mapping)}:${mapping.port}`);
  const params = {
    sim: escapeMrkdwn(view.simLabel),
    service: serviceLabel(mapping.devicePort),
    endpoint,
    expires: slackDate(mapping.expiresAtMs, 'minutes'),
    duration: formatSpan(mapping.durationSec, lang),
    source: escapeMrkdwn(mapping.sourceCidr),
  };
  const headline = t(lang, outcome === 'created' ? 'slack.open.created' : 'slack.open.reused', params);
  const command = escapeMrkdwn(connectCommand(mapping, view.sshUser));
  const blocks: KnownBlock[] = [
    section(headline),
    section(
      [
        t(lang, 'slack.open.endpoint', params),
        t(lang, 'slack.open.expires', params),
        t(lang, 'slack.open.source', params),
        mapping.tlsRequired ? t(lang, 'slack.open.tls-on') : undefined,
      ]
        .filter((line): line is string => line !== undefined)
        .join('\n'),
    ),
    section(`${t(lang, 'slack.open.command')}\n\`\`\`${command}\`\`\``),
    ...(protocolOfPort(mapping.devicePort) === 'ssh' && usableSshUser(view.sshUser) === undefined ? [context(t(lang, 'slack.open.ssh-user-hint'))] : []),
    context(t(lang, 'slack.open.private-note')),
    ...notices.map((notice) => context(t(lang, notice))),
    mappingButtons(mapping, lang, { diagnose: true, close: true, openAgain: true }),
  ];
  return { text: `${headline} ${endpoint}`, blocks };
}

export type CardState =
  | { readonly kind: 'open' }
  | { readonly kind: 'closed'; readonly byUserId: string; readonly atMs: number }
  /** Expired, or deleted outside the bot: said so, with Open again. */
  | { readonly kind: 'ended' };

export interface CardMessage extends SlackMessage {
  readonly metadata: { readonly event_type: string; readonly event_payload: Record<string, string | number | boolean> };
}

/**
 * The channel's card: who opened what, for how long; the endpoint masked, and only ids in the metadata. `watch`:
 * what the audit log showed so far, addresses masked (rendered by the caller, outside strings escaped).
 */
export function mappingCardMessage(lang: Lang, view: Omit<MappingView, 'sshUser'>, state: CardState, watch: readonly string[] = []): CardMessage {
  const { mapping } = view;
  const params = {
    user: mention(mapping.openedBy.userId),
    sim: escapeMrkdwn(view.simLabel),
    service: serviceLabel(mapping.devicePort),
    duration: formatSpan(mapping.durationSec, lang),
    expires: slackDate(mapping.expiresAtMs, 'minutes'),
  };
  const watchLines = watch.length > 0 ? [context(watch.join('\n'))] : [];
  const masked = context(t(lang, 'slack.card.masked', params));
  const blocks: KnownBlock[] =
    state.kind === 'open'
      ? [section(t(lang, 'slack.card.open', params)), ...watchLines, masked, mappingButtons(mapping, lang, { diagnose: true, close: true, openAgain: false })]
      : state.kind === 'closed'
        ? [section(t(lang, 'slack.card.closed', { ...params, closedBy: mention(state.byUserId), at: slackDate(state.atMs, 'minutes') })), ...watchLines, masked]
        : [
            section(t(lang, 'slack.card.ended', params)),
            ...watchLines,
            masked,
            mappingButtons(mapping, lang, { diagnose: false, close: false, openAgain: true }),
          ];
  const text = t(lang, `slack.card.${state.kind}.fallback`, params);
  return {
    text,
    blocks,
    metadata: {
      event_type: METADATA_EVENT_TYPES.mappingCard,
      event_payload: {
        mapping_id: mapping.id,
        sim_id: mapping.simId ?? '',
        device_port: mapping.devicePort,
        opened_by: mapping.openedBy.userId,
        expires_at_ms: mapping.expiresAtMs,
        state: state.kind,
        ...(state.kind === 'closed' ? { closed_by: state.byUserId } : {}),
      },
    },
  };
}

export interface IpCaptureView {
  /** The capture's row id, carried by the link button so that its click can name the message to update. */
  readonly captureId: string;
  readonly url: string;
  readonly expiresAtMs: number;
  readonly simLabel: string;
  readonly devicePort: number;
  readonly durationSec: number;
}

/** The one-time link to the IP page, with a link button. */
export function ipCaptureMessage(lang: Lang, view: IpCaptureView): SlackMessage {
  const params = {
    sim: escapeMrkdwn(view.simLabel),
    service: serviceLabel(view.devicePort),
    duration: formatSpan(view.durationSec, lang),
    expires: slackDate(view.expiresAtMs, 'minutes'),
    link: slackLink(view.url, t(lang, 'slack.capture.link')),
  };
  const text = t(lang, 'slack.capture.prompt', params);
  return {
    text,
    blocks: [
      section(text),
      actions('napter_ip_capture', [
        button({
          text: t(lang, 'slack.button.open-ip-page'),
          actionId: ACTION_IDS.openIpCapturePage,
          url: view.url,
          value: encodeActionValue({ v: 1, captureId: view.captureId }),
          style: 'primary',
        }),
      ]),
      context(t(lang, 'slack.capture.note', params)),
    ],
  };
}

/** How many mappings one list message shows; Slack allows 50 blocks, each mapping takes two. */
const MAX_LISTED_MAPPINGS = 20;

/**
 * `/napter list`: ephemeral, yet a full endpoint is shown only for the viewer's own mappings and to
 * bot admins (a screen share or a forwarded screenshot should not leak other people's endpoints).
 */
export function mappingListMessage(
  lang: Lang,
  items: readonly ListedMapping[],
  viewer: { readonly userId: string; readonly isAdmin: boolean },
  scope: string | undefined,
  /** Rows on SIMs the policy does not let the viewer list: counted, never shown. */
  hiddenCount = 0,
): SlackMessage {
  const hiddenNote = hiddenCount > 0 ? [context(t(lang, 'slack.list.hidden', { count: hiddenCount }))] : [];
  if (items.length === 0) {
    const empty = notice(scope === undefined ? t(lang, 'slack.list.empty') : t(lang, 'slack.list.empty-sim', { sim: escapeMrkdwn(scope) }));
    return { ...empty, blocks: [...empty.blocks, ...hiddenNote] };
  }
  const header =
    scope === undefined
      ? t(lang, 'slack.list.header', { count: items.length })
      : t(lang, 'slack.list.header-sim', { count: items.length, sim: escapeMrkdwn(scope) });
  const blocks: KnownBlock[] = [section(header)];
  for (const item of items.slice(0, MAX_LISTED_MAPPINGS)) {
    const { mapping, stored } = item;
    const own = stored !== undefined && stored.openedBy.userId === viewer.userId;
    const reveal = own || viewer.isAdmin;
    const params = {
      sim: escapeMrkdwn(item.simName ?? item.simId ?? item.imsi ?? '?'),
      service: serviceLabel(mapping.destination.port),
      expires: slackDate(mapping.expiresAtMs, 'minutes'),
      endpoint: reveal ? `\`${escapeMrkdwn(`${endpointHost(mapping)}:${mapping.port}`)}\`` : t(lang, 'slack.list.endpoint-hidden'),
      openedBy: stored === undefined ? t(lang, 'slack.list.opened-outside') : mention(stored.openedBy.userId),
      source: reveal ? escapeMrkdwn(mapping.sourceIpRanges.join(', ')) : t(lang, 'slack.list.source-hidden'),
      tls: mapping.tlsRequired ? t(lang, 'slack.list.tls-on') : '',
    };
    blocks.push(section(t(lang, 'slack.list.row', params)));
    if (stored !== undefined && (own || viewer.isAdmin)) {
      blocks.push(mappingButtons(stored, lang, { diagnose: true, close: true, openAgain: false }));
    }
  }
  if (items.length > MAX_LISTED_MAPPINGS) {
    blocks.push(context(t(lang, 'slack.list.more', { count: items.length - MAX_LISTED_MAPPINGS })));
  }
  return { text: header, blocks: [...blocks, ...hiddenNote] };
}
