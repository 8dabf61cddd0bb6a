import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm start` from a clean clone: no .env, no credentials. The process must start the simulator, the
 * local Slack stand-in and the app, answer a command typed into its terminal, and exit on :quit.
 */
const root = resolve(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function runMain(env: Record<string, string>, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tsx, [join(root, 'src', 'main.ts')], {
      cwd: root,
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`main did not exit in time\n${stdout}\n${stderr}`));
    }, 25_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'napter-main-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('runs the local playground with no configuration at all', async () => {
  const result = await runMain({ NAPTER_DB: join(dir, 'bot.db'), PORT: '0' }, '/napter help\n/napter open demo-healthy ssh from 203.0.113.5\n:quit\n');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('local playground');
  expect(result.stdout).toContain('/napter: SORACOM Napter remote access from Slack');
  expect(result.stdout).toMatch(/ssh -p \d+ <user>@/);
  expect(result.stdout).toContain('Endpoint `•••.•••.•••.•••:•••••`');
}, 30_000);

it('refuses a bad configuration with the problem and exit code 1, without echoing the secret', async () => {
  const result = await runMain({ NAPTER_DB: join(dir, 'bad.db'), SLACK_BOT_TOKEN: 'not-a-token-SECRETVALUE' }, '');
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('SLACK_BOT_TOKEN');
  expect(result.stderr + result.stdout).not.toContain('SECRETVALUE');
}, 30_000);
