import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The suite's figures: each reliability test file appends its counts (one JSON line) to the file jest's global
 * setup named, and the global teardown prints them added up as one summary line.
 */
export interface Figures {
  readonly attempts: number;
  readonly refused: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly answered: number;
  readonly answeredWithin10s: number;
}

export const FIGURES_FILE_ENV = 'NAPTER_RELIABILITY_FIGURES';

export function recordFigures(figures: Partial<Figures>): void {
  const file = process.env[FIGURES_FILE_ENV];
  if (file === undefined || file === '') return;
  appendFileSync(file, `${JSON.stringify(figures)}\n`);
}

export function summariseFigures(file: string): string | undefined {
  if (!existsSync(file)) {
    rmSync(dirname(file), { recursive: true, force: true });
    return undefined;
  }
  const total: Record<keyof Figures, number> = { attempts: 0, refused: 0, duplicates: 0, lost: 0, answered: 0, answeredWithin10s: 0 };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const figures = JSON.parse(line) as Partial<Figures>;
    for (const key of Object.keys(total) as Array<keyof Figures>) total[key] += figures[key] ?? 0;
  }
  rmSync(dirname(file), { recursive: true, force: true });
  return (
    `Reliability: attempts ${total.attempts}, refused ${total.refused}, duplicates ${total.duplicates}, lost ${total.lost}, ` +
    `answered within 10 s ${total.answeredWithin10s}/${total.answered}`
  );
}
