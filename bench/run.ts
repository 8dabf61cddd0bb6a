import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { ackBench } from './ack.bench';
import { formatFigure, type BenchContext, type BenchEntry, type Figure } from './bench-kit';
import { criticalPathBench } from './critical-path.bench';
import { figuresTable, updateReadme } from './readme-table';
import { diagnoseBench } from './diagnose.bench';
import { footprintBench } from './footprint.bench';
import { tokenBench } from './token.bench';
import { watchBench } from './watch.bench';

/**
 * `npm run bench [-- --quick] [name…]`: runs every entry, or only those named. Not a test: figures depend on the
 * machine, so each is printed beside its target and the comparisons are ratios measured side by side in one run.
 * A full run writes every figure to bench/results.json (the README's table is made from it); `--quick` (what CI
 * runs, so the benchmarks cannot rot) uses small loads and writes nothing. Run full benchmarks on a quiet machine.
 */
const ENTRIES: readonly BenchEntry[] = [ackBench, criticalPathBench, tokenBench, diagnoseBench, footprintBench, watchBench];

interface EntryResult {
  readonly name: string;
  readonly description: string;
  readonly figures: Figure[];
  readonly seconds: number;
  readonly error?: string;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const wanted = args.filter((arg) => !arg.startsWith('--'));
  const unknown = wanted.filter((name) => !ENTRIES.some((entry) => entry.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown bench entries: ${unknown.join(', ')}. Known: ${ENTRIES.map((entry) => entry.name).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const selected = wanted.length === 0 ? ENTRIES : ENTRIES.filter((entry) => wanted.includes(entry.name));
  const machine = `node ${process.version} on ${process.platform}/${process.arch}, ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB`;
  console.log(`${machine}${quick ? ' — quick mode: small loads, nothing written' : ''}`);
  const results: EntryResult[] = [];
  for (const entry of selected) {
    console.log(`\n== ${entry.name}: ${entry.description}`);
    const figures: Figure[] = [];
    const context: BenchContext = {
      quick,
      figure: (figure) => {
        figures.push(figure);
        console.log(`   » ${formatFigure(figure)}`);
      },
    };
    const started = performance.now();
    try {
      await entry.run((line) => console.log(`   ${line}`), context);
      results.push({ name: entry.name, description: entry.description, figures, seconds: (performance.now() - started) / 1000 });
    } catch (error) {
      console.error(`   ${entry.name} failed:`, error);
      results.push({ name: entry.name, description: entry.description, figures, seconds: (performance.now() - started) / 1000, error: String(error) });
      process.exitCode = 1;
    }
  }
  const missed = results.flatMap((result) => result.figures.filter((figure) => figure.met === false).map((figure) => `${result.name}: ${figure.name}`));
  console.log(
    `\n${results.reduce((count, result) => count + result.figures.length, 0)} figures, ${missed.length} targets not met${missed.length > 0 ? ` (${missed.join('; ')})` : ''}`,
  );
  if (!quick && wanted.length === 0) {
    const file = join(__dirname, 'results.json');
    writeFileSync(file, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine, command: 'npm run bench', entries: results }, null, 2)}\n`);
    console.log(`written to ${file}`);
    const readme = join(__dirname, '..', 'README.md');
    const header = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\` on ${machine}.`;
    console.log(updateReadme(readme, figuresTable(results, header)) ? `README's figures table updated` : `README has no bench markers: table not written`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
