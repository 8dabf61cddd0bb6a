import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { EVENT_TYPES, SLASH_COMMAND } from '../src/slack/ids';

/**
 * manifest.yml asks for the least scopes that work: exactly the scopes of the Web API methods the bot's
 * code calls (found by scanning src/), plus `commands` for the slash command.
 */
const root = resolve(__dirname, '..');
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as {
  features: {
    slash_commands: { command: string; description: string; usage_hint?: string }[];
    bot_user: { display_name: string };
    app_home: { home_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean; event_subscriptions?: { bot_events: string[] } };
};

/** Scope needed by each Web API method; methods that need none map to undefined. */
const SCOPE_BY_METHOD: Readonly<Record<string, string | undefined>> = {
  'chat.postMessage': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.update': 'chat:write',
  'users.info': 'users:read',
  'usergroups.users.list': 'usergroups:read',
  'views.open': undefined,
  'views.update': undefined,
  'views.publish': undefined,
  'conversations.open': 'im:write',
  // WebClient's filesUploadV2 calls these two.
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  'auth.test': undefined,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const calledMethods = new Set(
  ['slack', 'web']
    .flatMap((folder) => sourceFiles(join(root, 'src', folder)))
    .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/client\.([a-z]+\.[a-zA-Z.]+|filesUploadV2)\(/g)].map((match) => match[1] ?? ''))
    .flatMap((method) => (method === 'filesUploadV2' ? ['files.getUploadURLExternal', 'files.completeUploadExternal'] : [method])),
);

describe('manifest.yml', () => {
  it('declares the /napter command with a description and usage hint within Slack limits', () => {
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe(SLASH_COMMAND);
    expect(command?.description.length).toBeLessThanOrEqual(2000);
    expect(command?.usage_hint?.length ?? 0).toBeLessThanOrEqual(1000);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
  });

  it('enables interactivity and Socket Mode by default', () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('knows the scope of every Web API method the code calls', () => {
    expect(calledMethods.size).toBeGreaterThan(3);
    expect([...calledMethods].filter((method) => !(method in SCOPE_BY_METHOD))).toEqual([]);
  });

  it('turns the Home tab on and subscribes to exactly the events the bot listens to', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions?.bot_events).toEqual(Object.values(EVENT_TYPES));
  });

  it('asks for exactly the scopes those methods need, plus commands', () => {
    const needed = new Set(['commands', ...[...calledMethods].flatMap((method) => SCOPE_BY_METHOD[method] ?? [])]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
  });
});
