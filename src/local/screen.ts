import type { FakeEphemeral, FakeMessage, FakeSlack, FakeView } from '../slack-fake/index';
import { buttonsOf, renderMessage, renderModal, textOf, type RenderOptions } from './render';

/**
 * What one person sees in Slack at one moment — the current channel, their DM with the bot, the
 * ephemerals only they see, their modals — and what of it is new since it was last printed. The REPL
 * asks for the changes whenever the local Slack stand-in reports one, so results appear as they arrive.
 */
export interface Viewer {
  readonly userId: string;
  readonly channelId: string;
}

export type VisibleMessage = FakeMessage | FakeEphemeral;

export interface Screen {
  /** Messages the viewer sees, oldest first. */
  messages(): VisibleMessage[];
  /** The viewer's modal on top, if one is open. */
  openModal(): FakeView | undefined;
  /** Rendered blocks of text for everything new or changed since the last call (all of it with `all`). */
  changes(options?: { readonly all?: boolean }): string[];
  /** The newest one-time IP page link the viewer was shown. */
  lastCaptureUrl(): string | undefined;
}

export function createScreen(fake: FakeSlack, viewer: () => Viewer, renderOptions: RenderOptions): Screen {
  const printed = new Map<string, string>();
  let captureUrl: string | undefined;
  const workspace = () => fake.workspace;
  const userLabel = (id: string) => `@${renderOptions.userName(id) ?? id}`;
  const channelLabel = (id: string) => {
    const channel = workspace().channels.find((candidate) => candidate.id === id);
    if (channel?.isIm === true && channel.members.includes(workspace().botUserId)) return 'your DM with napter';
    return `#${channel?.name ?? id}`;
  };
  const botDm = (userId: string) =>
    workspace().channels.find(
      (channel) => channel.isIm === true && channel.members.length === 2 && channel.members.includes(userId) && channel.members.includes(workspace().botUserId),
    );

  const messages = (): VisibleMessage[] => {
    const { userId, channelId } = viewer();
    const channels = [channelId, botDm(userId)?.id].filter((id): id is string => id !== undefined && id !== '');
    const posted = [...new Set(channels)].flatMap((id) => fake.channelMessages(id).flatMap((message) => [message, ...message.replies]));
    const ephemerals = fake.ephemerals({ userId, channelId });
    return [...posted, ...ephemerals].sort((a, b) => a.postedAtMs - b.postedAtMs || a.ts.localeCompare(b.ts));
  };

  const views = (): FakeView[] => fake.openedViews.filter((view) => view.userId === viewer().userId);

  const describeMessage = (message: VisibleMessage): string => {
    for (const button of buttonsOf(message.blocks)) {
      if (button.url?.includes('/napter/ip/')) captureUrl = button.url;
    }
    const header = message.ephemeral
      ? `── only visible to ${userLabel(message.userId)} in ${channelLabel(message.channelId)}${message.editCount > 0 ? ' (updated)' : ''}`
      : `── ${channelLabel(message.channelId)}${message.threadTs === undefined ? '' : ' (thread)'} · ${userLabel(message.user)}${message.editCount > 0 ? ' (edited)' : ''}`;
    return indent(header, renderMessage(message, renderOptions));
  };

  const describeView = (view: FakeView): string => {
    const title = textOf(view.title) ?? view.callbackId;
    if (view.status === 'closed') return `── modal "${title}" closed`;
    const header = `── modal "${title}"${view.updateCount > 0 ? ' (updated)' : ''} · only you see it · :submit field=value … or :cancel`;
    return indent(header, renderModal(view, renderOptions));
  };

  return {
    messages,
    openModal: () => views().filter((view) => view.status === 'open').pop(),
    lastCaptureUrl: () => captureUrl,
    changes(options = {}) {
      const out: string[] = [];
      const consider = (key: string, rendered: string, silent = false) => {
        if (options.all !== true && printed.get(key) === rendered) return;
        // A modal closed before anyone saw it is not news.
        if (silent && !printed.has(key) && options.all !== true) {
          printed.set(key, rendered);
          return;
        }
        printed.set(key, rendered);
        out.push(rendered);
      };
      for (const message of messages()) {
        consider(`${message.ephemeral ? 'e' : 'm'}:${message.channelId}:${message.ts}`, describeMessage(message));
      }
      for (const view of views()) {
        if (options.all === true && view.status === 'closed') continue;
        consider(`v:${view.id}`, describeView(view), view.status === 'closed');
      }
      return out;
    },
  };
}

function indent(header: string, body: string): string {
  return `${header}\n${body
    .split('\n')
    .map((line) => `   ${line}`)
    .join('\n')}`;
}
