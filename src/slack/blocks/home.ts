import { VERDICT_IDS, type VerdictId } from '../../domain/diagnosis/types';
import type { Lang } from '../../domain/i18n/message-ref';
import { endpointHost, serviceLabel } from '../../domain/port-mapping';
import type { HomeContent, HomeMapping } from '../../use-cases/home';
import { encodeActionValue } from '../action-value';
import { ACTION_IDS } from '../ids';
import { t } from '../text';
import { actions, button, context, escapeMrkdwn, type KnownBlock, mention, plainText, section, slackDate } from './common';
import { verdictTitle } from './diagnosis';

/** A Home tab view (`views.publish`), its blocks the bot's own typed ones. */
export interface HomeView {
  readonly type: 'home';
  readonly blocks: KnownBlock[];
}

/**
 * The App Home tab of one viewer: their active mappings with Extend, Close now and Diagnose (the same action ids
 * and values as everywhere else), their recent diagnoses, and for admins every other active mapping — masked:
 * the endpoint of someone else's mapping never shows, whoever looks. Every outside string is escaped here.
 */
export function homeView(lang: Lang, content: HomeContent, nowMs: number): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plainText(t(lang, 'home.title'), 150) },
    context(t(lang, 'home.intro'), t(lang, 'home.updated', { at: slackDate(nowMs, 'minutes') })),
    section(t(lang, 'home.own.header')),
  ];
  if (content.own.length === 0) blocks.push(context(t(lang, 'home.own.empty')));
  for (const item of content.own) blocks.push(...ownMapping(lang, item));
  if (content.more.own > 0) blocks.push(context(t(lang, 'home.more', { count: content.more.own })));

  blocks.push({ type: 'divider' }, section(t(lang, 'home.diagnoses.header')));
  if (content.diagnoses.length === 0) blocks.push(context(t(lang, 'home.diagnoses.empty')));
  else {
    const lines = content.diagnoses.map(({ diagnosis, simLabel, atMs }) =>
      t(lang, 'home.diagnoses.row', {
        at: slackDate(atMs, 'minutes'),
        sim: escapeMrkdwn(simLabel),
        verdict: isVerdict(diagnosis.verdict) ? verdictTitle(lang, diagnosis.verdict) : escapeMrkdwn(diagnosis.verdict),
        // A diagnosis the bot could not post in its channel went to the requester alone: no channel link then.
        channel: diagnosis.parentTs === undefined ? t(lang, 'home.diagnoses.private') : `<#${diagnosis.channelId}>`,
      }),
    );
    blocks.push(section(lines.map((line) => `• ${line}`).join('\n')));
  }

  if (content.others !== undefined) {
    blocks.push({ type: 'divider' }, section(t(lang, 'home.admin.header')));
    if (content.others.length === 0) blocks.push(context(t(lang, 'home.admin.empty')));
    for (const item of content.others) blocks.push(otherMapping(lang, item));
    if (content.more.others > 0) blocks.push(context(t(lang, 'home.more', { count: content.more.others })));
  }
  return { type: 'home', blocks };
}

/** The viewer's own mapping: its endpoint (theirs, on a tab only they see) and its three buttons. */
function ownMapping(lang: Lang, { mapping, simLabel }: HomeMapping): KnownBlock[] {
  const value = encodeActionValue({ v: 1, mappingId: mapping.id });
  const params = {
    sim: escapeMrkdwn(simLabel),
    service: serviceLabel(mapping.devicePort),
    source: escapeMrkdwn(mapping.sourceCidr),
    expires: slackDate(mapping.expiresAtMs, 'minutes'),
    endpoint: escapeMrkdwn(`${endpointHost(mapping)}:${mapping.port}`),
  };
  return [
    section(`${t(lang, 'home.own.row', params)}\n${t(lang, 'home.own.endpoint', params)}`),
    actions(`napter_home_${mapping.id}`, [
      button({ text: t(lang, 'home.button.extend'), actionId: ACTION_IDS.extend, value, style: 'primary' }),
      button({ text: t(lang, 'slack.button.close-now'), actionId: ACTION_IDS.closeNow, value, style: 'danger' }),
      button({ text: t(lang, 'slack.button.diagnose'), actionId: ACTION_IDS.diagnoseMapping, value }),
    ]),
  ];
}

/** Someone else's mapping, for an admin: who, what, until when; never its endpoint. Close now, as admins may. */
function otherMapping(lang: Lang, { mapping, simLabel }: HomeMapping): KnownBlock {
  const text = t(lang, 'home.admin.row', {
    sim: escapeMrkdwn(simLabel),
    service: serviceLabel(mapping.devicePort),
    user: mention(mapping.openedBy.userId),
    source: escapeMrkdwn(mapping.sourceCidr),
    expires: slackDate(mapping.expiresAtMs, 'minutes'),
  });
  const accessory = button({
    text: t(lang, 'slack.button.close-now'),
    actionId: ACTION_IDS.closeNow,
    value: encodeActionValue({ v: 1, mappingId: mapping.id }),
    style: 'danger',
  });
  return { ...section(text, `napter_home_other_${mapping.id}`), accessory } as KnownBlock;
}

function isVerdict(verdict: string): verdict is VerdictId {
  return (VERDICT_IDS as readonly string[]).includes(verdict);
}
