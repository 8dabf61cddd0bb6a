import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The bot as an operator runs it, in its own process, configured only by its environment: the built artefact
 * (`node dist/main.js`), or `npm start` (tsx compiling at start). The benchmarks time it from spawn to the first
 * `/healthz` 200 and read the resident memory of its whole process tree from /proc.
 */
export const ROOT = resolve(__dirname, '..', '..');

export type BotLaunch = 'built' | 'npm-start';

export interface BotSettings {
  readonly slackApiUrl: string;
  readonly botToken: string;
  readonly soracom: { readonly endpoint: string; readonly authKeyId: string; readonly authKey: string };
  readonly extra?: Readonly<Record<string, string>>;
}

export interface RunningBot {
  readonly pid: number;
  readonly port: number;
  readonly signingSecret: string;
  readonly eventsUrl: string;
  /** Milliseconds from spawn to the first `/healthz` answering 200. */
  readonly readyMs: number;
  readonly output: () => string;
  /** Resident set size of the process and all its descendants (npm → sh → node …), in bytes. */
  treeRss(): number;
  /** The heap in use after two full collections (started with `MEMORY_PROBE_OPTIONS` only), in bytes. */
  heapUsedAfterGc(): Promise<number>;
  stop(): Promise<void>;
}

/** The reliability suite's memory probe, preloaded through NODE_OPTIONS (`env: MEMORY_PROBE_OPTIONS`). */
export const MEMORY_PROBE_OPTIONS = { NODE_OPTIONS: `--require ${join(ROOT, 'test', 'reliability', 'support', 'memory-probe.cjs')}` };

/** A free loopback port, so the bench can poll /healthz from the first millisecond without reading logs. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** `npm run build` output is current (dist/main.js newer than every file under src/). */
export function builtArtefactIsCurrent(): boolean {
  const built = join(ROOT, 'dist', 'main.js');
  if (!existsSync(built)) return false;
  const builtAt = statSync(built).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const path = join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  return newest(join(ROOT, 'src')) <= builtAt;
}

export async function buildArtefact(): Promise<void> {
  if (builtArtefactIsCurrent()) return;
  await runToEnd('npm', ['run', '--silent', 'build']);
}

export function runToEnd(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveRun() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));

export async function startBot(launch: BotLaunch, settings: BotSettings): Promise<RunningBot> {
  const port = await freePort();
  const signingSecret = randomBytes(16).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), 'napter-bench-'));
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? dir,
    SLACK_BOT_TOKEN: settings.botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: settings.slackApiUrl,
    SORACOM_AUTH_KEY_ID: settings.soracom.authKeyId,
    SORACOM_AUTH_KEY: settings.soracom.authKey,
    SORACOM_API_ENDPOINT: settings.soracom.endpoint,
    NAPTER_DB: join(dir, 'napter.db'),
    PORT: String(port),
    HOST: '127.0.0.1',
    // Passed on, to measure the bot at another setting (`NAPTER_COMMAND_CONCURRENCY=4 npm run bench -- ack`).
    ...(process.env['NAPTER_COMMAND_CONCURRENCY'] === undefined ? {} : { NAPTER_COMMAND_CONCURRENCY: process.env['NAPTER_COMMAND_CONCURRENCY'] }),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    ...settings.extra,
  };
  const [command, args] = launch === 'built' ? [process.execPath, [join(ROOT, 'dist', 'main.js')]] : ['npm', ['start', '--silent']];
  const startedAt = performance.now();
  const child: ChildProcess = spawn(command, args, { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

  let readyMs: number | undefined;
  const deadline = startedAt + 60_000;
  while (readyMs === undefined) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`The bot exited before /healthz answered:\n${lines.join('')}`);
    if (performance.now() > deadline) throw new Error(`The bot did not answer /healthz within 60 s:\n${lines.join('')}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === 200) readyMs = performance.now() - startedAt;
    } catch {
      // Not listening yet.
    }
    if (readyMs === undefined) await sleep(5);
  }

  const pid = child.pid ?? 0;
  return {
    pid,
    port,
    signingSecret,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    readyMs,
    output: () => lines.join(''),
    treeRss: () => processTreeRss(pid),
    heapUsedAfterGc: async () => {
      const from = lines.length;
      process.kill(pid, 'SIGUSR2');
      const until = performance.now() + 30_000;
      for (;;) {
        const reported = /NAPTER_MEMORY (\{[^\n]*\})/.exec(lines.slice(from).join(''));
        if (reported?.[1] !== undefined) return (JSON.parse(reported[1]) as { heapUsed: number }).heapUsed;
        if (performance.now() > until) throw new Error('The bot did not report its heap (was it started with MEMORY_PROBE_OPTIONS?)');
        await sleep(20);
      }
    },
    stop: async () => {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await Promise.race([exited, sleep(15_000)]);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Ended on SIGTERM.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sum of VmRSS over `pid` and every process whose parent chain leads to it (Linux /proc). */
export function processTreeRss(pid: number): number {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after the last ')' are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(fields[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const inTree = (candidate: number): boolean => {
    for (let current: number | undefined = candidate, hops = 0; current !== undefined && current > 1 && hops < 64; hops += 1) {
      if (current === pid) return true;
      current = parentOf.get(current);
    }
    return false;
  };
  let total = 0;
  for (const candidate of parentOf.keys()) {
    if (!inTree(candidate)) continue;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${candidate}/status`, 'utf8'));
      total += Number(match?.[1] ?? 0) * 1024;
    } catch {
      // Gone.
    }
  }
  return total;
}
