import { FIGURES_FILE_ENV, summariseFigures } from './figures';

/** Prints the reliability figures as one line, when reliability tests ran. */
export default function globalTeardown(): void {
  const file = process.env[FIGURES_FILE_ENV];
  const summary = file === undefined ? undefined : summariseFigures(file);
  if (summary !== undefined) process.stdout.write(`\n${summary}\n`);
}
