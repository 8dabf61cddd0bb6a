import { ackBench } from './ack.bench';
import type { BenchEntry } from './bench-kit';
import { diagnoseBench } from './diagnose.bench';
import { watchBench } from './watch.bench';

/**
 * `npm run bench [name…]`: runs every entry, or only those named. Not a test: numbers depend on the
 * machine, so nothing here passes or fails; read the ratios. Run it on a quiet machine: other processes
 * competing for the CPU show up as noise in the medians.
 */
const ENTRIES: readonly BenchEntry[] = [diagnoseBench, watchBench, ackBench];

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !ENTRIES.some((entry) => entry.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown bench entries: ${unknown.join(', ')}. Known: ${ENTRIES.map((entry) => entry.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const selected = wanted.length === 0 ? ENTRIES : ENTRIES.filter((entry) => wanted.includes(entry.name));
  console.log(`node ${process.version} on ${process.platform}/${process.arch}`);
  for (const entry of selected) {
    console.log(`\n== ${entry.name}: ${entry.description}`);
    await entry.run((line) => console.log(`   ${line}`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
