import { randomBytes } from 'node:crypto';
import { NapterBotError } from '../common/errors';
import type { FakeSlack } from './fake-slack';
import { toSlackMessage, toSlackView, type FakeView } from './model';
import { postSigned } from './signing';
import type { WorkspaceChannelSpec, WorkspaceUserSpec } from './workspace';

export { postSigned, signSlackRequest, type SignedPostOptions, type SignedPostResult } from './signing';

/**
 * Plays the user's side of Slack against a running Bolt app: slash commands, button clicks and modal
 * submissions, over HTTP (signed form posts to the app's events URL) or Socket Mode (envelopes over the
 * fake's WebSocket). Payloads have the shape Slack sends; both transports give the same DriverResult,
 * so one scenario can run against both.
 */
export type DriverTransport = { kind: 'http'; eventsUrl: string; signingSecret: string } | { kind: 'socket' };

export interface DriverResult {
  /** HTTP status of the app's answer; 200 for an acked envelope in Socket Mode. */
  status: number;
  /**
   * The ack body, normalized across transports: undefined for a bare `ack()`, `{text}` for `ack('…')`,
   * the object otherwise (`{response_type, text, blocks}`, `{response_action, errors}`, …).
   */
  body: Record<string, unknown> | undefined;
  /** The undecoded answer: the HTTP response text, or the Socket Mode ack payload. */
  raw: unknown;
  /** The response_url the payload carried (commands and clicks on messages). */
  responseUrl: string | undefined;
  triggerId: string;
}

export interface ClickButtonArgs {
  userId: string;
  /** Defaults to the message's channel. */
  channelId?: string;
  /** The message holding the button; a FakeMessage or FakeEphemeral can be passed as is. */
  message?: { ts: string; channelId: string; ephemeral?: boolean; blocks: unknown[] };
  /** The modal holding the button, instead of a message. */
  view?: FakeView;
  actionId: string;
  /** Overrides the element's own value (to send a tampered or stale value). */
  value?: string;
  /** Needed only when the element is not in the blocks (a forged click). */
  blockId?: string;
}

export interface SubmitViewArgs {
  userId: string;
  /** As opened by views.open (from `fake.openedViews`). */
  view: FakeView;
  /** `state.values`: block_id → action_id → `{type, value}` / `{type, selected_option}` / … */
  values: Record<string, Record<string, Record<string, unknown>>>;
}

export interface CloseViewArgs {
  userId: string;
  view: FakeView;
}

export interface SlackDriver {
  command(text: string, as: { userId: string; channelId: string }): Promise<DriverResult>;
  clickButton(args: ClickButtonArgs): Promise<DriverResult>;
  submitView(args: SubmitViewArgs): Promise<DriverResult>;
  /**
   * The user closes the modal (its close button). Slack tells the app only when the view asked for it
   * (`notify_on_close`): then the `view_closed` delivery's result, otherwise undefined.
   */
  closeView(args: CloseViewArgs): Promise<DriverResult | undefined>;
  /** The user opens the app's Home tab: Slack sends `app_home_opened` (tab `home`, with the view last published). */
  openHome(userId: string): Promise<DriverResult>;
}

export interface SlackDriverOptions {
  fake: FakeSlack;
  transport: DriverTransport;
  /** The slash command the app registered; default '/napter'. */
  slashCommand?: string;
}

/** Slack still sends the deprecated verification token; apps must not rely on it. */
const VERIFICATION_TOKEN = 'fake-verification-token';

export function createSlackDriver(options: SlackDriverOptions): SlackDriver {
  const { fake, transport } = options;
  const slashCommand = options.slashCommand ?? '/napter';

  const user = (userId: string): WorkspaceUserSpec => {
    const found = fake.workspace.users.find((candidate) => candidate.id === userId);
    if (found === undefined) throw new NapterBotError('fake_slack_unknown_user', `User ${userId} is not in the fake workspace`);
    return found;
  };
  const channel = (channelId: string): WorkspaceChannelSpec => {
    const found = fake.workspace.channels.find((candidate) => candidate.id === channelId);
    if (found === undefined) throw new NapterBotError('fake_slack_unknown_channel', `Channel ${channelId} is not in the fake workspace`);
    return found;
  };
  const userObject = (userId: string) => {
    const spec = user(userId);
    return { id: spec.id, username: spec.name, name: spec.name, team_id: fake.workspace.teamId };
  };
  const team = () => ({ id: fake.workspace.teamId, domain: fake.workspace.teamDomain });
  const appId = () => fake.workspace.appId ?? 'A0FAKENAPTER';
  const actionTs = () => `${Math.floor(fake.clock.nowMs() / 1000)}.${String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, '0')}`;

  async function deliver(
    kind: 'command' | 'interactive' | 'event',
    payload: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> | undefined; raw: unknown }> {
    if (transport.kind === 'socket') {
      const ack = await fake.socket.sendEnvelope(kind === 'command' ? 'slash_commands' : kind === 'event' ? 'events_api' : 'interactive', payload);
      return { status: 200, body: normalizeAckBody(ack.payload), raw: ack.payload };
    }
    const form =
      kind === 'command'
        ? new URLSearchParams(Object.entries(payload).map(([key, value]): [string, string] => [key, String(value)]))
        : new URLSearchParams({ payload: JSON.stringify(payload) });
    // Events API deliveries are JSON; commands and interactions are forms.
    const answer =
      kind === 'event'
        ? await postSigned(transport.eventsUrl, JSON.stringify(payload), { secret: transport.signingSecret, contentType: 'application/json' })
        : await postSigned(transport.eventsUrl, form.toString(), { secret: transport.signingSecret });
    let decoded: unknown = answer.text;
    if (answer.text === '') decoded = undefined;
    else if ((answer.contentType ?? '').startsWith('application/json')) {
      try {
        decoded = JSON.parse(answer.text) as unknown;
      } catch {
        decoded = answer.text;
      }
    }
    return { status: answer.status, body: answer.status === 200 ? normalizeAckBody(decoded) : undefined, raw: answer.text };
  }

  return {
    async command(text, as) {
      const caller = user(as.userId);
      const where = channel(as.channelId);
      if (!where.members.includes(caller.id)) {
        throw new NapterBotError(
          'fake_slack_not_a_member',
          `${caller.id} is not a member of ${where.id}; a user can only run a command where they can type`,
        );
      }
      const responseUrl = fake.newResponseUrl({ channelId: where.id, userId: caller.id });
      const triggerId = fake.newTriggerId(caller.id);
      const payload = {
        token: VERIFICATION_TOKEN,
        team_id: fake.workspace.teamId,
        team_domain: fake.workspace.teamDomain,
        channel_id: where.id,
        channel_name: where.isIm === true ? 'directmessage' : where.name,
        user_id: caller.id,
        user_name: caller.name,
        command: slashCommand,
        text,
        api_app_id: appId(),
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: triggerId,
      };
      const answer = await deliver('command', payload);
      if (answer.status === 200) fake.recordAckReply(responseUrl, answer.body);
      return { ...answer, responseUrl, triggerId };
    },

    async clickButton(args) {
      const clicker = userObject(args.userId);
      const triggerId = fake.newTriggerId(args.userId);
      const base = {
        type: 'block_actions',
        user: clicker,
        api_app_id: appId(),
        token: VERIFICATION_TOKEN,
        trigger_id: triggerId,
        team: team(),
        enterprise: null,
        is_enterprise_install: false,
        state: { values: {} },
      };
      if (args.view !== undefined) {
        const view = fake.findView(args.view.id) ?? args.view;
        if (view.status === 'closed') throw new NapterBotError('fake_slack_view_closed', `View ${view.id} is closed; nobody can click in it`);
        const element = locateElement([view.blocks, args.view.blocks], args);
        const payload = {
          ...base,
          container: { type: 'view', view_id: view.id },
          view: { ...toSlackView(view), state: { values: {} } },
          actions: [actionOf(element, args, actionTs())],
        };
        const answer = await deliver('interactive', payload);
        return { ...answer, responseUrl: undefined, triggerId };
      }
      const source = args.message;
      if (source === undefined) throw new NapterBotError('fake_slack_click_without_source', 'clickButton needs a message or a view');
      const channelId = args.channelId ?? source.channelId;
      const where = channel(channelId);
      const ephemeral = source.ephemeral === true;
      const storedEphemeral = ephemeral
        ? fake.ephemerals({ channelId: source.channelId, includeDeleted: true }).find((candidate) => candidate.ts === source.ts)
        : undefined;
      if (storedEphemeral?.deleted === true) {
        throw new NapterBotError('fake_slack_message_gone', `Ephemeral ${source.ts} was deleted; nobody can click in it`);
      }
      if (storedEphemeral !== undefined && storedEphemeral.userId !== args.userId) {
        throw new NapterBotError('fake_slack_not_visible', `Ephemeral ${source.ts} is shown to ${storedEphemeral.userId} only`);
      }
      const stored = ephemeral ? undefined : fake.findMessage(source.channelId, source.ts);
      const currentBlocks = storedEphemeral?.blocks ?? stored?.blocks ?? source.blocks;
      const element = locateElement([currentBlocks, source.blocks], args);
      const responseUrl = fake.newResponseUrl({
        channelId,
        userId: args.userId,
        sourceMessage: { channelId: source.channelId, ts: source.ts, ephemeral },
      });
      const threadTs = stored?.threadTs ?? storedEphemeral?.threadTs;
      const payload = {
        ...base,
        container: {
          type: 'message',
          message_ts: source.ts,
          channel_id: source.channelId,
          is_ephemeral: ephemeral,
          ...(threadTs === undefined ? {} : { thread_ts: threadTs }),
        },
        channel: { id: where.id, name: where.isIm === true ? 'directmessage' : where.name },
        // Slack leaves `message` out of payloads from ephemeral messages: only the container names them.
        ...(ephemeral
          ? {}
          : {
              message:
                stored !== undefined
                  ? toSlackMessage(stored, fake.workspace.teamId)
                  : { type: 'message', user: fake.workspace.botUserId, bot_id: fake.workspace.botId, ts: source.ts, text: '', blocks: source.blocks },
            }),
        response_url: responseUrl,
        actions: [actionOf(element, args, actionTs())],
      };
      const answer = await deliver('interactive', payload);
      return { ...answer, responseUrl, triggerId };
    },

    async submitView(args) {
      const view = fake.findView(args.view.id) ?? args.view;
      if (view.status === 'closed') throw new NapterBotError('fake_slack_view_closed', `View ${view.id} is closed; it cannot be submitted`);
      if (view.userId !== args.userId) {
        throw new NapterBotError('fake_slack_not_visible', `View ${view.id} is shown to ${view.userId}, not ${args.userId}`);
      }
      const triggerId = fake.newTriggerId(args.userId);
      const payload = {
        type: 'view_submission',
        team: team(),
        user: userObject(args.userId),
        api_app_id: appId(),
        token: VERIFICATION_TOKEN,
        trigger_id: triggerId,
        view: { ...toSlackView(view), state: { values: args.values } },
        response_urls: [],
        enterprise: null,
        is_enterprise_install: false,
      };
      const answer = await deliver('interactive', payload);
      if (answer.status === 200) fake.applyViewSubmissionAck(view.id, answer.body);
      return { ...answer, responseUrl: undefined, triggerId };
    },

    async openHome(userId) {
      const viewer = user(userId);
      const published = fake.homeView(viewer.id);
      const eventTs = actionTs();
      const payload = {
        token: VERIFICATION_TOKEN,
        team_id: fake.workspace.teamId,
        api_app_id: appId(),
        event: {
          type: 'app_home_opened',
          user: viewer.id,
          channel: `D${viewer.id}`,
          tab: 'home',
          event_ts: eventTs,
          ...(published === undefined ? {} : { view: toSlackView(published) }),
        },
        type: 'event_callback',
        event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
        event_time: Math.floor(fake.clock.nowMs() / 1000),
        authorizations: [{ enterprise_id: null, team_id: fake.workspace.teamId, user_id: fake.workspace.botUserId, is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      };
      const answer = await deliver('event', payload);
      return { ...answer, responseUrl: undefined, triggerId: '' };
    },

    async closeView(args) {
      const view = fake.findView(args.view.id) ?? args.view;
      if (view.status === 'closed') throw new NapterBotError('fake_slack_view_closed', `View ${view.id} is already closed`);
      if (view.userId !== args.userId) {
        throw new NapterBotError('fake_slack_not_visible', `View ${view.id} is shown to ${view.userId}, not ${args.userId}`);
      }
      // Slack closes the modal whatever the app answers; the event only informs it.
      fake.closeView(view.id);
      if (!view.notifyOnClose) return undefined;
      const payload = {
        type: 'view_closed',
        team: team(),
        user: userObject(args.userId),
        api_app_id: appId(),
        token: VERIFICATION_TOKEN,
        view: toSlackView(view),
        is_cleared: false,
        enterprise: null,
        is_enterprise_install: false,
      };
      const answer = await deliver('interactive', payload);
      return { ...answer, responseUrl: undefined, triggerId: '' };
    },
  };
}

/** Both transports to one shape: undefined for an empty ack, `{text}` for a string ack. */
function normalizeAckBody(raw: unknown): Record<string, unknown> | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw === 'string') return { text: raw };
  if (typeof raw === 'object' && !Array.isArray(raw)) {
    return Object.keys(raw).length === 0 ? undefined : (raw as Record<string, unknown>);
  }
  return { value: raw };
}

interface LocatedElement {
  blockId: string;
  element: Record<string, unknown>;
}

/** Finds the element the user clicks: in the current blocks first, then in the blocks the caller saw. */
function locateElement(blockLists: unknown[][], args: ClickButtonArgs): LocatedElement {
  for (const blocks of blockLists) {
    for (const block of blocks) {
      if (typeof block !== 'object' || block === null) continue;
      const record = block as Record<string, unknown>;
      const blockId = typeof record['block_id'] === 'string' ? record['block_id'] : undefined;
      if (args.blockId !== undefined && blockId !== args.blockId) continue;
      const candidates = [
        ...(Array.isArray(record['elements']) ? record['elements'] : []),
        record['accessory'],
        record['element'],
      ];
      for (const candidate of candidates) {
        if (typeof candidate !== 'object' || candidate === null) continue;
        const element = candidate as Record<string, unknown>;
        // Slack fills in a block_id when the app sent none; the fake uses a stable stand-in.
        if (element['action_id'] === args.actionId) return { blockId: blockId ?? 'fake-generated-block-id', element };
      }
    }
  }
  if (args.blockId !== undefined) return { blockId: args.blockId, element: { type: 'button', action_id: args.actionId } };
  throw new NapterBotError(
    'fake_slack_no_such_element',
    `No element with action_id ${args.actionId} in the blocks: the user cannot click it (pass blockId to forge the click)`,
  );
}

function actionOf(located: LocatedElement, args: ClickButtonArgs, actionTs: string): Record<string, unknown> {
  const { element } = located;
  const value = args.value ?? (typeof element['value'] === 'string' ? element['value'] : undefined);
  return {
    type: typeof element['type'] === 'string' ? element['type'] : 'button',
    action_id: args.actionId,
    block_id: located.blockId,
    ...(element['text'] === undefined ? {} : { text: element['text'] }),
    ...(value === undefined ? {} : { value }),
    ...(element['style'] === undefined ? {} : { style: element['style'] }),
    ...(element['url'] === undefined ? {} : { url: element['url'] }),
    action_ts: actionTs,
  };
}
