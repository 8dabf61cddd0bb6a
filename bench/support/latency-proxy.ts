import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of the SORACOM simulator that adds a fixed latency to every call and can
 * force the calls through one at a time. It stands for "SORACOM is L ms away" without touching the bot or the
 * simulator, and it records each call's start and end so a benchmark can find the chain of calls that had to
 * wait for each other (the critical path) from what really happened.
 */
export interface ProxiedCall {
  readonly method: string;
  readonly path: string;
  readonly startedAtMs: number;
  endedAtMs: number;
  status: number;
}

export interface LatencyProxy {
  readonly baseUrl: string;
  readonly calls: ProxiedCall[];
  /** Milliseconds added to every call, before it is forwarded. */
  latencyMs: number;
  /** true: one call at a time, in arrival order (the "forced sequential" run). */
  sequential: boolean;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startLatencyProxy(target: string, options: { latencyMs?: number; sequential?: boolean } = {}): Promise<LatencyProxy> {
  const upstream = new URL(target);
  const calls: ProxiedCall[] = [];
  let queue: Promise<void> = Promise.resolve();

  const forward = async (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const call: ProxiedCall = {
        method: req.method ?? 'GET',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        startedAtMs: performance.now(),
        endedAtMs: 0,
        status: 0,
      };
      calls.push(call);
      const run = async () => {
        await sleep(proxy.latencyMs);
        const answer = await forward(req, Buffer.concat(chunks));
        call.endedAtMs = performance.now();
        call.status = answer.status;
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      };
      let done: Promise<void>;
      if (proxy.sequential) {
        queue = queue.then(run, run);
        done = queue;
      } else {
        done = run();
      }
      done.catch(() => {
        call.endedAtMs = performance.now();
        call.status = 502;
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const proxy: LatencyProxy = {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    latencyMs: options.latencyMs ?? 0,
    sequential: options.sequential ?? false,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return proxy;
}

/**
 * The chain of calls that had to wait for each other — each started only after the previous one had ended —
 * that took longest in all: its number of calls (the dependency depth) and the sum of their durations. No
 * run can be faster than that chain, whatever its concurrency; what a run takes beyond it is the bot's own.
 */
export function criticalChain(calls: readonly Pick<ProxiedCall, 'startedAtMs' | 'endedAtMs'>[]): { readonly depth: number; readonly durationMs: number } {
  const sorted = [...calls].filter((call) => call.endedAtMs > 0).sort((a, b) => a.endedAtMs - b.endedAtMs);
  const best: Array<{ depth: number; durationMs: number }> = [];
  let longest = { depth: 0, durationMs: 0 };
  sorted.forEach((call, index) => {
    let chain = { depth: 1, durationMs: call.endedAtMs - call.startedAtMs };
    for (let earlier = 0; earlier < index; earlier += 1) {
      const before = sorted[earlier];
      const upTo = best[earlier];
      if (before === undefined || upTo === undefined || before.endedAtMs > call.startedAtMs) continue;
      const candidate = { depth: upTo.depth + 1, durationMs: upTo.durationMs + (call.endedAtMs - call.startedAtMs) };
      if (candidate.durationMs > chain.durationMs) chain = candidate;
    }
    best[index] = chain;
    if (chain.durationMs > longest.durationMs) longest = chain;
  });
  return longest;
}
