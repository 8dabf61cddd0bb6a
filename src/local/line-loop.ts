import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * The terminal side of the playground: reads lines and runs them one after another, shows the prompt once a
 * line is done, and prints what arrives meanwhile above the prompt — at a TTY with the half-typed line kept,
 * elsewhere on a line of its own. A line never waits for more than its own immediate answer.
 */
export interface LineLoopOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** A TTY: readline edits the line (and owns Ctrl-C), and output arriving meanwhile is printed above it. */
  readonly terminal: boolean;
  readonly prompt: boolean;
  readonly promptText: () => string;
  readonly run: (line: string) => Promise<void>;
  /** Calls back whenever something may have arrived; returns the unsubscribe function. */
  readonly subscribe: (listener: () => void) => () => void;
  /** Blocks of text that arrived since the last call. */
  readonly arrivals: () => string[];
  /** Piped input ended (or said :quit): what to await before the loop closes, so a script's results are printed. */
  readonly drain: () => Promise<void>;
}

export interface LineLoop {
  /** Resolves when `:quit` is typed, or when piped input ends and is drained. */
  readonly done: Promise<void>;
  close(): void;
}

export function startLineLoop(options: LineLoopOptions): LineLoop {
  const { output } = options;
  const readline = createInterface({ input: options.input, output, terminal: options.terminal });
  readline.setPrompt('');
  let queue = Promise.resolve();
  let pendingLines = 0;
  let atPrompt = false;
  let quitting = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const showPrompt = () => {
    if (!options.prompt || pendingLines > 0 || quitting) return;
    readline.setPrompt(options.promptText());
    // At a TTY this redraws the prompt with whatever the user has typed so far.
    readline.prompt(true);
    atPrompt = true;
  };

  let scheduled = false;
  const unsubscribe = options.subscribe(() => {
    if (scheduled) return;
    scheduled = true;
    // One print for a burst of changes.
    setImmediate(() => {
      scheduled = false;
      const blocks = options.arrivals();
      if (blocks.length === 0) return;
      const wasAtPrompt = atPrompt;
      if (wasAtPrompt) {
        if (options.terminal) {
          clearLine(output, 0);
          cursorTo(output, 0);
        } else output.write('\n');
        atPrompt = false;
      }
      for (const block of blocks) output.write(`${block}\n`);
      if (wasAtPrompt) showPrompt();
    });
  });

  const quit = () => {
    quitting = true;
    readline.close();
  };
  readline.on('line', (line) => {
    if (line.trim() === ':quit') return quit();
    pendingLines += 1;
    atPrompt = false;
    queue = queue
      .then(() => options.run(line))
      .then(() => {
        pendingLines -= 1;
        showPrompt();
      });
  });
  // At a TTY readline owns Ctrl-C; it means leave, as it does everywhere else.
  readline.on('SIGINT', quit);
  readline.on('close', () => {
    // A person at a terminal leaves at once (the app's shutdown hands back what still runs); a script piped in
    // has its results printed first.
    const last = options.terminal ? queue : queue.then(options.drain);
    void last.then(() => {
      unsubscribe();
      finish();
    });
  });
  showPrompt();
  return { done, close: quit };
}
