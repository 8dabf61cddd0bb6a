import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURES_FILE_ENV } from './figures';

/** Names the file the reliability tests add their figures to (workers inherit the environment). */
export default function globalSetup(): void {
  process.env[FIGURES_FILE_ENV] = join(mkdtempSync(join(tmpdir(), 'napter-figures-')), 'figures.jsonl');
}
