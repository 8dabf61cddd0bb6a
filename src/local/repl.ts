import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseDuration } from '../domain/duration';
import type { FakeEphemeral, FakeMessage, FakeSlack, SlackDriver } from '../slack-fake/index';
import { buttonsOf, renderMessage, type RenderOptions } from './render';

/**
 * The local playground's terminal: type `/napter …` as a Slack user would and see what Slack would show —
 * channel messages and the ephemerals only you see — as text, with buttons you can click by their label.
 * Everything runs on loopback against the local Slack stand-in and the SORACOM simulator.
 */
export interface LocalReplOptions {
  readonly fake: FakeSlack;
  readonly driver: SlackDriver;
  /** Awaits the app's work after its acks, so the output shows results, not just "Reading…". */
  readonly settle: () => Promise<void>;
  readonly clock: { nowMs(): number; advance(ms: number): void };
  /** One line per demo SIM (name, IMSI, what it demonstrates). */
  readonly describeSims: () => string[];
  readonly input: Readable;
  readonly output: Writable;
  readonly prompt?: boolean;
}

export interface LocalRepl {
  /** Runs one line as if typed; resolves when its output is printed. */
  run(line: string): Promise<void>;
  /** Resolves when the input ends or `:quit` is typed. */
  readonly done: Promise<void>;
  close(): void;
}

interface Seen {
  readonly key: string;
}

const HELP = `Commands:
  /napter <subcommand> …     run the slash command as the current user in the current channel
  :click <label> [n]         click a button by (part of) its label; n picks among several (1 = newest)
  :confirm <ip>              confirm the last IP capture link with this address (as the browser page would)
  :user <name|id>            act as another user          :users     list users
  :channel <name|id>         move to another channel      :channels  list channels
  :sims                      the demo SIMs to try
  :time                      print the current time       :advance <duration>  move time forward (e.g. 30m)
  :show                      print everything visible in the current channel again
  :help                      this text                    :quit      leave`;

export function startLocalRepl(options: LocalReplOptions): LocalRepl {
  const { fake, driver, output } = options;
  const workspace = fake.workspace;
  let userId = workspace.users[0]?.id ?? '';
  let channelId = workspace.channels.find((channel) => channel.members.includes(workspace.botUserId))?.id ?? workspace.channels[0]?.id ?? '';
  const printed = new Map<string, string>();
  let lastCaptureUrl: string | undefined;

  const write = (text: string) => output.write(`${text}\n`);
  const renderOptions: RenderOptions = {
    userName: (id) => workspace.users.find((user) => user.id === id)?.name ?? (id === workspace.botUserId ? 'napter' : undefined),
  };
  const userLabel = (id: string) => `@${renderOptions.userName(id) ?? id}`;
  const channelLabel = (id: string) => `#${workspace.channels.find((channel) => channel.id === id)?.name ?? id}`;

  const visible = (): Array<(FakeMessage | FakeEphemeral) & Seen> => {
    const channelMessages = fake.channelMessages(channelId).flatMap((message) => [message, ...message.replies]);
    const mine = fake.ephemerals({ userId, channelId });
    return [...channelMessages, ...mine]
      .map((message) => ({ ...message, key: `${message.ephemeral ? 'e' : 'm'}:${message.channelId}:${message.ts}` }))
      .sort((a, b) => a.postedAtMs - b.postedAtMs || a.ts.localeCompare(b.ts));
  };

  const describe = (message: FakeMessage | FakeEphemeral): string => {
    const body = renderMessage(message, renderOptions);
    for (const button of buttonsOf(message.blocks)) {
      if (button.url?.includes('/napter/ip/')) lastCaptureUrl = button.url;
    }
    const header = message.ephemeral
      ? `── only visible to ${userLabel(message.userId)} in ${channelLabel(message.channelId)}${message.editCount > 0 ? ' (updated)' : ''}`
      : `── ${channelLabel(message.channelId)}${message.threadTs === undefined ? '' : ' (thread)'} · napter${message.editCount > 0 ? ' (edited)' : ''}`;
    return `${header}\n${body.split('\n').map((line) => `   ${line}`).join('\n')}`;
  };

  const printChanges = (all = false) => {
    let any = false;
    for (const message of visible()) {
      const rendered = describe(message);
      if (!all && printed.get(message.key) === rendered) continue;
      printed.set(message.key, rendered);
      write(rendered);
      any = true;
    }
    if (!any && !all) write('(nothing new)');
  };

  const findUser = (text: string) => workspace.users.find((user) => user.id === text || user.name === text.replace(/^@/, ''));
  const findChannel = (text: string) => workspace.channels.find((channel) => channel.id === text || channel.name === text.replace(/^#/, ''));

  const click = async (labelText: string, index: number) => {
    const needle = labelText.toLowerCase();
    const candidates = visible()
      .reverse()
      .flatMap((message) => buttonsOf(message.blocks).filter((button) => button.label.toLowerCase().includes(needle)).map((button) => ({ message, button })));
    const chosen = candidates[index - 1];
    if (chosen === undefined) {
      write(`No button matching "${labelText}" is visible to ${userLabel(userId)} in ${channelLabel(channelId)}.`);
      return;
    }
    if (chosen.button.url !== undefined) {
      write(`That button is a link: open ${chosen.button.url} in your browser (or use :confirm <ip>).`);
    }
    const message = chosen.message;
    const result = await driver.clickButton({
      userId,
      message: { ts: message.ts, channelId: message.channelId, ephemeral: message.ephemeral, blocks: message.blocks },
      actionId: chosen.button.actionId,
    });
    if (result.status !== 200) write(`(the app answered HTTP ${result.status})`);
    await options.settle();
    printChanges();
  };

  const confirm = async (ip: string) => {
    if (lastCaptureUrl === undefined) {
      write('No IP capture link seen yet: run `/napter open <sim>` first.');
      return;
    }
    const response = await fetch(lastCaptureUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ip }).toString(),
    });
    const page = await response.text();
    const title = /<h1>([^<]*)<\/h1>/.exec(page)?.[1] ?? '';
    write(`IP page answered ${response.status}: ${title}`);
    await options.settle();
    printChanges();
  };

  const run = async (rawLine: string): Promise<void> => {
    const line = rawLine.trim();
    if (line === '') return;
    const [word = '', ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    try {
      if (word === '/napter') {
        const result = await driver.command(argument, { userId, channelId });
        if (result.status !== 200) write(`(the app answered HTTP ${result.status})`);
        await options.settle();
        printChanges();
        return;
      }
      switch (word) {
        case ':help':
          write(HELP);
          return;
        case ':click': {
          const match = /^(.*?)(?:\s+(\d+))?$/.exec(argument);
          await click(match?.[1] ?? argument, Number(match?.[2] ?? '1'));
          return;
        }
        case ':confirm':
          await confirm(argument);
          return;
        case ':user': {
          const user = findUser(argument);
          if (user === undefined) write(`Unknown user "${argument}". Try :users.`);
          else {
            userId = user.id;
            write(`You are now ${userLabel(userId)} (${user.locale ?? 'en-US'}).`);
          }
          return;
        }
        case ':users':
          for (const user of workspace.users) write(`  ${user.id === userId ? '*' : ' '} @${user.name} (${user.id}, ${user.locale ?? 'en-US'}${user.isAdmin === true ? ', admin' : ''})`);
          return;
        case ':channel': {
          const channel = findChannel(argument);
          if (channel === undefined) write(`Unknown channel "${argument}". Try :channels.`);
          else if (!channel.members.includes(userId)) write(`${userLabel(userId)} is not a member of #${channel.name}.`);
          else {
            channelId = channel.id;
            write(`You are now in #${channel.name}${channel.members.includes(workspace.botUserId) ? '' : ' (the bot is not a member here)'}.`);
          }
          return;
        }
        case ':channels':
          for (const channel of workspace.channels) {
            const notes = [channel.isPrivate === true ? 'private' : 'public', channel.members.includes(workspace.botUserId) ? 'bot is in' : 'bot not in'];
            write(`  ${channel.id === channelId ? '*' : ' '} #${channel.name} (${channel.id}, ${notes.join(', ')})`);
          }
          return;
        case ':sims':
          for (const sim of options.describeSims()) write(`  ${sim}`);
          return;
        case ':time':
          write(new Date(options.clock.nowMs()).toISOString());
          return;
        case ':advance': {
          const parsed = parseDuration(argument);
          if (!parsed.ok) {
            write(`"${argument}" is not a duration (e.g. 90s, 30m, 2h).`);
            return;
          }
          options.clock.advance(parsed.value * 1000);
          write(`Time is now ${new Date(options.clock.nowMs()).toISOString()}.`);
          return;
        }
        case ':show':
          printChanges(true);
          return;
        default:
          write(`Unknown input "${word}". Type :help.`);
      }
    } catch (error) {
      write(`Error: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const readline = createInterface({ input: options.input, output, terminal: false });
  let queue = Promise.resolve();
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const showPrompt = () => {
    if (options.prompt !== false) output.write(`${userLabel(userId)} ${channelLabel(channelId)}> `);
  };
  readline.on('line', (line) => {
    if (line.trim() === ':quit') {
      readline.close();
      return;
    }
    queue = queue.then(() => run(line)).then(showPrompt);
  });
  readline.on('close', () => {
    void queue.then(finish);
  });
  write(`napter-bot local playground. You are ${userLabel(userId)} in ${channelLabel(channelId)}. Type :help, or try:\n  /napter help\n  :sims`);
  showPrompt();

  return { run, done, close: () => readline.close() };
}
