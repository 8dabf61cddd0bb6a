import { formatMiB, type BenchEntry } from './bench-kit';
import { buildArtefact, MEMORY_PROBE_OPTIONS, startBot, type BotLaunch } from './support/bot';
import { startBenchWorld, type BenchWorld } from './support/world';

/**
 * Footprint: time from spawn to the first `/healthz` 200 and the idle resident memory of the whole process
 * tree, for the built artefact (`node dist/main.js`) and for `npm start` (npm → tsx → node), with the same
 * settings, side by side. Then the built bot's memory before and some time after a burst of commands: flat
 * means the work left nothing behind.
 */
const MiB = 1024 * 1024;
const COMMANDS = ['list', 'diagnose demo-healthy', 'help', 'diagnose demo-wrong-ip'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function startAndMeasure(world: BenchWorld, launch: BotLaunch, idleMs: number): Promise<{ readyMs: number; rss: number }> {
  const bot = await startBot(launch, {
    slackApiUrl: world.slack.apiUrl,
    botToken: world.slack.botToken,
    soracom: { endpoint: world.proxy.baseUrl, authKeyId: world.sim.authKeyId, authKey: world.sim.authKey },
  });
  try {
    await sleep(idleMs);
    return { readyMs: bot.readyMs, rss: bot.treeRss() };
  } finally {
    await bot.stop();
  }
}

export const footprintBench: BenchEntry = {
  name: 'footprint',
  description: 'start to /healthz and idle memory, built artefact vs npm start; memory after a burst of commands',
  async run(report, { quick, figure }) {
    const starts = quick ? 1 : 5;
    const idleMs = quick ? 500 : 2_000;
    await buildArtefact();
    const world = await startBenchWorld({ env: MEMORY_PROBE_OPTIONS });
    try {
      const built: Array<{ readyMs: number; rss: number }> = [];
      const npmStart: Array<{ readyMs: number; rss: number }> = [];
      for (let i = 0; i < starts; i += 1) {
        built.push(await startAndMeasure(world, 'built', idleMs));
        npmStart.push(await startAndMeasure(world, 'npm-start', idleMs));
      }
      const builtReady = median(built.map((run) => run.readyMs));
      const builtRss = median(built.map((run) => run.rss));
      const npmReady = median(npmStart.map((run) => run.readyMs));
      const npmRss = median(npmStart.map((run) => run.rss));
      report(`${starts} starts each, alternating, medians; RSS of the whole process tree after ${idleMs} ms idle`);
      report(
        `built artefact: ready ${builtReady.toFixed(0)} ms, RSS ${formatMiB(builtRss)}; npm start: ready ${npmReady.toFixed(0)} ms, RSS ${formatMiB(npmRss)}`,
      );
      figure({ name: 'built: start → /healthz 200', value: builtReady / 1000, unit: 's', target: '< 0.5 s', met: builtReady < 500 });
      figure({ name: 'built: idle RSS', value: builtRss / MiB, unit: 'MiB', target: '< 100 MiB', met: builtRss < 100 * MiB });
      figure({ name: 'npm start: start → /healthz 200', value: npmReady / 1000, unit: 's', target: '< 1.5 s', met: npmReady < 1500 });
      figure({ name: 'npm start: idle RSS (npm + tsx + bot)', value: npmRss / MiB, unit: 'MiB' });
      figure({ name: 'npm start ÷ built, time to ready', value: npmReady / builtReady, unit: '×' });

      // The world's own bot (built) for the burst.
      const commands = quick ? 100 : 1000;
      const afterMs = quick ? 3_000 : 30_000;
      await sleep(idleMs);
      const idle = world.bot.treeRss();
      const idleHeap = await world.bot.heapUsedAfterGc();
      const burstThenRest = async (): Promise<{ rss: number; heap: number }> => {
        for (let sent = 0; sent < commands; sent += 25) {
          await Promise.all(
            Array.from({ length: Math.min(25, commands - sent) }, (_, i) =>
              world.driver.command(COMMANDS[(sent + i) % COMMANDS.length] ?? 'list', world.asUser),
            ),
          );
        }
        await world.settle();
        await sleep(afterMs);
        return { rss: world.bot.treeRss(), heap: await world.bot.heapUsedAfterGc() };
      };
      // What the work left behind is the heap in use after a full collection: flat from one burst to the next when
      // nothing leaks. The resident size is shown too, but V8 grows and gives back its heap on its own schedule
      // (it gave back two thirds of it in one 30 s rest and not in another), so it is no measure of a leak.
      const afterFirst = await burstThenRest();
      const afterSecond = await burstThenRest();
      report(
        `built bot: RSS ${formatMiB(idle)} idle, ${formatMiB(afterFirst.rss)} ${afterMs / 1000} s after ${commands} commands, ${formatMiB(afterSecond.rss)} ${afterMs / 1000} s after ${commands} more`,
      );
      report(
        `heap in use after GC: ${formatMiB(idleHeap)} idle, ${formatMiB(afterFirst.heap)} after ${commands} commands, ${formatMiB(afterSecond.heap)} after ${commands} more`,
      );
      figure({ name: `RSS after ${commands} commands ÷ idle`, value: afterFirst.rss / idle, unit: '×' });
      figure({ name: `RSS after ${2 * commands} commands ÷ after ${commands}`, value: afterSecond.rss / afterFirst.rss, unit: '×' });
      figure({
        name: `heap after GC, after ${2 * commands} commands ÷ after ${commands}`,
        value: afterSecond.heap / afterFirst.heap,
        unit: '×',
        target: '≤ 1.10 (flat)',
        met: afterSecond.heap / afterFirst.heap <= 1.1,
      });
    } finally {
      await world.close();
    }
  },
};
