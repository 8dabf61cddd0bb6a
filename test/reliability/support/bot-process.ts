import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The bot as it runs in production: `src/main.ts` in its own Node process (through tsx), configured only by
 * its environment, talking over real HTTP to the fake Slack and the simulator that the test runs. The test can
 * SIGKILL it, SIGTERM it, and start it again on the same database.
 */
const ROOT = resolve(__dirname, '..', '..', '..');
const MEMORY_PROBE = join(__dirname, 'memory-probe.cjs');

export interface BotEnvironment {
  readonly slackApiUrl: string;
  readonly botToken: string;
  readonly soracom: { readonly endpoint: string; readonly authKeyId: string; readonly authKey: string };
  /** Extra settings (LOG_LEVEL, SLACK_APP_TOKEN, …); `undefined` removes one. */
  readonly extra?: Readonly<Record<string, string | undefined>>;
}

export interface ExitResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class BotProcess {
  readonly signingSecret = randomBytes(16).toString('hex');
  readonly dir = mkdtempSync(join(tmpdir(), 'napter-reliability-'));
  readonly dbPath = join(this.dir, 'napter.db');
  /** Every line the bot wrote to stdout and stderr, across restarts. */
  readonly lines: string[] = [];
  port = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<ExitResult> | undefined;
  private memoryWaiters: Array<(heapUsed: number) => void> = [];

  constructor(private readonly environment: BotEnvironment) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get eventsUrl(): string {
    return `${this.baseUrl}/slack/events`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  env(): Record<string, string> {
    const env: Record<string, string | undefined> = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      SLACK_BOT_TOKEN: this.environment.botToken,
      SLACK_SIGNING_SECRET: this.signingSecret,
      SLACK_API_URL: this.environment.slackApiUrl,
      SORACOM_AUTH_KEY_ID: this.environment.soracom.authKeyId,
      SORACOM_AUTH_KEY: this.environment.soracom.authKey,
      SORACOM_API_ENDPOINT: this.environment.soracom.endpoint,
      NAPTER_DB: this.dbPath,
      PORT: '0',
      // Tests talk only to loopback: the bot listens nowhere else.
      HOST: '127.0.0.1',
      // The tests reach the IP page from 127.0.0.1: as a trusted proxy, X-Forwarded-For plays "the server saw it".
      TRUSTED_PROXIES: '127.0.0.1',
      LOG_LEVEL: 'info',
      ...this.environment.extra,
    };
    return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }

  /** Starts the process and resolves once it says it is running (with its port), or rejects with its output. */
  async start(options: { readonly timeoutMs?: number; readonly waitForRunning?: boolean } = {}): Promise<void> {
    if (this.running) throw new Error('The bot is already running');
    const child = spawn(process.execPath, ['--expose-gc', '--require', MEMORY_PROBE, '--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) this.onLine(line);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    if (options.waitForRunning === false) return;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (Date.now() < deadline) {
      const running = this.lines
        .slice(this.startIndex)
        .map((line) => /napter-bot is running \(\w+ mode, port (\d+) on 127\.0\.0\.1\)/.exec(line))
        .find((match) => match !== null);
      if (running?.[1] !== undefined) {
        this.port = Number(running[1]);
        return;
      }
      if (!this.running) throw new Error(`The bot exited before it ran:\n${this.lines.slice(this.startIndex).join('\n')}`);
      await sleep(25);
    }
    throw new Error(`The bot did not start in time:\n${this.lines.slice(this.startIndex).join('\n')}`);
  }

  private startIndex = 0;

  private onLine(line: string): void {
    const memory = /^NAPTER_MEMORY (.*)$/.exec(line);
    if (memory?.[1] !== undefined) {
      const heapUsed = (JSON.parse(memory[1]) as { heapUsed: number }).heapUsed;
      this.memoryWaiters.splice(0).forEach((resolveHeap) => resolveHeap(heapUsed));
      return;
    }
    this.lines.push(line);
  }

  /** Starts again on the same database (after a kill or a stop). */
  async restart(): Promise<void> {
    this.startIndex = this.lines.length;
    await this.start();
  }

  /** Marks where the next start's output begins (for a start that is expected to fail). */
  markRestart(): void {
    this.startIndex = this.lines.length;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ExitResult> {
    if (this.child === undefined || this.exited === undefined) throw new Error('The bot was never started');
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** Resolves with how the process ended, or undefined if it is still running after `timeoutMs`. */
  async exit(timeoutMs: number): Promise<ExitResult | undefined> {
    if (this.exited === undefined) return undefined;
    return Promise.race([this.exited, idle(timeoutMs).then(() => undefined)]);
  }

  /** The heap in use after garbage collection, as the preloaded probe reports it. */
  async heapUsedAfterGc(): Promise<number> {
    const reported = new Promise<number>((resolveHeap) => this.memoryWaiters.push(resolveHeap));
    this.child?.kill('SIGUSR2');
    return Promise.race([reported, idle(10_000).then(() => Number.NaN)]);
  }

  async health(): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${this.baseUrl}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  output(): string {
    return this.lines.join('\n');
  }

  async close(): Promise<void> {
    if (this.running) await this.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}

/** A wait that does not keep the test process alive on its own (for races against something that may end first). */
function idle(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms).unref());
}

/** Waits in real time until `check` returns a value (not undefined/false), or throws with `what` at the deadline. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}
