import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A tiny harness for `npm run bench`: each entry measures one thing and prints its own lines.
 * Timings are medians of several runs after a warm-up, so a single GC pause does not decide the result.
 */

export interface BenchEntry {
  readonly name: string;
  readonly description: string;
  run(report: (line: string) => void, context: BenchContext): Promise<void> | void;
}

/**
 * A figure a benchmark stands by: printed beside its target and written to `bench/results.json`. `met` is
 * undefined where the figure has no target (a reference run, a ratio shown for context).
 */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly met?: boolean;
}

export interface BenchContext {
  /** `npm run bench -- --quick`: smaller loads, so CI can run every entry in well under a minute. */
  readonly quick: boolean;
  /** Records a figure and prints it with its target. */
  figure(figure: Figure): void;
}

/** How a figure and its target read on one line. */
export function formatFigure(figure: Figure): string {
  const value = formatValue(figure);
  const target = figure.target === undefined ? '' : `   target ${figure.target}: ${figure.met === true ? 'met' : figure.met === false ? 'NOT MET' : 'n/a'}`;
  return `${figure.name}: ${value}${target}`;
}

/** A figure's value with its unit, to two decimals below 10 and one above. */
export function formatValue(figure: Figure): string {
  const value = Number.isInteger(figure.value) ? String(figure.value) : figure.value.toFixed(figure.value < 10 ? 2 : 1);
  return `${value}${figure.unit === '' ? '' : ` ${figure.unit}`}`;
}

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
}

/**
 * A full GC between samples keeps one sample's garbage from being collected on the next one's time.
 * `npm run bench` runs without `--expose-gc`; V8 lets the flag be set at run time and hands the
 * function out to a fresh context.
 */
function obtainGc(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

const gcFunction = obtainGc();

const collectGarbage = (): void => {
  gcFunction?.();
};

export function measure<T>(work: () => T, options: { warmups?: number; runs?: number } = {}): { timing: Timing; result: T } {
  const warmups = options.warmups ?? 2;
  const runs = options.runs ?? 7;
  let result = work();
  for (let i = 1; i < warmups; i += 1) result = work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    collectGarbage();
    const started = process.hrtime.bigint();
    result = work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { timing: { medianMs: samples[Math.floor(samples.length / 2)] ?? 0, minMs: samples[0] ?? 0, runs }, result };
}

/**
 * Times several workloads in alternation (a, b, a, b…) so that load from other processes falls on all of
 * them alike. `batch` repeats a short workload within one sample, so every sample does comparable work
 * and a single pause cannot dominate a short one; the time reported is per single run.
 */
export function measureInterleaved(
  workloads: readonly { readonly work: () => unknown; readonly batch: number }[],
  options: { warmups?: number; runs?: number } = {},
): Timing[] {
  const warmups = options.warmups ?? 2;
  const runs = options.runs ?? 9;
  for (let i = 0; i < warmups; i += 1) for (const { work, batch } of workloads) for (let j = 0; j < batch; j += 1) work();
  const samples: number[][] = workloads.map(() => []);
  for (let i = 0; i < runs; i += 1) {
    workloads.forEach(({ work, batch }, index) => {
      collectGarbage();
      const started = process.hrtime.bigint();
      for (let j = 0; j < batch; j += 1) work();
      samples[index]?.push(Number(process.hrtime.bigint() - started) / 1e6 / batch);
    });
  }
  return samples.map((list) => {
    const sorted = [...list].sort((a, b) => a - b);
    return { medianMs: sorted[Math.floor(sorted.length / 2)] ?? 0, minMs: sorted[0] ?? 0, runs };
  });
}

/** Heap growth while `work` runs once, keeping its result alive so it is counted. */
export function heapGrowth<T>(work: () => T): { bytes: number; result: T; exact: boolean } {
  const exact = gcFunction !== undefined;
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  const result = work();
  const after = process.memoryUsage().heapUsed;
  return { bytes: Math.max(0, after - before), result, exact };
}

export const formatMs = (ms: number): string => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
export const formatMiB = (bytes: number): string => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
