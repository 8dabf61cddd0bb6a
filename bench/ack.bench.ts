import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startFakeSlack, type FakeSlack } from '../src/slack-fake/index';
import type { BenchEntry } from './bench-kit';
import { buildArtefact, freePort, ROOT } from './support/bot';
import { type BurstResult, commandBody, sendBurst } from './support/burst-client';
import { percentile, startBenchWorld } from './support/world';

/**
 * Ack under load: N concurrent signed `/napter` commands over HTTP while every SORACOM call takes 300 ms
 * longer, timed from the request to the HTTP answer (Slack's 3-second rule is about this answer). Beside it,
 * the same burst against a bare Bolt app whose listener only acks, on the same machine in the same run:
 * the ratio is what the bot's own work before the ack costs.
 */
const SORACOM_LATENCY_MS = 300;

const COMMANDS = ['diagnose demo-healthy', 'list', 'diagnose demo-expired', 'help', 'list demo-healthy', 'diagnose demo-wrong-ip'];

function burst(
  target: { url: string; signingSecret: string; fake: FakeSlack },
  count: number,
  as: { userId: string; channelId: string },
): Promise<BurstResult> {
  const bodies = Array.from({ length: count }, (_, index) => commandBody(target.fake, COMMANDS[index % COMMANDS.length] ?? 'help', as));
  return sendBurst(target.url, target.signingSecret, bodies);
}

async function startBareBolt(slackApiUrl: string, botToken: string): Promise<{ eventsUrl: string; signingSecret: string; stop(): Promise<void> }> {
  const port = await freePort();
  const signingSecret = randomBytes(16).toString('hex');
  const child = spawn(process.execPath, [join(__dirname, 'support', 'bare-bolt.cjs')], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', SLACK_SIGNING_SECRET: signingSecret, SLACK_BOT_TOKEN: botToken, SLACK_API_URL: slackApiUrl, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('listening')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', () => reject(new Error(`bare Bolt app exited:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret,
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      child.kill('SIGKILL');
    },
  };
}

export const ackBench: BenchEntry = {
  name: 'ack',
  description: `HTTP answer to concurrent signed commands while SORACOM is ${SORACOM_LATENCY_MS} ms away, beside a bare ack-only Bolt app`,
  async run(report, { quick, figure }) {
    const count = quick ? 40 : 200;
    await buildArtefact();
    const world = await startBenchWorld({ latencyMs: SORACOM_LATENCY_MS });
    const bareSlack = await startFakeSlack();
    const bare = await startBareBolt(bareSlack.apiUrl, bareSlack.botToken);
    const botTarget = { url: world.bot.eventsUrl, signingSecret: world.bot.signingSecret, fake: world.slack };
    const bareTarget = { url: bare.eventsUrl, signingSecret: bare.signingSecret, fake: bareSlack };
    try {
      // The first burst after start, as after a deploy: nothing compiled or cached yet (Slack's 3 s still apply).
      const coldBot = await burst(botTarget, count, world.asUser);
      const coldBare = await burst(bareTarget, count, world.asUser);
      await world.settle();
      // One warm-up burst each (JIT, connection set-up, the bot's first SORACOM token), then the measured bursts, alternating.
      await burst(botTarget, 10, world.asUser);
      await burst(bareTarget, 10, world.asUser);
      await world.settle();
      const rounds = quick ? 1 : 3;
      const bot: number[] = [];
      const reference: number[] = [];
      let failures = coldBot.failures;
      for (let round = 0; round < rounds; round += 1) {
        const measured = await burst(botTarget, count, world.asUser);
        bot.push(...measured.latencies);
        failures += measured.failures;
        await world.settle();
        reference.push(...(await burst(bareTarget, count, world.asUser)).latencies);
      }
      const p50 = percentile(bot, 50);
      const p99 = percentile(bot, 99);
      const max = Math.max(...bot);
      const refP50 = percentile(reference, 50);
      const refP99 = percentile(reference, 99);
      report(
        `${rounds} × ${count} concurrent commands (${COMMANDS.join(' | ')}), SORACOM +${SORACOM_LATENCY_MS} ms per call, NAPTER_COMMAND_CONCURRENCY ${process.env['NAPTER_COMMAND_CONCURRENCY'] ?? 'default (16)'}`,
      );
      report(`napter-bot : p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms, non-200 answers ${failures}`);
      report(`bare Bolt  : p50 ${refP50.toFixed(1)} ms, p99 ${refP99.toFixed(1)} ms, max ${Math.max(...reference).toFixed(1)} ms`);
      const coldP99 = percentile(coldBot.latencies, 99);
      report(
        `first burst after start: napter-bot p99 ${coldP99.toFixed(1)} ms (max ${Math.max(...coldBot.latencies).toFixed(1)}), bare Bolt p99 ${percentile(coldBare.latencies, 99).toFixed(1)} ms`,
      );
      figure({ name: 'ack p50', value: p50, unit: 'ms' });
      figure({ name: 'ack p99', value: p99, unit: 'ms', target: '< 100 ms', met: p99 < 100 });
      figure({ name: 'slowest ack', value: max, unit: 'ms', target: "< 3000 ms (Slack's limit)", met: max < 3000 && failures === 0 });
      figure({ name: 'ack p99 ÷ bare Bolt p99', value: p99 / refP99, unit: '×' });
      figure({
        name: 'ack p99, first burst after start',
        value: coldP99,
        unit: 'ms',
        target: "< 3000 ms (Slack's limit)",
        met: Math.max(...coldBot.latencies) < 3000 && coldBot.failures === 0,
      });
    } finally {
      await bare.stop();
      await bareSlack.close();
      await world.close();
    }
  },
};
