import type { Readable, Writable } from 'node:stream';
import { langFromLocale } from '../domain/i18n/catalog';
import { parseDuration } from '../domain/duration';
import type { World } from '../simulator/world';
import type { FakeSlack, SlackDriver } from '../slack-fake/index';
import { chooseButton, parseAssignments, parseClick, parseConnect, submissionValues } from './input';
import { connectThroughMapping, describeConnection, describeDemoSim, describeDemoSims } from './playground-world';
import { buttonsOf, inputsOf, type RenderOptions, renderMessage } from './render';
import { startLineLoop } from './line-loop';
import { createScreen } from './screen';

/**
 * The local playground's terminal: type `/napter …` as a Slack user would and see what Slack would show —
 * channel messages, the ephemerals and modals only you see — as text, with buttons you click by their
 * label and modals you fill in. A line returns as soon as Slack would have answered it (the app's ack);
 * what the app does afterwards is printed when it reaches the local Slack stand-in, above the prompt.
 * Everything runs on loopback against the local Slack stand-in and the SORACOM simulator.
 */
export interface LocalReplOptions {
  readonly fake: FakeSlack;
  readonly driver: SlackDriver;
  /** Awaits the app's tracked work in flight: for `:wait`, and when piped input ends; never after an ordinary line. */
  readonly settle: () => Promise<void>;
  readonly clock: { nowMs(): number; advance(ms: number): void };
  /** The simulated SORACOM world (the demo SIMs, `:connect`); undefined against the real SORACOM. */
  readonly world: World | undefined;
  readonly input: Readable;
  readonly output: Writable;
  readonly prompt?: boolean;
  /** A TTY: readline edits the line, and output arriving meanwhile is printed above it. */
  readonly terminal?: boolean;
}

export interface LocalRepl {
  /** Runs one line as if typed; resolves once its immediate answer is printed (the app's later work prints itself). */
  run(line: string): Promise<void>;
  /** Resolves when `:quit` is typed, or when the input ends and the app's work in flight is printed. */
  readonly done: Promise<void>;
  close(): void;
}

/** How long Slack must hear nothing from the app before `:wait` (and a script's end) calls it done. */
const QUIET_MS = 300;

const HELP = `Commands:
  /napter <subcommand> …     run the slash command as the current user in the current channel
  :click <label> [n]         click a button by its label (exact first, then its start, then any part);
                             n picks among several (1 = newest)
  :submit field=value …      submit the open modal; fields not given keep their value ("quote spaces")
  :cancel                    close the open modal without submitting
  :confirm <ip>              confirm the last IP capture link with this address (as the browser page would)
  :connect <sim> [from <ip>] [for <duration>]
                             connect through the SIM's mapping as you; the simulator logs what Napter would
  :user <name|id>            act as another user          :users     list users
  :channel <name|id>         move to another channel      :channels  list channels
  :sims [<sim>]              the demo SIMs and what each one shows
  :home [<label> [n]]        open the app's Home tab and print it; with a label, click that button on it
  :files                     the files the bot shared with you (the history's CSV export), with their content
  :time                      print the current time       :advance <duration>  move time forward (e.g. 30m)
  :show                      print everything visible in the current channel again
  :wait                      wait until the app's work in flight is done and Slack is quiet (for scripts)
  :help                      this text                    :quit      leave
Results print as they arrive; the prompt stays yours meanwhile.`;

export function startLocalRepl(options: LocalReplOptions): LocalRepl {
  const { fake, driver, output, world } = options;
  const workspace = fake.workspace;
  let userId = workspace.users[0]?.id ?? '';
  let channelId = workspace.channels.find((channel) => channel.members.includes(workspace.botUserId))?.id ?? workspace.channels[0]?.id ?? '';
  const confirmedIps = new Map<string, string>();

  const write = (text: string): void => {
    output.write(`${text}\n`);
  };
  const renderOptions: RenderOptions = {
    userName: (id) => workspace.users.find((user) => user.id === id)?.name ?? (id === workspace.botUserId ? 'napter' : undefined),
  };
  const userLabel = (id: string) => `@${renderOptions.userName(id) ?? id}`;
  const channelLabel = (id: string) => `#${workspace.channels.find((channel) => channel.id === id)?.name ?? id}`;
  const lang = () => langFromLocale(workspace.users.find((user) => user.id === userId)?.locale);
  const screen = createScreen(fake, () => ({ userId, channelId }), renderOptions);
  const printChanges = (all = false) => {
    for (const block of screen.changes({ all })) write(block);
  };

  const findUser = (text: string) => workspace.users.find((user) => user.id === text || user.name === text.replace(/^@/, ''));
  const findChannel = (text: string) => workspace.channels.find((channel) => channel.id === text || channel.name === text.replace(/^#/, ''));
  const answered = (status: number) => {
    if (status !== 200) write(`(the app answered HTTP ${status})`);
  };

  const click = async (argument: string) => {
    const { label, index } = parseClick(argument);
    const candidates = screen
      .messages()
      .reverse()
      .flatMap((message) => buttonsOf(message.blocks).map((button) => ({ ...button, message })));
    const chosen = chooseButton(candidates, label, index);
    if (chosen === undefined) {
      write(`No button matching "${label}" is visible to ${userLabel(userId)} in ${channelLabel(channelId)}.`);
      return;
    }
    if (chosen.url !== undefined) write(`That button is a link: open ${chosen.url} in your browser (or use :confirm <ip>).`);
    const { message } = chosen;
    const result = await driver.clickButton({
      userId,
      message: { ts: message.ts, channelId: message.channelId, ephemeral: message.ephemeral, blocks: message.blocks },
      actionId: chosen.actionId,
    });
    answered(result.status);
  };

  const submit = async (argument: string) => {
    const view = screen.openModal();
    if (view === undefined) return write(`No modal is open for ${userLabel(userId)}.`);
    const assignments = parseAssignments(argument);
    if (!assignments.ok) return write(assignments.error);
    const inputs = inputsOf(view.blocks);
    const values = submissionValues(inputs, assignments.value);
    if (!values.ok) return write(values.error);
    const result = await driver.submitView({ userId, view, values: values.value });
    answered(result.status);
    const errors = result.body?.['response_action'] === 'errors' ? (result.body['errors'] as Record<string, string> | undefined) : undefined;
    if (errors === undefined) return;
    write('The modal stays open; the app asks you to fix:');
    for (const [blockId, problem] of Object.entries(errors)) {
      const input = inputs.find((candidate) => candidate.blockId === blockId);
      write(`   ${blockId}${input === undefined ? '' : ` (${input.label})`}: ${problem}`);
    }
  };

  const cancel = async () => {
    const view = screen.openModal();
    if (view === undefined) return write(`No modal is open for ${userLabel(userId)}.`);
    const result = await driver.closeView({ userId, view });
    if (result !== undefined) answered(result.status);
  };

  const confirm = async (ip: string) => {
    const url = screen.lastCaptureUrl();
    if (url === undefined) return write('No IP capture link seen yet: run `/napter open <sim>` first.');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ip }).toString(),
    });
    const page = await response.text();
    write(`IP page answered ${response.status}: ${/<h1>([^<]*)<\/h1>/.exec(page)?.[1] ?? ''}`);
    if (response.ok) confirmedIps.set(userId, ip);
  };

  const connect = (argument: string) => {
    if (world === undefined) return write(':connect needs the built-in SORACOM simulator (no SORACOM AuthKey configured).');
    const request = parseConnect(argument);
    if (!request.ok) return write(request.error);
    const name = renderOptions.userName(userId) ?? userId;
    const outcome = connectThroughMapping(world, request.value, { userName: name, confirmedIp: confirmedIps.get(userId) });
    for (const line of describeConnection(outcome, name, options.clock.nowMs())) write(line);
  };

  const sims = (argument: string) => {
    if (world === undefined) return write('(real SORACOM: use your own SIM names or IMSIs)');
    if (argument !== '') {
      for (const line of describeDemoSim(world, argument, lang()) ?? [`"${argument}" is not a demo SIM. Try :sims.`]) write(line);
      return;
    }
    write('The demo SIMs (/napter diagnose <sim> to see the verdict; :sims <sim> for the story):');
    for (const line of describeDemoSims(world, lang())) write(`  ${line}`);
  };

  // The Home tab as Slack would show it: opening it sends app_home_opened; the app publishes it.
  const home = async (argument: string) => {
    const result = await driver.openHome(userId);
    answered(result.status);
    await waitForQuiet();
    const view = fake.homeView(userId);
    if (view === undefined) return write(`The app published no Home tab for ${userLabel(userId)}.`);
    if (argument === '') {
      write(`── Home of ${userLabel(userId)} ──\n${renderMessage({ text: '', blocks: view.blocks }, renderOptions)}`);
      return;
    }
    const { label, index } = parseClick(argument);
    const chosen = chooseButton(buttonsWithBlocks(view.blocks), label, index);
    if (chosen === undefined) return write(`No button matching "${label}" on the Home tab of ${userLabel(userId)}.`);
    const click = { userId, view, actionId: chosen.actionId, ...(chosen.blockId === undefined ? {} : { blockId: chosen.blockId }) };
    answered((await driver.clickButton(click)).status);
  };

  const files = () => {
    const dm = `D${userId}`;
    const shared = fake.files.filter((file) => file.sharedTo.includes(dm));
    if (shared.length === 0) return write(`The bot shared no file with ${userLabel(userId)}.`);
    for (const file of shared) write(`── ${file.filename} (${file.title}, ${file.uploadedLength ?? 0} bytes) ──\n${file.content ?? ''}`);
  };

  const commands: Record<string, (argument: string) => void | Promise<void>> = {
    ':home': home,
    ':files': files,
    ':help': () => write(HELP),
    ':click': click,
    ':submit': submit,
    ':cancel': cancel,
    ':confirm': confirm,
    ':connect': connect,
    ':sims': sims,
    ':user': (argument) => {
      const user = findUser(argument);
      if (user === undefined) return write(`Unknown user "${argument}". Try :users.`);
      userId = user.id;
      write(`You are now ${userLabel(userId)} (${user.locale ?? 'en-US'}).`);
    },
    ':users': () => {
      for (const user of workspace.users) write(`  ${user.id === userId ? '*' : ' '} @${user.name} (${user.id}, ${user.locale ?? 'en-US'}${user.isAdmin === true ? ', admin' : ''})`);
    },
    ':channel': (argument) => {
      const channel = findChannel(argument);
      if (channel === undefined) return write(`Unknown channel "${argument}". Try :channels.`);
      if (!channel.members.includes(userId)) return write(`${userLabel(userId)} is not a member of #${channel.name}.`);
      channelId = channel.id;
      write(`You are now in #${channel.name}${channel.members.includes(workspace.botUserId) ? '' : ' (the bot is not a member here)'}.`);
    },
    ':channels': () => {
      for (const channel of workspace.channels) {
        const notes = [channel.isPrivate === true ? 'private' : 'public', channel.members.includes(workspace.botUserId) ? 'bot is in' : 'bot not in'];
        write(`  ${channel.id === channelId ? '*' : ' '} #${channel.name} (${channel.id}, ${notes.join(', ')})`);
      }
    },
    ':time': () => write(new Date(options.clock.nowMs()).toISOString()),
    ':advance': (argument) => {
      const parsed = parseDuration(argument);
      if (!parsed.ok) return write(`"${argument}" is not a duration (e.g. 90s, 30m, 2h).`);
      options.clock.advance(parsed.value * 1000);
      write(`Time is now ${new Date(options.clock.nowMs()).toISOString()}.`);
    },
    ':show': () => printChanges(true),
    ':wait': () => waitForQuiet(),
  };

  const run = async (rawLine: string): Promise<void> => {
    const line = rawLine.trim();
    if (line === '') return;
    const word = line.split(/\s/, 1)[0] ?? '';
    // The rest as typed: a quoted modal value keeps its spacing.
    const argument = line.slice(word.length).trim();
    try {
      if (word === '/napter') {
        const result = await driver.command(argument, { userId, channelId });
        answered(result.status);
      } else {
        const command = commands[word];
        if (command === undefined) write(`Unknown input "${word}". Type :help.`);
        else await command(argument);
      }
    } catch (error) {
      write(`Error: ${error instanceof Error ? error.message : String(error)}`);
    }
    // What Slack shows at once (an ack's reply, a switch of channel); later work prints itself.
    printChanges();
  };

  // Some of the app's work after an ack is not tracked (a listener opening a modal): a script also waits until
  // Slack has heard nothing from the app for a moment.
  let changesSeen = 0;
  const stopCounting = fake.onChange(() => {
    changesSeen += 1;
  });
  const waitForQuiet = async () => {
    for (;;) {
      await options.settle();
      const before = changesSeen;
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
      if (changesSeen === before) return;
    }
  };

  write(`napter-bot local playground. You are ${userLabel(userId)} in ${channelLabel(channelId)}. Type :help, or try:\n  /napter help\n  :sims`);
  const loop = startLineLoop({
    input: options.input,
    output,
    terminal: options.terminal === true,
    prompt: options.prompt !== false,
    promptText: () => `${userLabel(userId)} ${channelLabel(channelId)}> `,
    run,
    subscribe: (listener) => fake.onChange(listener),
    arrivals: () => screen.changes(),
    drain: async () => {
      await waitForQuiet();
      printChanges();
    },
  });
  const done = loop.done.then(stopCounting);
  return { run, done, close: () => loop.close() };
}

/** Every button of a view with the block it sits in: the click names the block when buttons share an action id. */
function buttonsWithBlocks(blocks: readonly unknown[]): (ReturnType<typeof buttonsOf>[number] & { readonly blockId: string | undefined })[] {
  return blocks.flatMap((block) => {
    const blockId = typeof block === 'object' && block !== null ? (block as Record<string, unknown>)['block_id'] : undefined;
    return buttonsOf([block]).map((button) => ({ ...button, blockId: typeof blockId === 'string' ? blockId : undefined }));
  });
}
