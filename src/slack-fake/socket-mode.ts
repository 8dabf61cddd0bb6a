import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { NapterBotError } from '../common/errors';

/**
 * Socket Mode as `@slack/socket-mode` 3 expects it: apps.connections.open hands out a single-use
 * `ws://…/socket/<ticket>` URL; on connect the server sends `{"type":"hello"}`, then pings every few
 * seconds (the client drops a connection that has not been pinged within `serverPingTimeout`, 30 s);
 * the `ws` server answers the client's own pings by itself. Envelopes go to the newest open connection
 * (Slack picks one at random), and the app acks with `{envelope_id, payload?}`.
 */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface SocketEnvelopeAck {
  envelope_id: string;
  /** The ack's payload: `{}` for a bare `ack()`, `{text}` for `ack('…')`, the object otherwise. */
  payload?: unknown;
}

export interface SentEnvelope {
  envelopeId: string;
  type: EnvelopeType;
  payload: unknown;
  ack?: SocketEnvelopeAck;
}

export interface FakeSocketMode {
  /** True while at least one app connection is open and has been sent `hello`. */
  readonly connected: boolean;
  readonly connectionCount: number;
  /** Every envelope sent, with its ack once it came. */
  readonly envelopes: readonly SentEnvelope[];
  waitForConnection(timeoutMs?: number): Promise<void>;
  /**
   * Sends one envelope and resolves with the app's ack. Rejects when no app is connected, or when no ack
   * comes within `ackTimeoutMs` of real time (default: the fake's `socketAckTimeoutMs`, 3000 ms, Slack's deadline).
   */
  sendEnvelope(type: EnvelopeType, payload: unknown, options?: { ackTimeoutMs?: number }): Promise<SocketEnvelopeAck>;
  /** Asks every connection to reconnect, as Slack does when it recycles a server (`refresh_requested`). */
  requestReconnect(reason?: string): void;
}

interface PendingAck {
  resolve: (ack: SocketEnvelopeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface SocketModeServerOptions {
  appId: () => string;
  pingIntervalMs: number;
  defaultAckTimeoutMs: number;
}

export class FakeSocketModeServer implements FakeSocketMode {
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly sent: SentEnvelope[] = [];
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly options: SocketModeServerOptions) {}

  get connected(): boolean {
    return this.open.length > 0;
  }

  get connectionCount(): number {
    return this.open.length;
  }

  get envelopes(): readonly SentEnvelope[] {
    return this.sent;
  }

  /** A fresh connection URL for apps.connections.open. */
  issueUrl(baseWsUrl: string): string {
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    return `${baseWsUrl}/socket/${ticket}`;
  }

  /** The HTTP server's `upgrade` hook: only issued, unused tickets are accepted. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = /^\/socket\/([0-9a-f]+)$/.exec((request.url ?? '').split('?')[0] ?? '');
    const ticket = match?.[1];
    if (ticket === undefined || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  async waitForConnection(timeoutMs = 5000): Promise<void> {
    if (this.connected) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(done);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new NapterBotError('fake_slack_no_socket', `No Socket Mode connection within ${timeoutMs} ms: is the app started with socketMode and slackApiUrl pointing at the fake?`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.waiters.push(done);
    });
  }

  sendEnvelope(type: EnvelopeType, payload: unknown, options: { ackTimeoutMs?: number } = {}): Promise<SocketEnvelopeAck> {
    const socket = this.open[this.open.length - 1];
    if (socket === undefined) {
      return Promise.reject(new NapterBotError('fake_slack_no_socket', `Cannot send a ${type} envelope: no app is connected in Socket Mode`));
    }
    const envelopeId = randomUUID();
    const record: SentEnvelope = { envelopeId, type, payload };
    this.sent.push(record);
    const ackTimeoutMs = options.ackTimeoutMs ?? this.options.defaultAckTimeoutMs;
    const acked = new Promise<SocketEnvelopeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new NapterBotError('fake_slack_ack_timeout', `The app did not ack the ${type} envelope ${envelopeId} within ${ackTimeoutMs} ms (Slack's deadline is 3 s)`));
      }, ackTimeoutMs);
      this.pending.set(envelopeId, {
        resolve: (ack) => {
          record.ack = ack;
          resolve(ack);
        },
        reject,
        timer,
      });
    });
    socket.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        // Slack lets commands and view submissions answer through the ack; block_actions cannot.
        accepts_response_payload: type === 'slash_commands' || isViewSubmission(payload),
        retry_attempt: 0,
        retry_reason: '',
      }),
    );
    return acked;
  }

  requestReconnect(reason = 'refresh_requested'): void {
    for (const socket of this.open) {
      socket.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'fake-slack' } }));
    }
  }

  clearRecords(): void {
    this.sent.length = 0;
  }

  async close(): Promise<void> {
    for (const [envelopeId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new NapterBotError('fake_slack_closed', `The fake Slack closed before envelope ${envelopeId} was acked`));
    }
    this.pending.clear();
    // Bolt's app.stop() does not wait for its close handshake; cutting the TCP connection in the middle of
    // it makes @slack/socket-mode start a second 30 s handshake timer that it never clears. Closing
    // politely lets the client's handshake finish.
    await Promise.all([...this.open].map((socket) => closePolitely(socket, CLOSE_GRACE_MS)));
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: WebSocket): void {
    this.open.push(socket);
    const pinger = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.ping();
    }, this.options.pingIntervalMs);
    pinger.unref();
    socket.on('message', (data: RawData) => this.onMessage(data));
    socket.on('error', () => socket.terminate());
    socket.on('close', () => {
      clearInterval(pinger);
      const index = this.open.indexOf(socket);
      if (index >= 0) this.open.splice(index, 1);
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: 'fake-slack', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.options.appId() },
      }),
    );
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private onMessage(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(rawDataToString(data));
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const envelopeId = (message as { envelope_id?: unknown }).envelope_id;
    if (typeof envelopeId !== 'string') return;
    const pending = this.pending.get(envelopeId);
    if (pending === undefined) return;
    this.pending.delete(envelopeId);
    clearTimeout(pending.timer);
    const payload = (message as { payload?: unknown }).payload;
    pending.resolve({ envelope_id: envelopeId, ...(payload === undefined ? {} : { payload }) });
  }
}

const CLOSE_GRACE_MS = 1000;

function closePolitely(socket: WebSocket, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => {
      socket.terminate();
      resolve();
    }, graceMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (socket.readyState === WebSocket.OPEN) socket.close(1001, 'fake Slack is shutting down');
  });
}

function isViewSubmission(payload: unknown): boolean {
  return typeof payload === 'object' && payload !== null && (payload as { type?: unknown }).type === 'view_submission';
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
