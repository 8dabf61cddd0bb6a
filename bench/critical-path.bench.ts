import type { BenchEntry } from './bench-kit';
import { buildArtefact } from './support/bot';
import { criticalChain, type ProxiedCall } from './support/latency-proxy';
import { startBenchWorld, type BenchWorld } from './support/world';

/**
 * The diagnosis's critical path. With every SORACOM call L ms away, a diagnosis can take no less than the
 * chain of calls that must wait for each other (resolve the SIM; then the mappings and the audit log together,
 * one more L per extra audit-log page; then the probe, which needs the port the mappings name and also waits for
 * the device's own round trips, which the simulator models). The bot's own time is the excess over that chain.
 * Beside it, the same diagnosis with the calls forced through one at a time: what it would cost if the evidence
 * were gathered one piece after another.
 */
const SIM = 'demo-healthy';

interface Run {
  readonly elapsedMs: number;
  readonly calls: readonly ProxiedCall[];
}

function isDiagnosisParent(call: { method: string; args: Record<string, unknown> }): boolean {
  if (call.method !== 'chat.postMessage') return false;
  const metadata = call.args['metadata'];
  const parsed = typeof metadata === 'string' ? (JSON.parse(metadata) as unknown) : metadata;
  return (parsed as { event_type?: unknown } | undefined)?.event_type === 'napter_diagnosis' && call.args['thread_ts'] === undefined;
}

async function diagnoseOnce(world: BenchWorld): Promise<Run> {
  const slackBefore = world.slack.calls.length;
  const soracomBefore = world.proxy.calls.length;
  const started = performance.now();
  await world.driver.command(`diagnose ${SIM}`, world.asUser);
  for (;;) {
    if (world.slack.calls.slice(slackBefore).some(isDiagnosisParent)) break;
    if (performance.now() - started > 60_000) throw new Error('No diagnosis was posted within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const elapsedMs = performance.now() - started;
  const calls = world.proxy.calls.slice(soracomBefore).filter((call) => call.startedAtMs - started < elapsedMs);
  await world.settle(300);
  return { elapsedMs, calls };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export const criticalPathBench: BenchEntry = {
  name: 'critical-path',
  description: 'time from /napter diagnose to the posted diagnosis, in SORACOM latencies, beside the same run forced sequential',
  async run(report, { quick, figure }) {
    const latencyMs = quick ? 50 : 200;
    const runs = quick ? 2 : 5;
    await buildArtefact();
    const world = await startBenchWorld({ latencyMs });
    try {
      await diagnoseOnce(world); // warm-up: JIT, connections, users.info cache
      const parallel: Run[] = [];
      const sequential: Run[] = [];
      for (let i = 0; i < runs; i += 1) {
        world.proxy.sequential = false;
        parallel.push(await diagnoseOnce(world));
        world.proxy.sequential = true;
        sequential.push(await diagnoseOnce(world));
      }
      world.proxy.sequential = false;
      const chains = parallel.map((run) => criticalChain(run.calls));
      const depth = median(chains.map((chain) => chain.depth));
      const chainInL = median(chains.map((chain) => chain.durationMs)) / latencyMs;
      const inL = median(parallel.map((run) => run.elapsedMs)) / latencyMs;
      const sequentialInL = median(sequential.map((run) => run.elapsedMs)) / latencyMs;
      const sample = parallel[0]?.calls ?? [];
      const auditPages = sample.filter((call) => call.path.includes('/audit_logs/')).length;
      report(`L = ${latencyMs} ms per SORACOM call, ${runs} runs each, medians; diagnose ${SIM}`);
      report(`calls on the way to the post: ${sample.map((call) => `${call.method} ${call.path.replace(/\/v1/, '')}`).join(', ')}`);
      report(
        `dependency depth (the chain of calls that waited for each other): ${depth} calls taking ${chainInL.toFixed(2)} L (device round trips included); audit-log pages: ${auditPages}`,
      );
      report(`parallel: ${inL.toFixed(2)} L; forced sequential: ${sequentialInL.toFixed(2)} L (${sample.length} calls)`);
      figure({ name: 'dependency depth', value: depth, unit: 'calls' });
      figure({ name: 'critical chain of SORACOM calls', value: chainInL, unit: 'L' });
      figure({
        name: 'command → diagnosis posted',
        value: inL,
        unit: 'L',
        target: `≤ 1.2 × the chain = ${(1.2 * chainInL).toFixed(2)} L`,
        met: inL <= 1.2 * chainInL,
      });
      figure({ name: 'same, forced sequential', value: sequentialInL, unit: 'L' });
      figure({ name: 'sequential ÷ parallel', value: sequentialInL / inL, unit: '×' });
    } finally {
      await world.close();
    }
  },
};
