import { readFileSync, writeFileSync } from 'node:fs';
import { type Figure, formatValue } from './bench-kit';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export interface MeasuredEntry {
  readonly name: string;
  readonly figures: readonly Figure[];
  readonly error?: string;
}

/** The README's table of the latest figures: one row a figure, its target and whether it was met. */
export function figuresTable(entries: readonly MeasuredEntry[], header: string): string {
  const rows = entries.flatMap((entry) =>
    entry.error !== undefined
      ? [`| ${entry.name} | failed: ${entry.error.replaceAll('|', '\\|').slice(0, 120)} | | |`]
      : entry.figures.map(
          (figure) =>
            `| ${entry.name} | ${figure.name} | ${formatValue(figure)} | ${figure.target === undefined ? '' : `${figure.target} — ${figure.met === true ? 'met' : 'not met'}`} |`,
        ),
  );
  return [header, '', '| entry | figure | value | target |', '|---|---|---|---|', ...rows].join('\n');
}

/** Replaces what lies between the README's bench markers; a README without them is left alone (and said so). */
export function updateReadme(file: string, table: string): boolean {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start) return false;
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${table}\n${text.slice(end)}`);
  return true;
}
