import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CI machines have the Docker client but no engine, so the image is not built here (docs/deploy.md says so).
 * This reads the Dockerfile as Docker would — instructions per stage, continuation lines joined — and checks
 * what the deployment relies on.
 */
const ROOT = join(__dirname, '..', '..');

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (match === null) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').replace(/\s+/g, ' ');
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: from?.[1] ?? '', name: from?.[2], instructions: [] });
      continue;
    }
    const current = stages.at(-1);
    if (current === undefined) throw new Error(`${keyword} before any FROM`);
    current.instructions.push({ keyword, args });
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function args(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword).map((instruction) => instruction.args);
}

describe('Dockerfile', () => {
  const [build, runtime] = stages;

  it('has a build stage and a runtime stage, both on a Node 20 slim image', () => {
    expect(stages).toHaveLength(2);
    for (const stage of stages) expect(stage.from).toMatch(/^node:20[.\d]*-([a-z]+-)?slim$/);
    expect(build?.name).toBe('build');
    expect(runtime?.name).toBe('runtime');
  });

  it('compiles in the build stage: the C++ toolchain for better-sqlite3, npm ci from the lock, the build, dev dependencies pruned', () => {
    const run = args(build as Stage, 'RUN').join('\n');
    for (const tool of ['python3', 'make', 'g++']) expect(run).toContain(tool);
    expect(run).toMatch(/npm ci\b/);
    expect(run).toMatch(/npm run build\b/);
    expect(run).toMatch(/npm prune --omit=dev/);
    expect(args(build as Stage, 'COPY').join('\n')).toContain('package-lock.json');
  });

  it("runs without the toolchain, from the build stage's output only", () => {
    const run = args(runtime as Stage, 'RUN').join('\n');
    expect(run).not.toMatch(/apt-get install|g\+\+|\bmake\b|python3/);
    const fromBuild = args(runtime as Stage, 'COPY').filter((copy) => copy.includes('--from=build'));
    expect(fromBuild.some((copy) => copy.includes('/app/dist'))).toBe(true);
    expect(fromBuild.some((copy) => copy.includes('/app/node_modules'))).toBe(true);
  });

  it('runs as a non-root user, keeps the database on a volume, checks /healthz and stops on SIGTERM', () => {
    const user = args(runtime as Stage, 'USER');
    expect(user).toHaveLength(1);
    expect(user[0]).not.toMatch(/^(root|0)(:|$)/);
    const env = args(runtime as Stage, 'ENV').join(' ');
    const dbPath = /NAPTER_DB=(\S+)/.exec(env)?.[1];
    expect(dbPath).toBeDefined();
    const volumes = args(runtime as Stage, 'VOLUME').join(' ');
    const volume = /"([^"]+)"/.exec(volumes)?.[1] ?? volumes.trim();
    expect(dbPath?.startsWith(`${volume}/`)).toBe(true);
    const healthcheck = args(runtime as Stage, 'HEALTHCHECK').join(' ');
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).toMatch(/CMD/);
    expect(args(runtime as Stage, 'STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('starts the built JavaScript that `npm run build` writes, in exec form so that SIGTERM reaches node itself', () => {
    const cmd = args(runtime as Stage, 'CMD');
    expect(cmd).toHaveLength(1);
    const argv = JSON.parse(cmd[0] as string) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.at(-1)).toBe('dist/main.js');
    const buildConfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string; rootDir: string };
    };
    expect(buildConfig.compilerOptions.outDir).toBe('dist');
    expect(buildConfig.compilerOptions.rootDir).toBe('src');
    expect(existsSync(join(ROOT, 'src', 'main.ts'))).toBe(true);
    expect(packageJson.scripts['build']).toContain('tsconfig.build.json');
  });

  it('copies only files that exist in the repository', () => {
    for (const stage of stages) {
      for (const copy of args(stage, 'COPY')) {
        if (copy.includes('--from=')) continue;
        const parts = copy.split(' ').filter((part) => !part.startsWith('--'));
        for (const source of parts.slice(0, -1)) expect(existsSync(join(ROOT, source))).toBe(true);
      }
    }
  });
});
