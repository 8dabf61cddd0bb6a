import type { UsageError } from '../../domain/command/types';
import { hasMessage } from '../../domain/i18n/catalog';
import { t } from '../text';
import type { Lang, MessageRef } from '../../domain/i18n/message-ref';
import type { SimSnapshot } from '../../domain/soracom';
import { context, escapeMrkdwn, escapeParams, mention, notice, section, statusText, tEscaped, type SlackMessage } from './common';

/** What was wrong, then the right form: the parser's message (quoting what the user typed) and the usage line. */
export function usageErrorMessage(lang: Lang, error: UsageError): SlackMessage {
  const problem = tEscaped(lang, error.message);
  const usage = hasMessage(error.usageKey) ? t(lang, error.usageKey) : t(lang, 'command.usage.general');
  const text = `${problem}\n${t(lang, 'slack.usage.right-form')} ${usage}`;
  return {
    text,
    blocks: [section(`:warning: ${problem}`), section(`${t(lang, 'slack.usage.right-form')}\n${usage}`), context(t(lang, 'slack.usage.more'))],
  };
}

/** The policy's reason; its parameters may quote the policy file. The user and channel it names show as Slack's. */
export function deniedMessage(lang: Lang, reason: MessageRef): SlackMessage {
  return notice(`:no_entry: ${reasonText(lang, reason)}`);
}

/** The policy's reason as a line of mrkdwn: what it quotes escaped, the user and channel it names as Slack's links. */
export function reasonText(lang: Lang, reason: MessageRef): string {
  const { openedBy, channelId, ...quoted } = reason.params ?? {};
  const slackIds = {
    ...(openedBy === undefined ? {} : { openedBy: mention(escapeMrkdwn(String(openedBy))) }),
    ...(channelId === undefined ? {} : { channelId: `<#${escapeMrkdwn(String(channelId))}>` }),
  };
  return t(lang, reason.key, { ...escapeParams(quoted), ...slackIds });
}

export function simNotFoundMessage(lang: Lang, typed: string): SlackMessage {
  return notice(t(lang, 'slack.sim.not-found', { sim: escapeMrkdwn(typed) }));
}

export function simAmbiguousMessage(lang: Lang, typed: string, candidates: readonly SimSnapshot[], subcommand: string): SlackMessage {
  const title = t(lang, 'slack.sim.ambiguous', { sim: escapeMrkdwn(typed), count: candidates.length });
  const rows = candidates.map((sim) =>
    t(lang, 'slack.sim.candidate', {
      name: escapeMrkdwn(sim.name === '' ? '—' : sim.name),
      imsi: escapeMrkdwn(sim.imsi ?? '—'),
      simId: escapeMrkdwn(sim.simId),
      status: statusText(sim.status),
      online: t(lang, sim.online ? 'slack.sim.online' : 'slack.sim.offline'),
    }),
  );
  return {
    text: title,
    blocks: [section(title), section(rows.join('\n')), context(t(lang, 'slack.sim.ambiguous-hint', { subcommand }))],
  };
}

/** An unexpected failure, as the user sees it: what failed (it may quote Slack's or SORACOM's code), and the error code for the admin. */
export function failureMessage(lang: Lang, what: MessageRef, code: string): SlackMessage {
  const text = `:warning: ${tEscaped(lang, what)}`;
  return { text, blocks: [section(text), context(t(lang, 'slack.error.code', { code: escapeMrkdwn(code) }))] };
}

/** A one-line reply from a catalog message. */
export function plainMessageRef(lang: Lang, ref: MessageRef): SlackMessage {
  return notice(t(lang, ref));
}
