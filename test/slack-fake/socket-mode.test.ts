import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { App, SocketModeReceiver } from '@slack/bolt';
import WebSocket from 'ws';
import { eventually, startFakeSlack, type FakeSlack } from '../../src/slack-fake';
import { recordingLogger } from './probe-app';

const APP_TOKEN = 'xapp-1-A0FAKENAPTER-1-socket';

describe('fake Slack Socket Mode with a real Bolt SocketModeReceiver', () => {
  let fake: FakeSlack;
  let app: App;

  beforeAll(async () => {
    // Pings every 50 ms against a 400 ms server-ping timeout: the connection only survives the waits
    // below if @slack/socket-mode really sees the fake's pings.
    fake = await startFakeSlack({ appToken: APP_TOKEN, socketPingIntervalMs: 50, socketAckTimeoutMs: 1000 });
    const { logger } = recordingLogger();
    const clientOptions = { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } };
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      logger,
      serverPingTimeout: 400,
      clientPingTimeout: 1000,
      installerOptions: { clientOptions },
    });
    app = new App({ token: fake.botToken, receiver, logger, clientOptions });
    app.command('/napter', async ({ ack, command }) => {
      if (command.text === 'silent') return;
      await ack({ text: `pong ${command.text}` });
    });
    app.action('napter_close_now', async ({ ack }) => {
      await ack();
    });
    await app.start();
  });
  afterAll(async () => {
    await app.stop();
    await fake.close();
  });

  it('sends hello on connect, so app.start() resolves connected', () => {
    expect(fake.socket.connected).toBe(true);
    expect(fake.socket.connectionCount).toBe(1);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe(APP_TOKEN);
  });

  it('pings the client, which then holds it to serverPingTimeout, and the connection stays up', async () => {
    // undici reports every ping frame its WebSockets receive on this channel; @slack/socket-mode listens to it too.
    let pingsSeen = 0;
    const onPing = (): void => {
      pingsSeen += 1;
    };
    subscribe('undici:websocket:ping', onPing);
    try {
      await new Promise((resolve) => setTimeout(resolve, 900));
    } finally {
      unsubscribe('undici:websocket:ping', onPing);
    }
    expect(pingsSeen).toBeGreaterThanOrEqual(5);
    expect(fake.socket.connectionCount).toBe(1);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
  });

  it('resolves sendEnvelope with the ack payload and records it', async () => {
    const ack = await fake.socket.sendEnvelope('slash_commands', { command: '/napter', text: 'hi', user_id: 'U0ALICE', channel_id: 'C0OPS' });
    expect(ack.payload).toEqual({ text: 'pong hi' });
    const bare = await fake.socket.sendEnvelope('interactive', {
      type: 'block_actions',
      user: { id: 'U0ALICE' },
      actions: [{ type: 'button', action_id: 'napter_close_now', block_id: 'b', action_ts: '1.1' }],
    });
    expect(bare.payload).toEqual({});
    expect(fake.socket.envelopes.slice(-2).map((e) => [e.type, e.ack?.envelope_id === e.envelopeId])).toEqual([
      ['slash_commands', true],
      ['interactive', true],
    ]);
  });

  it('rejects when the app never acks within the deadline', async () => {
    await expect(
      fake.socket.sendEnvelope('slash_commands', { command: '/napter', text: 'silent', user_id: 'U0ALICE', channel_id: 'C0OPS' }, { ackTimeoutMs: 150 }),
    ).rejects.toThrow(/did not ack/);
  });

  it('reconnects through apps.connections.open when asked to refresh', async () => {
    fake.socket.requestReconnect();
    // The client waits clientPingTimeout (1 s here) before it reconnects.
    await eventually(() => fake.callsTo('apps.connections.open').length === 2 && fake.socket.connectionCount === 1, { timeoutMs: 4000 });
    const ack = await fake.socket.sendEnvelope('slash_commands', { command: '/napter', text: 'again', user_id: 'U0ALICE', channel_id: 'C0OPS' });
    expect(ack.payload).toEqual({ text: 'pong again' });
  });

  it('refuses WebSocket connections without an issued ticket', async () => {
    const wsUrl = `${fake.baseUrl.replace('http', 'ws')}/socket/abcdef`;
    const outcome = await new Promise<string>((resolve) => {
      const socket = new WebSocket(wsUrl);
      socket.on('open', () => {
        socket.terminate();
        resolve('open');
      });
      socket.on('error', () => resolve('refused'));
    });
    expect(outcome).toBe('refused');
  });
});
