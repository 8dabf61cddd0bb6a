import type { BenchEntry } from './bench-kit';
import { buildArtefact } from './support/bot';
import { startBenchWorld } from './support/world';

/**
 * Token reuse: SORACOM's `/auth` calls across N commands, counted at the proxy in front of the simulator,
 * from the process's start — so the first command after start is included. One is the target: the token is
 * fetched once and shared by every concurrent call until it nears its end (24 h).
 */
const COMMANDS = ['list', 'diagnose demo-healthy', 'list demo-expired', 'diagnose demo-expired'];

export const tokenBench: BenchEntry = {
  name: 'token',
  description: 'SORACOM /auth calls across many commands, from the start of the process',
  async run(report, { quick, figure }) {
    const total = quick ? 100 : 1000;
    const concurrency = 25;
    await buildArtefact();
    const world = await startBenchWorld({ latencyMs: 5 });
    try {
      let failures = 0;
      for (let sent = 0; sent < total; sent += concurrency) {
        const results = await Promise.all(
          Array.from({ length: Math.min(concurrency, total - sent) }, (_, i) =>
            world.driver.command(COMMANDS[(sent + i) % COMMANDS.length] ?? 'list', world.asUser),
          ),
        );
        failures += results.filter((result) => result.status !== 200).length;
      }
      await world.settle();
      const auth = world.proxy.calls.filter((call) => call.path === '/v1/auth').length;
      const soracomCalls = world.proxy.calls.length;
      report(`${total} commands (${COMMANDS.join(' | ')}), ${concurrency} at a time; ${soracomCalls} SORACOM calls in all; non-200 answers ${failures}`);
      figure({ name: '/auth calls', value: auth, unit: '', target: '1', met: auth === 1 });
    } finally {
      await world.close();
    }
  },
};
