import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The pure core stays pure: `src/domain/` imports only `src/domain/` (plus ipaddr.js, the one IP library),
 * and never reads the clock, the environment or randomness.
 */
const root = resolve(__dirname, '..');
const domainDir = join(root, 'src', 'domain');
const ALLOWED_PACKAGES = new Set(['ipaddr.js']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(domainDir);

describe('architecture: the pure core', () => {
  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(3);
  });

  it.each(files.map((file) => [relative(root, file), file]))('%s imports only the domain', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
      (match) => match[1] ?? match[2] ?? '',
    );
    const outside = specifiers.filter((specifier) => {
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
