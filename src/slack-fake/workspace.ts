/**
 * The workspace the fake Slack pretends to be: who exists, which conversations exist, and who is in them.
 * Membership decides the realistic errors (`not_in_channel`, `channel_not_found`, `user_not_in_channel`),
 * which is what the bot's fallbacks are written against.
 */
export interface WorkspaceUserSpec {
  id: string;
  name: string;
  /** IETF tag as Slack returns it from `users.info` with `include_locale`, e.g. 'ja-JP', 'en-US'. */
  locale?: string;
  /** IANA zone; Slack always has one, the fake defaults to America/Los_Angeles (Slack's default for new users). */
  tz?: string;
  isAdmin?: boolean;
}

export interface WorkspaceChannelSpec {
  id: string;
  name: string;
  isPrivate?: boolean;
  isIm?: boolean;
  /** User ids; include the bot's user id when the bot is a member. */
  members: string[];
}

export interface WorkspaceUserGroupSpec {
  id: string;
  handle: string;
  users: string[];
}

export interface WorkspaceSpec {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  /** The bot user's name (`auth.test` → `user`); defaults to 'napter'. */
  botName?: string;
  /** The app id sent as `api_app_id` in payloads; defaults to 'A0FAKENAPTER'. */
  appId?: string;
  users: WorkspaceUserSpec[];
  channels: WorkspaceChannelSpec[];
  userGroups?: WorkspaceUserGroupSpec[];
}

export const DEFAULT_USER_TZ = 'America/Los_Angeles';
export const DEFAULT_APP_ID = 'A0FAKENAPTER';
export const DEFAULT_BOT_NAME = 'napter';

/**
 * A small workspace with every case the bot must handle: a Japanese and an English user, an admin,
 * a user who is in no channel with the others, a public channel with the bot, a public channel without it,
 * a private channel without it, and a DM between two people (the bot is not in it).
 */
export function defaultWorkspace(): WorkspaceSpec {
  const botUserId = 'U0BOTNAPTER';
  return {
    teamId: 'T0FAKETEAM',
    teamDomain: 'napter-fake',
    botUserId,
    botId: 'B0BOTNAPTER',
    botName: DEFAULT_BOT_NAME,
    appId: DEFAULT_APP_ID,
    users: [
      { id: 'U0ALICE', name: 'alice', locale: 'en-US', tz: 'America/Los_Angeles' },
      { id: 'U0HANAKO', name: 'hanako', locale: 'ja-JP', tz: 'Asia/Tokyo' },
      { id: 'U0ADMIN', name: 'admin', locale: 'en-US', tz: 'Europe/London', isAdmin: true },
      { id: 'U0OUTSIDER', name: 'outsider', locale: 'en-GB', tz: 'UTC' },
    ],
    channels: [
      { id: 'C0OPS', name: 'iot-ops', members: ['U0ALICE', 'U0HANAKO', 'U0ADMIN', botUserId] },
      { id: 'C0RANDOM', name: 'random', members: ['U0ALICE', 'U0HANAKO', 'U0ADMIN'] },
      { id: 'G0SECRET', name: 'secret-devices', isPrivate: true, members: ['U0ALICE', 'U0HANAKO'] },
      { id: 'D0ALICEHANAKO', name: 'directmessage', isIm: true, isPrivate: true, members: ['U0ALICE', 'U0HANAKO'] },
    ],
    userGroups: [{ id: 'S0IOTADMINS', handle: 'iot-admins', users: ['U0ADMIN', 'U0HANAKO'] }],
  };
}

export function cloneWorkspace(spec: WorkspaceSpec): WorkspaceSpec {
  return structuredClone(spec);
}

export type ChannelVisibility =
  /** The bot is a member: it can read and post. */
  | 'member'
  /** A public channel the bot is not in: visible, but posting needs chat:write.public or a join. */
  | 'public-non-member'
  /** Unknown, or a private channel/DM the bot is not in: to the bot it does not exist. */
  | 'invisible';

/** Mutable view of a workspace spec, with the lookups the Web API handlers need. */
export class WorkspaceModel {
  readonly spec: WorkspaceSpec;

  constructor(spec: WorkspaceSpec) {
    this.spec = cloneWorkspace(spec);
  }

  get appId(): string {
    return this.spec.appId ?? DEFAULT_APP_ID;
  }

  get botName(): string {
    return this.spec.botName ?? DEFAULT_BOT_NAME;
  }

  user(userId: string): WorkspaceUserSpec | undefined {
    return this.spec.users.find((user) => user.id === userId);
  }

  channel(channelId: string): WorkspaceChannelSpec | undefined {
    return this.spec.channels.find((channel) => channel.id === channelId);
  }

  userGroup(groupId: string): WorkspaceUserGroupSpec | undefined {
    return (this.spec.userGroups ?? []).find((group) => group.id === groupId);
  }

  visibility(channel: WorkspaceChannelSpec | undefined): ChannelVisibility {
    if (channel === undefined) return 'invisible';
    if (channel.members.includes(this.spec.botUserId)) return 'member';
    return channel.isPrivate === true || channel.isIm === true ? 'invisible' : 'public-non-member';
  }

  /**
   * What chat.postMessage does with its `channel` argument: a conversation id, a `#name`/name of a
   * channel, or a user id (Slack then posts in the app's DM with that user, opening it if needed).
   */
  resolveConversation(channelArg: string): WorkspaceChannelSpec | undefined {
    const byId = this.channel(channelArg);
    if (byId !== undefined) return byId;
    const name = channelArg.startsWith('#') ? channelArg.slice(1) : channelArg;
    const byName = this.spec.channels.find((channel) => channel.isIm !== true && channel.name === name);
    if (byName !== undefined) return byName;
    if (this.user(channelArg) !== undefined) return this.botDirectMessage(channelArg);
    return undefined;
  }

  /** The DM between the bot and a user, created on first use as Slack does. */
  botDirectMessage(userId: string): WorkspaceChannelSpec {
    const botUserId = this.spec.botUserId;
    const existing = this.spec.channels.find(
      (channel) =>
        channel.isIm === true &&
        channel.members.length === 2 &&
        channel.members.includes(userId) &&
        channel.members.includes(botUserId),
    );
    if (existing !== undefined) return existing;
    const created: WorkspaceChannelSpec = {
      id: `D${userId}`,
      name: 'directmessage',
      isIm: true,
      isPrivate: true,
      members: [userId, botUserId],
    };
    this.spec.channels.push(created);
    return created;
  }
}
