import type { ExtensionPlan } from '../expiry';
import type { MessageRef } from '../i18n/message-ref';
import { msg } from '../i18n/message-ref';
import type { MappingEnd } from '../mapping-end';
import { maskIp } from '../net/index';
import type { WatchChange, WatchSummary, WatchUpdate } from './types';

/**
 * The watch's news as catalog messages (area `watch`), for the Slack layer to render in the reader's
 * language. Times and durations come pre-rendered from the caller (Slack's date token, `formatDuration`).
 * The requester's private messages show addresses in full (which address was denied is the point); the
 * channel card shows them masked, as every channel text does.
 */

export interface WatchTextRender {
  /** A time, e.g. Slack's `<!date^…>` token. */
  time(ms: number): string;
  /** A duration in the reader's language, e.g. `formatDuration(sec, lang)`. */
  duration(sec: number): string;
}

export function endMessage(end: MappingEnd, render: Pick<WatchTextRender, 'time'>): MessageRef {
  return msg(`watch.end.${end.how}`, { at: render.time(end.atMs) });
}

function changeMessage(change: WatchChange, render: Pick<WatchTextRender, 'time'>): MessageRef[] {
  const ambiguous = 'ambiguous' in change && change.ambiguous ? [msg('watch.change.ambiguous')] : [];
  switch (change.kind) {
    case 'reached':
      return [msg('watch.change.reached', { count: change.connections }), ...ambiguous];
    case 'connected':
      return [msg('watch.change.connected', { count: change.connections, sources: change.sourceIps.join(', ') }), ...ambiguous];
    case 'denied':
      return [msg(`watch.change.denied.${change.requester}`, { ip: change.sourceIp, attempts: change.attempts }), ...ambiguous];
    case 'refused':
      return [msg('watch.change.refused', { ip: change.sourceIp, attempts: change.attempts }), ...ambiguous];
    case 'closed':
      return [
        msg('watch.change.closed', { count: change.connections }),
        ...(change.endedAtOnce > 0 ? [msg('watch.change.closed.at-once', { count: change.endedAtOnce })] : []),
        ...(change.withoutConnect > 0 ? [msg('watch.change.closed.without-connect', { count: change.withoutConnect })] : []),
      ];
    case 'ended':
      return [endMessage(change.end, render)];
  }
}

/** What the requester is told privately about an update: nothing when it has no changes (only the card moves). */
export function requesterMessages(update: WatchUpdate, render: Pick<WatchTextRender, 'time'>): MessageRef[] {
  return update.changes.flatMap((change) => changeMessage(change, render));
}

/** The watch's lines on the channel card, addresses masked. */
export function cardMessages(summary: WatchSummary, render: Pick<WatchTextRender, 'time'>): MessageRef[] {
  const { counts } = summary;
  const lines: MessageRef[] = [];
  if (counts.access === 0) lines.push(msg('watch.summary.quiet'));
  else lines.push(msg('watch.summary.counts', { ...counts }));
  const masked = (sources: WatchSummary['deniedSources']) => sources.map((source) => `${maskIp(source.ip)} (${source.attempts})`).join(', ');
  if (summary.deniedSources.length > 0) lines.push(msg('watch.summary.denied-sources', { sources: masked(summary.deniedSources) }));
  if (summary.refusedSources.length > 0) lines.push(msg('watch.summary.refused-sources', { sources: masked(summary.refusedSources) }));
  if (summary.otherSources > 0) lines.push(msg('watch.summary.other-sources', { count: summary.otherSources }));
  if (summary.ended !== undefined) lines.push(endMessage(summary.ended, render));
  return lines;
}

/** The answer to an Extend click, from its plan. `currentEndMs` is the old mapping's end, `policyMaxDurationSec` the policy's longest access. */
export function extensionMessage(
  plan: ExtensionPlan,
  context: { readonly currentEndMs: number; readonly policyMaxDurationSec: number },
  render: WatchTextRender,
): MessageRef {
  const max = render.duration(context.policyMaxDurationSec);
  if (!plan.ok) {
    if (plan.reason === 'policy-limit') return msg('watch.extend.refused.policy-limit', { max, at: render.time(context.currentEndMs) });
    return msg(`watch.extend.refused.${plan.reason}`);
  }
  const params = { until: render.time(plan.expiresAtMs), added: render.duration(plan.addedSec) };
  if (plan.limitedBy === 'policy') return msg('watch.extend.done.policy', { ...params, max });
  if (plan.limitedBy === 'napter') return msg('watch.extend.done.napter', params);
  return msg('watch.extend.done', params);
}
