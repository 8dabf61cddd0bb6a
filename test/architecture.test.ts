import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The layering rules the compiler cannot see:
 * - The pure core stays pure: `src/domain/` imports only `src/domain/` (plus ipaddr.js for addresses and date-fns for dates),
 *   and never reads the clock, the environment or randomness.
 * - `src/use-cases/` owns the rules and knows no Slack, Bolt or web page: no `@slack/*` package, nothing under
 *   `src/slack/`, `src/slack-fake/` or `src/web/`, and no storage adapter (only its port, `ports/store.ts`).
 * - `src/slack/` renders and delivers: it reaches the store only through the use-cases (never a repository, and
 *   never the claims or the ledger, which carry idempotency and the audit trail), and no storage adapter.
 */
const root = resolve(__dirname, '..');
const domainDir = join(root, 'src', 'domain');
const useCasesDir = join(root, 'src', 'use-cases');
const SLACK_DIRS = [join(root, 'src', 'slack'), join(root, 'src', 'slack-fake')];
const slackDir = join(root, 'src', 'slack');
const webDir = join(root, 'src', 'web');
const storageDir = join(root, 'src', 'storage');
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
      // A package's own subpath (`date-fns/format`) is that package.
      const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
      return !ALLOWED_PACKAGES.has(packageName);
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

/** What a file's code reads as, with its comments left out. */
function codeOf(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
}

describe('architecture: use-cases know no adapter but their ports', () => {
  it.each(useCaseFiles.map((file) => [relative(root, file), file]))('%s imports neither the web pages nor a storage adapter', (_name, file) => {
    const adapters = importSpecifiers(file).filter((specifier) => {
      if (!specifier.startsWith('.')) return false;
      const target = resolve(dirname(file), specifier);
      return isWithin(target, webDir) || isWithin(target, storageDir);
    });
    expect(adapters).toEqual([]);
  });
});

const slackFiles = sourceFiles(slackDir);

describe('architecture: Slack renders and delivers', () => {
  it('has files to check', () => {
    expect(slackFiles.length).toBeGreaterThan(20);
  });

  it.each(slackFiles.map((file) => [relative(root, file), file]))('%s reaches the store only through a use-case', (_name, file) => {
    const code = codeOf(file);
    // A repository call (`store.claims.claim`, `deps.store.ledger.record`), or the claims and the ledger by any name.
    expect(code).not.toMatch(/\bstore\s*\.\s*\w+\s*\./);
    expect(code).not.toMatch(/\.\s*(claims|ledger)\s*\.\s*(claim|complete|release|releaseUnfinished|record|list)\s*\(/);
    const storage = importSpecifiers(file).filter((specifier) => specifier.startsWith('.') && isWithin(resolve(dirname(file), specifier), storageDir));
    expect(storage).toEqual([]);
    const repositories = [...readFileSync(file, 'utf8').matchAll(/\b(ClaimRepository|LedgerRepository)\b/g)].map((match) => match[1]);
    expect(repositories).toEqual([]);
  });

  it('the rule can fail: it sees a repository call where one is written', () => {
    expect('await deps.store.claims.claim(key, 1000);').toMatch(/\bstore\s*\.\s*\w+\s*\./);
    expect('await repo.ledger.record({ kind });').toMatch(/\.\s*(claims|ledger)\s*\.\s*(claim|complete|release|releaseUnfinished|record|list)\s*\(/);
  });
});

describe('architecture: files stay short where the application lives', () => {
  const LIMIT = 250;
  it.each([...slackFiles, ...useCaseFiles].map((file) => [relative(root, file), file]))(`%s has at most ${LIMIT} lines`, (_name, file) => {
    expect(readFileSync(file, 'utf8').split('\n').length).toBeLessThanOrEqual(LIMIT);
  });
});

describe('architecture: metrics are a port', () => {
  const metricsDir = join(root, 'src', 'metrics');
  const everySourceFile = sourceFiles(join(root, 'src'));

  it.each(everySourceFile.filter((file) => !isWithin(file, metricsDir)).map((file) => [relative(root, file), file]))(
    '%s reports through the Metrics port, never prom-client itself',
    (_name, file) => {
      expect(importSpecifiers(file).filter((specifier) => specifier === 'prom-client' || specifier.startsWith('prom-client/'))).toEqual([]);
    },
  );

  it('the rule can fail: the metrics adapter is where prom-client is', () => {
    expect(importSpecifiers(join(metricsDir, 'prometheus.ts'))).toContain('prom-client');
  });
});
