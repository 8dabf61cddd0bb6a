import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Two layering rules the compiler cannot see:
 * - The pure core stays pure: `src/domain/` imports only `src/domain/` (plus ipaddr.js for addresses and date-fns for dates),
 *   and never reads the clock, the environment or randomness.
 * - `src/use-cases/` orchestrates the core, the ports and other adapters' interfaces without knowing Slack:
 *   no `@slack/*` package, nothing under `src/slack/` or `src/slack-fake/`. Slack flows live in `src/slack/`.
 */
const root = resolve(__dirname, '..');
const domainDir = join(root, 'src', 'domain');
const useCasesDir = join(root, 'src', 'use-cases');
const SLACK_DIRS = [join(root, 'src', 'slack'), join(root, 'src', 'slack-fake')];
const ALLOWED_PACKAGES = new Set(['ipaddr.js', 'date-fns', '@date-fns/tz']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module a file names: static imports and re-exports (type-only ones too), `require()` and `import()`. */
function importSpecifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
}

function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}${sep}`);
}

const files = sourceFiles(domainDir);

describe('architecture: the pure core', () => {
  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((file) => [relative(root, file), file]))('%s imports only the domain', (_name, file) => {
    const outside = importSpecifiers(file).filter((specifier) => {
      if (specifier.startsWith('.')) return !resolve(dirname(file), specifier).startsWith(domainDir);
      return !ALLOWED_PACKAGES.has(specifier);
    });
    expect(outside).toEqual([]);
  });

  it.each(files.map((file) => [relative(root, file), file]))('%s reads no clock, environment or randomness', (_name, file) => {
    const code = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/Date\.now\(|new Date\(\s*\)|process\.|Math\.random\(|performance\.now\(/);
  });
});

const useCaseFiles = sourceFiles(useCasesDir);

describe('architecture: use-cases know nothing of Slack', () => {
  it('has files to check', () => {
    expect(useCaseFiles.length).toBeGreaterThan(3);
  });

  it.each(useCaseFiles.map((file) => [relative(root, file), file]))('%s imports neither @slack/* nor src/slack*', (_name, file) => {
    const slackImports = importSpecifiers(file).filter((specifier) => {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        return SLACK_DIRS.some((dir) => isWithin(target, dir));
      }
      return specifier.startsWith('@slack/');
    });
    expect(slackImports).toEqual([]);
  });
});
