import type { Clock } from '../common/clock';
import type { FakeEphemeral, FakeMessage, FakeView, RecordedCall, ResponseUrlPost } from './model';

/** What the poster decides; the store adds the ts, the thread bookkeeping and the edit history. */
export type NewMessage = Pick<FakeMessage, 'channelId' | 'threadTs' | 'text' | 'blocks' | 'metadata' | 'user' | 'botId' | 'origin' | 'replyBroadcast' | 'fileIds'>;

export type NewEphemeral = Pick<FakeEphemeral, 'channelId' | 'userId' | 'threadTs' | 'text' | 'blocks' | 'origin' | 'responseUrl'>;

export type MessageEdit = Partial<Pick<FakeMessage, 'text' | 'blocks' | 'metadata'>>;

/** Conversation history, ephemerals, modals and the call log: the state behind the fake's answers. */
export class FakeSlackStore {
  readonly calls: RecordedCall[] = [];
  readonly responseUrlPosts: ResponseUrlPost[] = [];
  readonly openedViews: FakeView[] = [];
  /** Each user's published Home tab (views.publish), the latest version. */
  readonly homeViews = new Map<string, FakeView>();
  private readonly topLevel = new Map<string, FakeMessage[]>();
  private readonly byKey = new Map<string, FakeMessage>();
  private readonly ephemeralList: FakeEphemeral[] = [];
  private lastTsMicros = 0;

  constructor(private readonly clock: Clock) {}

  /** Slack timestamps: unique, increasing, `<seconds>.<6-digit micros>`, derived from the fake's clock. */
  nextTs(): string {
    const micros = Math.max(this.clock.nowMs() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  channelMessages(channelId: string): FakeMessage[] {
    return [...(this.topLevel.get(channelId) ?? [])];
  }

  findMessage(channelId: string, ts: string): FakeMessage | undefined {
    return this.byKey.get(messageKey(channelId, ts));
  }

  /**
   * Adds a message. A `threadTs` naming a reply is moved to that reply's root, as Slack threads are one
   * level deep. Returns undefined when the thread root does not exist in the channel.
   */
  addMessage(input: NewMessage): FakeMessage | undefined {
    let root: FakeMessage | undefined;
    if (input.threadTs !== undefined) {
      const named = this.findMessage(input.channelId, input.threadTs);
      if (named === undefined) return undefined;
      root = named.threadTs === undefined ? named : this.findMessage(input.channelId, named.threadTs);
      if (root === undefined) return undefined;
    }
    const message: FakeMessage = {
      ephemeral: false,
      channelId: input.channelId,
      ts: this.nextTs(),
      ...(root === undefined ? {} : { threadTs: root.ts }),
      text: input.text,
      blocks: input.blocks,
      ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
      user: input.user,
      ...(input.botId === undefined ? {} : { botId: input.botId }),
      origin: input.origin,
      replyBroadcast: root !== undefined && input.replyBroadcast,
      ...(input.fileIds === undefined ? {} : { fileIds: input.fileIds }),
      replies: [],
      editCount: 0,
      previousVersions: [],
      postedAtMs: this.clock.nowMs(),
    };
    this.byKey.set(messageKey(message.channelId, message.ts), message);
    if (root !== undefined) root.replies.push(message);
    // A broadcast reply shows in the channel as well as in its thread.
    if (root === undefined || message.replyBroadcast) {
      const list = this.topLevel.get(message.channelId) ?? [];
      list.push(message);
      this.topLevel.set(message.channelId, list);
    }
    return message;
  }

  editMessage(message: FakeMessage, edit: MessageEdit): void {
    message.previousVersions.push({
      text: message.text,
      blocks: message.blocks,
      ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
      replacedAtMs: this.clock.nowMs(),
    });
    if (edit.text !== undefined) message.text = edit.text;
    if (edit.blocks !== undefined) message.blocks = edit.blocks;
    if (edit.metadata !== undefined) message.metadata = edit.metadata;
    message.editCount += 1;
  }

  /** Deletes a message; deleting a root takes its thread with it, as Slack shows it. */
  deleteMessage(message: FakeMessage): void {
    this.byKey.delete(messageKey(message.channelId, message.ts));
    const list = this.topLevel.get(message.channelId) ?? [];
    this.topLevel.set(
      message.channelId,
      list.filter((candidate) => candidate !== message),
    );
    if (message.threadTs !== undefined) {
      const root = this.findMessage(message.channelId, message.threadTs);
      if (root !== undefined) root.replies = root.replies.filter((reply) => reply !== message);
    } else {
      for (const reply of message.replies) this.deleteMessage(reply);
    }
  }

  addEphemeral(input: NewEphemeral): FakeEphemeral {
    const ephemeral: FakeEphemeral = {
      ephemeral: true,
      ts: this.nextTs(),
      channelId: input.channelId,
      userId: input.userId,
      ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
      text: input.text,
      blocks: input.blocks,
      origin: input.origin,
      ...(input.responseUrl === undefined ? {} : { responseUrl: input.responseUrl }),
      editCount: 0,
      previousVersions: [],
      deleted: false,
      postedAtMs: this.clock.nowMs(),
    };
    this.ephemeralList.push(ephemeral);
    return ephemeral;
  }

  replaceEphemeral(ephemeral: FakeEphemeral, edit: { text: string; blocks: unknown[] }): void {
    ephemeral.previousVersions.push({ text: ephemeral.text, blocks: ephemeral.blocks, replacedAtMs: this.clock.nowMs() });
    ephemeral.text = edit.text;
    ephemeral.blocks = edit.blocks;
    ephemeral.editCount += 1;
  }

  findEphemeral(channelId: string, ts: string): FakeEphemeral | undefined {
    return this.ephemeralList.find((candidate) => candidate.channelId === channelId && candidate.ts === ts);
  }

  ephemerals(filter: { userId?: string; channelId?: string; includeDeleted?: boolean } = {}): FakeEphemeral[] {
    return this.ephemeralList.filter(
      (candidate) =>
        (filter.includeDeleted === true || !candidate.deleted) &&
        (filter.userId === undefined || candidate.userId === filter.userId) &&
        (filter.channelId === undefined || candidate.channelId === filter.channelId),
    );
  }

  findView(viewId: string): FakeView | undefined {
    return this.openedViews.find((view) => view.id === viewId) ?? [...this.homeViews.values()].find((view) => view.id === viewId);
  }

  findViewByExternalId(externalId: string): FakeView | undefined {
    return this.openedViews.find((view) => view.externalId === externalId);
  }

  clear(): void {
    this.calls.length = 0;
    this.responseUrlPosts.length = 0;
    this.openedViews.length = 0;
    this.homeViews.clear();
    this.topLevel.clear();
    this.byKey.clear();
    this.ephemeralList.length = 0;
  }
}

const messageKey = (channelId: string, ts: string): string => `${channelId}/${ts}`;
