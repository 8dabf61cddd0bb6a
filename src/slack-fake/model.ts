/** What the fake Slack remembers, in the shape tests and the playground read it. */

export interface FakeMessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface FakeMessageVersion {
  text: string;
  blocks: unknown[];
  metadata?: FakeMessageMetadata;
  /** When this version was replaced, by the fake's clock. */
  replacedAtMs: number;
}

/** How a message or an ephemeral came to be: the Web API, a response_url, an ack body, or a person. */
export type FakeMessageOrigin = 'chat.postMessage' | 'chat.postEphemeral' | 'response_url' | 'ack' | 'user';

export interface FakeMessage {
  ephemeral: false;
  channelId: string;
  ts: string;
  /** The root's ts when this message is a thread reply. */
  threadTs?: string;
  text: string;
  blocks: unknown[];
  metadata?: FakeMessageMetadata;
  /** Author: the bot's user id for everything the bot posts. */
  user: string;
  /** Set when the bot posted it. */
  botId?: string;
  origin: FakeMessageOrigin;
  /** A thread reply also shown in the channel (`reply_broadcast`). */
  replyBroadcast: boolean;
  /** Files shared with the message (files.completeUploadExternal). */
  fileIds?: string[];
  /** Thread replies in order; always empty on a reply. */
  replies: FakeMessage[];
  /** How many times the message was edited (chat.update or response_url replace_original). */
  editCount: number;
  previousVersions: FakeMessageVersion[];
  postedAtMs: number;
}

export interface FakeEphemeral {
  ephemeral: true;
  /** Slack gives ephemerals a ts too (`message_ts`); interactions on them refer to it. */
  ts: string;
  channelId: string;
  /** The only user who sees it. */
  userId: string;
  threadTs?: string;
  text: string;
  blocks: unknown[];
  origin: FakeMessageOrigin;
  /** The response_url it came through, when it came through one. */
  responseUrl?: string;
  editCount: number;
  previousVersions: FakeMessageVersion[];
  deleted: boolean;
  postedAtMs: number;
}

export interface FakeView {
  id: string;
  /** Whom the modal is shown to: the user of the trigger_id. */
  userId: string;
  teamId: string;
  appId: string;
  botId: string;
  type: string;
  callbackId: string;
  privateMetadata: string;
  externalId?: string;
  title: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  clearOnClose: boolean;
  notifyOnClose: boolean;
  /** 'open' until a submission's ack closes it (no response_action, or 'clear'). */
  status: 'open' | 'closed';
  updateCount: number;
  openedAtMs: number;
}

export interface RecordedCall {
  method: string;
  /** The parsed request body (form fields or JSON), plus query parameters. */
  args: Record<string, unknown>;
  token: string | undefined;
  atMs: number;
  httpStatus: number;
  response: Record<string, unknown>;
}

export interface ResponseUrlPost {
  url: string;
  body: unknown;
  atMs: number;
  httpStatus: number;
  response: Record<string, unknown>;
}

/** Slack's answer to one request: the status and JSON body, plus headers (Retry-After on a 429). */
export interface FakeHttpAnswer {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

export function toSlackMessage(message: FakeMessage, teamId: string): Record<string, unknown> {
  return {
    type: 'message',
    user: message.user,
    ...(message.botId === undefined ? {} : { bot_id: message.botId }),
    text: message.text,
    ts: message.ts,
    team: teamId,
    blocks: message.blocks,
    ...(message.threadTs === undefined ? {} : { thread_ts: message.threadTs }),
    ...(message.metadata === undefined ? {} : { metadata: message.metadata }),
    ...(message.fileIds === undefined ? {} : { files: message.fileIds.map((id) => ({ id })), upload: true }),
    ...(message.editCount > 0 ? { edited: { user: message.user, ts: message.ts } } : {}),
  };
}

export function toSlackView(view: FakeView): Record<string, unknown> {
  return {
    id: view.id,
    team_id: view.teamId,
    type: view.type,
    blocks: view.blocks,
    private_metadata: view.privateMetadata,
    callback_id: view.callbackId,
    state: { values: {} },
    hash: view.hash,
    title: view.title,
    ...(view.submit === undefined ? {} : { submit: view.submit }),
    ...(view.close === undefined ? {} : { close: view.close }),
    clear_on_close: view.clearOnClose,
    notify_on_close: view.notifyOnClose,
    root_view_id: view.rootViewId,
    previous_view_id: view.previousViewId,
    app_id: view.appId,
    external_id: view.externalId ?? '',
    app_installed_team_id: view.teamId,
    bot_id: view.botId,
  };
}
