import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../common/clock';
import { blocksField, flag, jsonField, metadataField, parseArgs, slackError, slackOk, tsField } from './args';
import { checkMessageBlocks, checkView } from './block-kit-checks';
import type { FaultInjector } from './faults';
import type { FakeFiles } from './files';
import { toSlackMessage, toSlackView, type FakeHttpAnswer, type FakeView } from './model';
import type { FakeSlackStore } from './store';
import type { TriggerIds } from './trigger-ids';
import { DEFAULT_USER_TZ, type WorkspaceChannelSpec, type WorkspaceModel } from './workspace';

/** Slack truncates or refuses top-level text above this; the fake refuses, to catch the bot doing it. */
const MAX_MESSAGE_TEXT = 40_000;

export interface WebApiDeps {
  clock: Clock;
  store: FakeSlackStore;
  workspace: () => WorkspaceModel;
  triggers: TriggerIds;
  faults: FaultInjector;
  botToken: string;
  /** When set, only this app token opens Socket Mode connections; otherwise any `xapp-` token does. */
  appToken: string | undefined;
  /** Whether the bot has `chat:write.public` (post in public channels it has not joined). */
  chatWritePublic: boolean;
  /** The external file uploads (files.getUploadURLExternal, files.completeUploadExternal). */
  files: FakeFiles;
  /** Issues a Socket Mode URL for apps.connections.open. */
  openSocketConnection: () => string;
}

type Handler = (args: Record<string, unknown>) => FakeHttpAnswer;

const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

const channelArgs = z.looseObject({ channel: z.string().min(1).optional() });

const postMessageArgs = z.looseObject({
  channel: z.string().optional(),
  text: z.string().optional(),
  blocks: blocksField.optional(),
  attachments: z.unknown().optional(),
  thread_ts: tsField.optional(),
  reply_broadcast: flag,
  metadata: metadataField.optional(),
});

const updateArgs = z.looseObject({
  channel: z.string().optional(),
  ts: tsField.optional(),
  text: z.string().optional(),
  blocks: blocksField.optional(),
  attachments: z.unknown().optional(),
  metadata: metadataField.optional(),
});

const postEphemeralArgs = z.looseObject({
  channel: z.string().optional(),
  user: z.string().optional(),
  text: z.string().optional(),
  blocks: blocksField.optional(),
  attachments: z.unknown().optional(),
  thread_ts: tsField.optional(),
});

const viewObject = jsonField(z.looseObject({ type: z.string() }));

const viewsOpenArgs = z.looseObject({ trigger_id: z.string().optional(), view: viewObject });
const viewsUpdateArgs = z.looseObject({
  view_id: z.string().optional(),
  external_id: z.string().optional(),
  hash: z.string().optional(),
  view: viewObject,
});
const viewsPublishArgs = z.looseObject({ user_id: z.string().optional(), hash: z.string().optional(), view: viewObject });

export class FakeWebApi {
  private readonly handlers: Record<string, Handler>;
  private viewCounter = 0;

  constructor(private readonly deps: WebApiDeps) {
    this.handlers = {
      'auth.test': () => this.authTest(),
      'chat.postMessage': (args) => this.postMessage(args),
      'chat.update': (args) => this.update(args),
      'chat.delete': (args) => this.deleteMessage(args),
      'chat.postEphemeral': (args) => this.postEphemeral(args),
      'views.open': (args) => this.openView(args, 'open'),
      'views.push': (args) => this.openView(args, 'push'),
      'views.update': (args) => this.updateView(args),
      'views.publish': (args) => this.publishView(args),
      'conversations.open': (args) => this.conversationsOpen(args),
      'files.getUploadURLExternal': (args) => this.deps.files.getUploadUrl(args),
      'files.completeUploadExternal': (args) => this.deps.files.complete(args),
      'users.info': (args) => this.usersInfo(args),
      'usergroups.users.list': (args) => this.userGroupUsers(args),
      'conversations.info': (args) => this.conversationsInfo(args),
      'conversations.join': (args) => this.conversationsJoin(args),
      'apps.connections.open': () => slackOk({ url: this.deps.openSocketConnection() }),
    };
  }

  /** Answers one Web API call: method lookup, token check, injected faults, then the method itself. */
  async handle(method: string, args: Record<string, unknown>, token: string | undefined): Promise<FakeHttpAnswer> {
    const handler = this.handlers[method];
    if (handler === undefined) return slackError('unknown_method');
    const authProblem = this.checkToken(method, token);
    if (authProblem !== undefined) return slackError(authProblem);
    await this.deps.faults.waitIfHeld(method);
    const delayMs = this.deps.faults.delayFor(method);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const fault = this.deps.faults.take(method);
    if (fault?.kind === 'error') return slackError(fault.error);
    if (fault?.kind === 'ratelimited') {
      return { status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': String(fault.retryAfterSec) } };
    }
    if (fault?.kind === 'server-error') return { status: fault.status, body: { ok: false, error: 'fake_slack_server_error' } };
    if (fault?.kind === 'hang') return new Promise<FakeHttpAnswer>(() => undefined);
    return handler(args);
  }

  private checkToken(method: string, token: string | undefined): string | undefined {
    if (token === undefined || token === '') return 'not_authed';
    const isAppToken = token.startsWith('xapp-');
    if (APP_TOKEN_METHODS.has(method)) {
      if (!isAppToken) return token === this.deps.botToken ? 'not_allowed_token_type' : 'invalid_auth';
      return this.deps.appToken === undefined || token === this.deps.appToken ? undefined : 'invalid_auth';
    }
    if (token === this.deps.botToken) return undefined;
    return isAppToken ? 'not_allowed_token_type' : 'invalid_auth';
  }

  private get workspace(): WorkspaceModel {
    return this.deps.workspace();
  }

  private authTest(): FakeHttpAnswer {
    const spec = this.workspace.spec;
    return slackOk({
      url: `https://${spec.teamDomain}.slack.com/`,
      team: spec.teamDomain,
      user: this.workspace.botName,
      team_id: spec.teamId,
      user_id: spec.botUserId,
      bot_id: spec.botId,
      is_enterprise_install: false,
    });
  }

  /** Where the bot may post: the realistic errors for conversations it is not in. */
  private postableConversation(channelArg: string | undefined): WorkspaceChannelSpec | FakeHttpAnswer {
    const channel = channelArg === undefined ? undefined : this.workspace.resolveConversation(channelArg);
    const visibility = this.workspace.visibility(channel);
    if (channel === undefined || visibility === 'invisible') return slackError('channel_not_found');
    if (visibility === 'public-non-member' && !this.deps.chatWritePublic) return slackError('not_in_channel');
    return channel;
  }

  private checkContent(text: string | undefined, blocks: unknown[] | undefined, attachments: unknown): FakeHttpAnswer | undefined {
    if ((text === undefined || text === '') && (blocks === undefined || blocks.length === 0) && attachments === undefined) {
      return slackError('no_text');
    }
    if (text !== undefined && text.length > MAX_MESSAGE_TEXT) return slackError('msg_too_long');
    if (blocks !== undefined) {
      const problems = checkMessageBlocks(blocks);
      if (problems.length > 0) return slackError('invalid_blocks', problems);
    }
    return undefined;
  }

  private postMessage(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(postMessageArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const args = parsed.value;
    const channel = this.postableConversation(args.channel);
    if (!isChannel(channel)) return channel;
    const contentProblem = this.checkContent(args.text, args.blocks, args.attachments);
    if (contentProblem !== undefined) return contentProblem;
    const spec = this.workspace.spec;
    const message = this.deps.store.addMessage({
      channelId: channel.id,
      ...(args.thread_ts === undefined ? {} : { threadTs: args.thread_ts }),
      text: args.text ?? '',
      blocks: args.blocks ?? [],
      ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
      user: spec.botUserId,
      botId: spec.botId,
      origin: 'chat.postMessage',
      replyBroadcast: args.reply_broadcast,
    });
    // Assumption: a thread_ts that names no message in the channel is refused rather than silently posted top-level.
    if (message === undefined) return slackError('thread_not_found');
    return slackOk({ channel: channel.id, ts: message.ts, message: toSlackMessage(message, spec.teamId) });
  }

  private update(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(updateArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const args = parsed.value;
    const channel = args.channel === undefined ? undefined : this.workspace.resolveConversation(args.channel);
    if (channel === undefined || this.workspace.visibility(channel) === 'invisible') return slackError('channel_not_found');
    const message = args.ts === undefined ? undefined : this.deps.store.findMessage(channel.id, args.ts);
    if (message === undefined) return slackError('message_not_found');
    if (message.user !== this.workspace.spec.botUserId) return slackError('cant_update_message');
    if (args.text === undefined && args.blocks === undefined && args.attachments === undefined && args.metadata === undefined) {
      return slackError('no_text');
    }
    const contentProblem = this.checkContent(args.text ?? message.text, args.blocks, args.attachments);
    if (contentProblem !== undefined) return contentProblem;
    // Omitted blocks keep the previous ones; an empty array removes them (as chat.update documents for attachments).
    this.deps.store.editMessage(message, {
      ...(args.text === undefined ? {} : { text: args.text }),
      ...(args.blocks === undefined ? {} : { blocks: args.blocks }),
      ...(args.metadata === undefined ? {} : { metadata: args.metadata }),
    });
    return slackOk({
      channel: channel.id,
      ts: message.ts,
      text: message.text,
      message: toSlackMessage(message, this.workspace.spec.teamId),
    });
  }

  private deleteMessage(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(z.looseObject({ channel: z.string().optional(), ts: tsField.optional() }), rawArgs);
    if (!parsed.ok) return parsed.error;
    const channel = parsed.value.channel === undefined ? undefined : this.workspace.resolveConversation(parsed.value.channel);
    if (channel === undefined || this.workspace.visibility(channel) === 'invisible') return slackError('channel_not_found');
    const message = parsed.value.ts === undefined ? undefined : this.deps.store.findMessage(channel.id, parsed.value.ts);
    if (message === undefined) return slackError('message_not_found');
    if (message.user !== this.workspace.spec.botUserId) return slackError('cant_delete_message');
    this.deps.store.deleteMessage(message);
    return slackOk({ channel: channel.id, ts: message.ts });
  }

  private postEphemeral(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(postEphemeralArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const args = parsed.value;
    const channel = this.postableConversation(args.channel);
    if (!isChannel(channel)) return channel;
    if (args.user === undefined || this.workspace.user(args.user) === undefined) return slackError('user_not_found');
    if (!channel.members.includes(args.user)) return slackError('user_not_in_channel');
    const contentProblem = this.checkContent(args.text, args.blocks, args.attachments);
    if (contentProblem !== undefined) return contentProblem;
    const ephemeral = this.deps.store.addEphemeral({
      channelId: channel.id,
      userId: args.user,
      ...(args.thread_ts === undefined ? {} : { threadTs: args.thread_ts }),
      text: args.text ?? '',
      blocks: args.blocks ?? [],
      origin: 'chat.postEphemeral',
    });
    return slackOk({ message_ts: ephemeral.ts });
  }

  private openView(rawArgs: Record<string, unknown>, mode: 'open' | 'push'): FakeHttpAnswer {
    const parsed = parseArgs(viewsOpenArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const problems = checkView(parsed.value.view);
    if (problems.length > 0) return slackError('invalid_arguments', problems);
    const trigger = this.deps.triggers.check(parsed.value.trigger_id);
    if (!trigger.ok) return slackError(trigger.error);
    const userId = trigger.value.userId;
    let rootViewId: string | undefined;
    let previousViewId: string | null = null;
    if (mode === 'push') {
      const top = [...this.deps.store.openedViews].reverse().find((view) => view.userId === userId && view.status === 'open');
      if (top === undefined) return slackError('not_found');
      rootViewId = top.rootViewId;
      previousViewId = top.id;
    }
    const externalId = stringProp(parsed.value.view, 'external_id');
    if (externalId !== undefined && this.deps.store.findViewByExternalId(externalId) !== undefined) {
      return slackError('duplicate_external_id');
    }
    if (parsed.value.trigger_id !== undefined) this.deps.triggers.use(parsed.value.trigger_id);
    const view: FakeView = { ...this.newView(userId, rootViewId, previousViewId), ...viewContent(parsed.value.view) };
    this.deps.store.openedViews.push(view);
    return slackOk({ view: toSlackView(view) });
  }

  private updateView(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(viewsUpdateArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const args = parsed.value;
    const problems = checkView(args.view);
    if (problems.length > 0) return slackError('invalid_arguments', problems);
    const view =
      args.view_id !== undefined
        ? this.deps.store.findView(args.view_id)
        : args.external_id !== undefined
          ? this.deps.store.findViewByExternalId(args.external_id)
          : undefined;
    if (view === undefined || view.status === 'closed') return slackError('not_found');
    if (args.hash !== undefined && args.hash !== view.hash) return slackError('hash_conflict');
    Object.assign(view, viewContent(args.view, view.externalId), { hash: this.newHash(), updateCount: view.updateCount + 1 });
    return slackOk({ view: toSlackView(view) });
  }

  /**
   * A user's Home tab: `user_not_found` for someone outside the workspace, `hash_conflict` when the hash given is
   * not the current one, `invalid_arguments` for a view Slack would refuse (a modal, or bad blocks). The view keeps
   * its id across publishes, as Slack's does.
   */
  private publishView(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(viewsPublishArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const { user_id: userId, hash, view: content } = parsed.value;
    if (userId === undefined || userId === '') return slackError('invalid_arguments', ['[ERROR] missing required field: user_id']);
    if (this.workspace.user(userId) === undefined) return slackError('user_not_found');
    const problems = checkView(content);
    if (content.type !== 'home') problems.push('[ERROR] must be home [json-pointer:/view/type]');
    if (problems.length > 0) return slackError('invalid_arguments', problems);
    const existing = this.deps.store.homeViews.get(userId);
    if (hash !== undefined && hash !== existing?.hash) return slackError('hash_conflict');
    const view: FakeView =
      existing === undefined
        ? { ...this.newView(userId, undefined, null), ...viewContent(content) }
        : { ...existing, ...viewContent(content), hash: this.newHash(), updateCount: existing.updateCount + 1 };
    this.deps.store.homeViews.set(userId, view);
    return slackOk({ view: toSlackView(view) });
  }

  /** The bot's DM with one user (`users`), opened on first use; several users (a group DM) are not modelled. */
  private conversationsOpen(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(z.looseObject({ users: z.string().optional(), channel: z.string().optional(), return_im: flag }), rawArgs);
    if (!parsed.ok) return parsed.error;
    const { users, channel } = parsed.value;
    if (channel !== undefined) {
      const found = this.workspace.channel(channel);
      return found?.isIm === true ? slackOk({ channel: { id: found.id } }) : slackError('channel_not_found');
    }
    const ids = (users ?? '').split(',').filter((id) => id !== '');
    if (ids.length === 0) return slackError('users_list_not_supplied');
    if (ids.length > 1) return slackError('method_not_supported_for_channel_type');
    const [userId] = ids;
    if (userId === undefined || this.workspace.user(userId) === undefined) return slackError('user_not_found');
    const im = this.workspace.botDirectMessage(userId);
    return slackOk({ no_op: true, already_open: true, channel: parsed.value.return_im ? this.channelInfo(im) : { id: im.id } });
  }

  private usersInfo(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(z.looseObject({ user: z.string().optional(), include_locale: flag }), rawArgs);
    if (!parsed.ok) return parsed.error;
    const spec = this.workspace.spec;
    const userId = parsed.value.user;
    if (userId === spec.botUserId) {
      return slackOk({
        user: {
          id: spec.botUserId,
          team_id: spec.teamId,
          name: this.workspace.botName,
          real_name: this.workspace.botName,
          deleted: false,
          is_bot: true,
          is_admin: false,
          tz: DEFAULT_USER_TZ,
          ...zoneFacts(DEFAULT_USER_TZ, this.deps.clock.nowMs()),
          profile: { bot_id: spec.botId, real_name: this.workspace.botName, display_name: this.workspace.botName },
        },
      });
    }
    const user = userId === undefined ? undefined : this.workspace.user(userId);
    if (user === undefined) return slackError('user_not_found');
    const tz = user.tz ?? DEFAULT_USER_TZ;
    return slackOk({
      user: {
        id: user.id,
        team_id: spec.teamId,
        name: user.name,
        real_name: user.name,
        deleted: false,
        is_bot: false,
        is_admin: user.isAdmin === true,
        is_owner: false,
        tz,
        ...zoneFacts(tz, this.deps.clock.nowMs()),
        ...(parsed.value.include_locale ? { locale: user.locale ?? 'en-US' } : {}),
        profile: { real_name: user.name, display_name: user.name },
      },
    });
  }

  private userGroupUsers(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(z.looseObject({ usergroup: z.string().optional() }), rawArgs);
    if (!parsed.ok) return parsed.error;
    const group = parsed.value.usergroup === undefined ? undefined : this.workspace.userGroup(parsed.value.usergroup);
    if (group === undefined) return slackError('no_such_subteam');
    return slackOk({ users: [...group.users] });
  }

  private conversationsInfo(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(channelArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const channel = parsed.value.channel === undefined ? undefined : this.workspace.channel(parsed.value.channel);
    if (channel === undefined || this.workspace.visibility(channel) === 'invisible') return slackError('channel_not_found');
    return slackOk({ channel: this.channelInfo(channel) });
  }

  private conversationsJoin(rawArgs: Record<string, unknown>): FakeHttpAnswer {
    const parsed = parseArgs(channelArgs, rawArgs);
    if (!parsed.ok) return parsed.error;
    const channel = parsed.value.channel === undefined ? undefined : this.workspace.channel(parsed.value.channel);
    const visibility = this.workspace.visibility(channel);
    if (channel === undefined || visibility === 'invisible') return slackError('channel_not_found');
    if (channel.isIm === true || channel.isPrivate === true) return slackError('method_not_supported_for_channel_type');
    if (visibility === 'public-non-member') channel.members.push(this.workspace.spec.botUserId);
    return slackOk({ channel: this.channelInfo(channel) });
  }

  private channelInfo(channel: WorkspaceChannelSpec): Record<string, unknown> {
    const botUserId = this.workspace.spec.botUserId;
    if (channel.isIm === true) {
      const other = channel.members.find((member) => member !== botUserId);
      return { id: channel.id, is_im: true, is_private: true, user: other, is_open: true, created: 0 };
    }
    return {
      id: channel.id,
      name: channel.name,
      is_channel: channel.isPrivate !== true,
      is_group: channel.isPrivate === true,
      is_im: false,
      is_mpim: false,
      is_private: channel.isPrivate === true,
      is_archived: false,
      is_general: false,
      is_member: channel.members.includes(botUserId),
      num_members: channel.members.length,
      created: 0,
    };
  }

  /** A new view's identity and bookkeeping; the caller adds its content. */
  private newView(userId: string, rootViewId: string | undefined, previousViewId: string | null): Omit<FakeView, keyof ReturnType<typeof viewContent>> {
    const id = this.newViewId();
    return {
      id,
      userId,
      teamId: this.workspace.spec.teamId,
      appId: this.workspace.appId,
      botId: this.workspace.spec.botId,
      rootViewId: rootViewId ?? id,
      previousViewId,
      status: 'open',
      updateCount: 0,
      openedAtMs: this.deps.clock.nowMs(),
      hash: this.newHash(),
    };
  }

  private newViewId(): string {
    this.viewCounter += 1;
    return `V${String(this.viewCounter).padStart(4, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
  }

  private newHash(): string {
    return `${Math.floor(this.deps.clock.nowMs() / 1000)}.${randomBytes(6).toString('hex')}`;
  }
}

function isChannel(value: WorkspaceChannelSpec | FakeHttpAnswer): value is WorkspaceChannelSpec {
  return 'members' in value;
}

function stringProp(object: Record<string, unknown>, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

function viewContent(
  view: Record<string, unknown>,
  keepExternalId?: string,
): Pick<FakeView, 'type' | 'callbackId' | 'privateMetadata' | 'title' | 'blocks' | 'clearOnClose' | 'notifyOnClose'> &
  Partial<Pick<FakeView, 'submit' | 'close' | 'externalId'>> {
  const externalId = stringProp(view, 'external_id') ?? keepExternalId;
  const blocks = view['blocks'];
  return {
    type: stringProp(view, 'type') ?? 'modal',
    callbackId: stringProp(view, 'callback_id') ?? '',
    privateMetadata: stringProp(view, 'private_metadata') ?? '',
    title: view['title'],
    blocks: Array.isArray(blocks) ? blocks : [],
    clearOnClose: view['clear_on_close'] === true,
    notifyOnClose: view['notify_on_close'] === true,
    ...(view['submit'] === undefined ? {} : { submit: view['submit'] }),
    ...(view['close'] === undefined ? {} : { close: view['close'] }),
    ...(externalId === undefined ? {} : { externalId }),
  };
}

/** users.info's zone fields: `tz_offset` in seconds at the fake's now, and a display label. */
function zoneFacts(tz: string, nowMs: number): { tz_label: string; tz_offset: number } {
  const at = new Date(nowMs);
  const offsetName =
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(offsetName);
  const offsetSec =
    match === null ? 0 : (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3600 + Number(match[3]) * 60);
  const label =
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'long' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? tz;
  return { tz_label: label, tz_offset: offsetSec };
}

