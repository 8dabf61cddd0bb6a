import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../common/clock';
import { NapterBotError } from '../common/errors';
import { decodeNestedFields, parseRequestBody } from './args';
import { FaultInjector, type FakeSlackFaults } from './faults';
import { type FakeFile, FakeFiles } from './files';
import type { FakeEphemeral, FakeHttpAnswer, FakeMessage, FakeView, RecordedCall, ResponseUrlPost } from './model';
import { ResponseUrls, type ResponseUrlContext } from './response-urls';
import { FakeSocketModeServer, type FakeSocketMode } from './socket-mode';
import { FakeSlackStore } from './store';
import { TriggerIds } from './trigger-ids';
import { FakeWebApi } from './web-api';
import { defaultWorkspace, WorkspaceModel, type WorkspaceSpec } from './workspace';

export const DEFAULT_FAKE_BOT_TOKEN = 'xoxb-fake-napter-bot-token';
const MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface FakeSlackOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the fake never listens beyond loopback unless asked. */
  host?: string;
  /** Drives response_url and trigger_id expiry and message timestamps; default the system clock. */
  clock?: Clock;
  workspace?: WorkspaceSpec;
  botToken?: string;
  /** When set, apps.connections.open accepts only this token; otherwise any `xapp-` token. */
  appToken?: string;
  /** How long a trigger_id can open a view, by the clock (default 3000 ms). */
  triggerIdTtlMs?: number;
  /** Whether the bot has `chat:write.public` (post in public channels it is not in). Default false. */
  chatWritePublic?: boolean;
  /** Real-time interval of the server's WebSocket pings (default 5000 ms). */
  socketPingIntervalMs?: number;
  /** Real time an envelope may wait for its ack before sendEnvelope rejects (default 3000 ms). */
  socketAckTimeoutMs?: number;
}

export interface FakeSlack {
  /** Give this to Bolt as `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  readonly baseUrl: string;
  readonly botToken: string;
  /** The live workspace (membership changes, e.g. conversations.join, show here). */
  readonly workspace: WorkspaceSpec;
  readonly clock: Clock;
  /** Every Web API call, including refused and rate-limited ones, oldest first. */
  readonly calls: readonly RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Current top-level messages of a conversation (broadcast replies included), each with its thread. */
  channelMessages(channelId: string): FakeMessage[];
  /** A message or a thread reply. */
  findMessage(channelId: string, ts: string): FakeMessage | undefined;
  /** Visible ephemerals (chat.postEphemeral, response_url, ack replies), in their current version. */
  ephemerals(filter?: { userId?: string; channelId?: string; includeDeleted?: boolean }): FakeEphemeral[];
  readonly responseUrlPosts: readonly ResponseUrlPost[];
  /** Every modal opened or pushed, in its current version. */
  readonly openedViews: readonly FakeView[];
  findView(viewId: string): FakeView | undefined;
  /** The Home tab last published for a user (views.publish), if any. */
  homeView(userId: string): FakeView | undefined;
  /** Every file uploaded through files.getUploadURLExternal, with its bytes and where it was shared. */
  readonly files: readonly FakeFile[];
  newResponseUrl(context: ResponseUrlContext): string;
  newTriggerId(userId: string): string;
  /**
   * Shows an ack's reply (a command's immediate answer) as Slack does, as a message from that
   * response_url that does not count against its 5 uses. The drivers call this.
   */
  recordAckReply(responseUrl: string, ackBody: unknown): FakeMessage | FakeEphemeral | undefined;
  /** Applies a view_submission's ack to the modal: close it, update it, or leave it open with errors. */
  applyViewSubmissionAck(viewId: string, ackBody: unknown): void;
  /**
   * The user closes a modal with its close button: this view goes, its stack with it when the app set
   * `clear_on_close`. The drivers call this (and send `view_closed` when the app asked to be told).
   */
  closeView(viewId: string): void;
  /**
   * Calls `listener` after anything the fake shows may have changed: a Web API call or a response_url
   * post was handled, an ack reply shown, a modal submitted or closed, a person posted. Returns the
   * unsubscribe function. The playground prints what the user sees as it arrives this way.
   */
  onChange(listener: () => void): () => void;
  /**
   * A person posting in a conversation (for the playground, and to test what the bot may not touch).
   * Throws when the user is not a member, or the thread root does not exist.
   */
  postUserMessage(args: { channelId: string; userId: string; text: string; threadTs?: string }): FakeMessage;
  readonly faults: FakeSlackFaults;
  readonly socket: FakeSocketMode;
  /** Forgets messages, calls, views, URLs, triggers and faults, and restores the workspace; sockets stay. */
  reset(): void;
  /**
   * Closes Socket Mode connections politely, then the server. Stop the app first (`await app.stop()`):
   * an app that is still running treats the close as a server restart and tries to reconnect.
   */
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const botToken = options.botToken ?? DEFAULT_FAKE_BOT_TOKEN;
  const initialWorkspace = options.workspace ?? defaultWorkspace();
  let workspace = new WorkspaceModel(initialWorkspace);
  let baseUrl = '';

  const store = new FakeSlackStore(clock);
  const faults = new FaultInjector();
  const triggers = new TriggerIds(clock, options.triggerIdTtlMs ?? 3000);
  const socket = new FakeSocketModeServer({
    appId: () => workspace.appId,
    pingIntervalMs: options.socketPingIntervalMs ?? 5000,
    defaultAckTimeoutMs: options.socketAckTimeoutMs ?? 3000,
  });
  const files = new FakeFiles({ clock, store, workspace: () => workspace, baseUrl: () => baseUrl });
  const responseUrls = new ResponseUrls({ clock, store, workspace: () => workspace, faults, baseUrl: () => baseUrl });
  const webApi = new FakeWebApi({
    clock,
    store,
    workspace: () => workspace,
    triggers,
    faults,
    botToken,
    appToken: options.appToken,
    chatWritePublic: options.chatWritePublic === true,
    files,
    openSocketConnection: () => socket.issueUrl(baseUrl.replace(/^http/, 'ws')),
  });

  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // A watcher's failure is its own: the fake keeps answering the app.
      }
    }
  };

  async function route(request: IncomingMessage): Promise<FakeHttpAnswer> {
    const url = new URL(request.url ?? '/', 'http://fake-slack.invalid');
    const rawBody = await readBody(request);
    const uploadMatch = /^\/upload\/v1\/([0-9a-f]+)$/.exec(url.pathname);
    if (uploadMatch?.[1] !== undefined && request.method === 'POST') return files.upload(uploadMatch[1], rawBody, request.headers['content-type']);
    const args = { ...Object.fromEntries(url.searchParams), ...parseRequestBody(rawBody, request.headers['content-type']) };
    const apiMatch = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (apiMatch?.[1] !== undefined && (request.method === 'POST' || request.method === 'GET')) {
      const method = apiMatch[1];
      const { token: bodyToken, ...argsWithoutToken } = args;
      const token = bearerToken(request.headers.authorization) ?? (typeof bodyToken === 'string' ? bodyToken : undefined);
      const result = await webApi.handle(method, argsWithoutToken, token);
      store.calls.push({ method, args: decodeNestedFields(argsWithoutToken), token, atMs: clock.nowMs(), httpStatus: result.status, response: result.body });
      return result;
    }
    const responseMatch = /^\/response\/([0-9a-f]+)$/.exec(url.pathname);
    if (responseMatch?.[1] !== undefined && request.method === 'POST') {
      const body = 'payload' in args && typeof args['payload'] === 'string' ? parseRequestBody(args['payload'], 'application/json') : args;
      return responseUrls.post(responseMatch[1], body);
    }
    return { status: 404, body: { ok: false, error: 'not_found' } };
  }

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    route(request)
      .then((result) => {
        send(response, result);
        changed();
      })
      .catch((error: unknown) =>
        send(response, { status: 500, body: { ok: false, error: 'fake_slack_internal_error', detail: String(error) } }),
      );
  });
  server.on('upgrade', (request, duplex, head) => socket.handleUpgrade(request, duplex, head));

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new NapterBotError('fake_slack_listen_failed', `Fake Slack could not listen on ${host}:${options.port ?? 0}`, { cause: error })));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    botToken,
    get workspace() {
      return workspace.spec;
    },
    clock,
    calls: store.calls,
    callsTo: (method) => store.calls.filter((call) => call.method === method),
    channelMessages: (channelId) => store.channelMessages(channelId),
    findMessage: (channelId, ts) => store.findMessage(channelId, ts),
    ephemerals: (filter) => store.ephemerals(filter),
    responseUrlPosts: store.responseUrlPosts,
    openedViews: store.openedViews,
    findView: (viewId) => store.findView(viewId),
    homeView: (userId) => store.homeViews.get(userId),
    files: files.files,
    newResponseUrl: (context) => responseUrls.issue(context),
    newTriggerId: (userId) => triggers.issue(userId),
    recordAckReply(responseUrl, ackBody) {
      const shown = responseUrls.recordAckReply(responseUrl, ackBody);
      changed();
      return shown;
    },
    applyViewSubmissionAck(viewId, ackBody) {
      applyViewSubmissionAck(store, viewId, ackBody);
      changed();
    },
    closeView(viewId) {
      const view = store.findView(viewId);
      if (view === undefined) return;
      for (const candidate of store.openedViews) {
        if (candidate === view || (view.clearOnClose && candidate.rootViewId === view.rootViewId)) candidate.status = 'closed';
      }
      changed();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    postUserMessage(args) {
      const channel = workspace.channel(args.channelId);
      if (channel === undefined || !channel.members.includes(args.userId)) {
        throw new NapterBotError('fake_slack_not_a_member', `${args.userId} cannot post in ${args.channelId}: not a member`);
      }
      const message = store.addMessage({
        channelId: channel.id,
        ...(args.threadTs === undefined ? {} : { threadTs: args.threadTs }),
        text: args.text,
        blocks: [],
        user: args.userId,
        origin: 'user',
        replyBroadcast: false,
      });
      if (message === undefined) throw new NapterBotError('fake_slack_thread_not_found', `No thread ${args.threadTs ?? ''} in ${args.channelId}`);
      changed();
      return message;
    },
    faults,
    socket,
    reset() {
      store.clear();
      files.clear();
      faults.clear();
      triggers.clear();
      responseUrls.clear();
      socket.clearRecords();
      workspace = new WorkspaceModel(initialWorkspace);
      changed();
    },
    async close() {
      await socket.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // WebClient and undici keep connections alive; without this close() would wait for them to idle out.
        server.closeAllConnections();
      });
    },
  };
}

/**
 * Slack's handling of a view_submission ack: no response_action or `clear` closes the modal (the
 * fake closes the whole stack for `clear`, just this view otherwise), `update` replaces it, `push`
 * stacks a new one, `errors` leaves it open.
 */
function applyViewSubmissionAck(store: FakeSlackStore, viewId: string, ackBody: unknown): void {
  const view = store.findView(viewId);
  if (view === undefined) return;
  const ack = typeof ackBody === 'object' && ackBody !== null ? (ackBody as Record<string, unknown>) : {};
  const action = ack['response_action'];
  if (action === 'errors') return;
  const nextView = ack['view'];
  if (action === 'update' && typeof nextView === 'object' && nextView !== null) {
    const next = nextView as Record<string, unknown>;
    Object.assign(view, {
      ...(Array.isArray(next['blocks']) ? { blocks: next['blocks'] } : {}),
      ...(next['title'] === undefined ? {} : { title: next['title'] }),
      ...(typeof next['callback_id'] === 'string' ? { callbackId: next['callback_id'] } : {}),
      ...(typeof next['private_metadata'] === 'string' ? { privateMetadata: next['private_metadata'] } : {}),
      updateCount: view.updateCount + 1,
    });
    return;
  }
  if (action === 'push' && typeof nextView === 'object' && nextView !== null) {
    const next = nextView as Record<string, unknown>;
    store.openedViews.push({
      ...view,
      id: `${view.id}P${store.openedViews.length}`,
      previousViewId: view.id,
      blocks: Array.isArray(next['blocks']) ? next['blocks'] : [],
      title: next['title'],
      callbackId: typeof next['callback_id'] === 'string' ? next['callback_id'] : '',
      privateMetadata: typeof next['private_metadata'] === 'string' ? next['private_metadata'] : '',
      updateCount: 0,
      status: 'open',
    });
    return;
  }
  if (action === 'clear') {
    for (const candidate of store.openedViews) if (candidate.rootViewId === view.rootViewId) candidate.status = 'closed';
    return;
  }
  view.status = 'closed';
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new NapterBotError('fake_slack_body_too_large', `Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, result: FakeHttpAnswer): void {
  response.writeHead(result.status, { 'content-type': 'application/json; charset=utf-8', ...result.headers });
  response.end(JSON.stringify(result.body));
}
