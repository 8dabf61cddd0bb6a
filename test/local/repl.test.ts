import { PassThrough, Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { startLocalRepl, type LocalRepl } from '../../src/local/repl';
import { DEMO_GUIDE } from '../../src/simulator/scenarios';
import type { FakeMessage } from '../../src/slack-fake/index';
import { startHarness, type Harness, type HarnessOptions } from '../support/harness';

/**
 * The playground's terminal end to end: lines typed into a stream, against the real Bolt app, the fake
 * Slack and the SORACOM simulator of the test harness; what the terminal prints is read back from a stream.
 */
const OPS = 'C0OPS';
const PROMPT = '@alice #iot-ops> ';

class Terminal extends Writable {
  text = '';
  private readonly watchers = new Set<() => void>();

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    for (const listener of [...this.watchers]) listener();
    done();
  }

  /** The output with the terminal's cursor movements taken out. */
  plain(from = 0): string {
    return stripVTControlCharacters(this.text.slice(from));
  }

  /** Resolves once the output (from `from` on) matches; on a loaded machine the app may take its time. */
  waitFor(pattern: string | RegExp, from = 0, timeoutMs = 15_000): Promise<void> {
    const matches = () => (typeof pattern === 'string' ? this.plain(from).includes(pattern) : pattern.test(this.plain(from)));
    if (matches()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!matches()) return;
        clearTimeout(timer);
        this.watchers.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.watchers.delete(check);
        reject(new Error(`The terminal never showed ${String(pattern)}; it shows:\n${this.plain(from)}`));
      }, timeoutMs);
      this.watchers.add(check);
    });
  }
}

let h: Harness;
let input: PassThrough;
let terminal: Terminal;
let repl: LocalRepl;

async function start(options: { harness?: HarnessOptions; prompt?: boolean; terminal?: boolean } = {}): Promise<void> {
  h = await startHarness(options.harness);
  input = new PassThrough();
  terminal = new Terminal();
  repl = startLocalRepl({
    fake: h.slack,
    driver: h.driver,
    settle: () => h.settle(),
    clock: h.clock,
    world: h.sim.world,
    input,
    output: terminal,
    prompt: options.prompt ?? false,
    terminal: options.terminal ?? false,
  });
}

afterEach(async () => {
  repl.close();
  await repl.done;
  await h.close();
});

/** Runs a line and waits for the app's work after it, so the next step starts from a settled world. */
async function runAndSettle(line: string): Promise<void> {
  await repl.run(line);
  await h.settle();
}

const diagnosisParents = (): FakeMessage[] => h.slack.channelMessages(OPS).filter((message) => message.metadata?.event_type === 'napter_diagnosis');
const latestVerdict = () => diagnosisParents().pop()?.metadata?.event_payload['verdict'];

describe('the prompt is never held by the app’s work', () => {
  it('answers the next line while a packet capture runs, and prints the capture’s progress as it arrives', async () => {
    await start({ prompt: true });
    await runAndSettle('/napter diagnose demo-healthy');

    const mark = terminal.text.length;
    input.write(':click Start packet capture\n/napter help\n');
    await terminal.waitFor('/napter: SORACOM Napter remote access from Slack', mark);
    await terminal.waitFor(/Packet capture[^\n]*\n(?:.*\n)*?.*@alice #iot-ops> $/, mark);
    // The capture is still being followed: its job waits for its next read.
    expect(await h.store.jobs.listPending('capture-poll')).toHaveLength(1);

    // Time passes in SORACOM; with nothing typed, the end of the capture shows up on its own.
    const beforeDone = terminal.text.length;
    h.clock.advance(10 * 60_000);
    await h.runJobs();
    await terminal.waitFor(/\(thread\) · @napter \(edited\)\n.*Packet capture/, beforeDone);
    const progress = diagnosisParents()[0]?.replies.find((reply) => reply.text.includes('Packet capture'));
    expect(progress?.text).toContain('done');
    expect(terminal.plain(beforeDone)).toContain('done');
    expect(await h.store.jobs.listPending('capture-poll')).toEqual([]);
  });

  it('prints a script’s results before it ends when its input ends', async () => {
    await start();
    input.end('/napter diagnose demo-expired\n');
    await repl.done;
    expect(terminal.plain()).toContain('Remote access has expired');
  });
});

describe('modals', () => {
  beforeEach(async () => {
    await start();
    await runAndSettle('/napter diagnose demo-app-down');
  });

  it('shows the modal with its ids, labels and buttons, reports the app’s errors, and submits the values typed', async () => {
    await repl.run(':click Draft support ticket');
    await terminal.waitFor('── modal "Support ticket draft"');
    const shown = terminal.plain();
    expect(shown).toContain('imsi/value  IMSI of the SIM *');
    expect(shown).toMatch(/imsi\/value.*\n\s+= 29505091\d{7}\n/);
    expect(shown).toContain('reproduce/value  How to reproduce *');
    expect(shown).toContain('[Post the draft]  [Cancel]');

    await repl.run(':submit imsi=123');
    expect(terminal.plain()).toContain('imsi (IMSI of the SIM): An IMSI has 15 digits.');
    expect(h.slack.openedViews.map((view) => view.status)).toEqual(['open']);

    const mark = terminal.text.length;
    await runAndSettle(':submit reproduce="ssh -p 8080  is refused at once" tried="rebooted\\nchecked the cable"');
    await terminal.waitFor('── modal "Support ticket draft" closed', mark);
    const draft = diagnosisParents()[0]?.replies.find((reply) => reply.text.includes('Support ticket draft'));
    const draftText = JSON.stringify(draft?.blocks);
    expect(draftText).toContain('How to reproduce: ssh -p 8080  is refused at once');
    expect(draftText).toContain('rebooted\\n    checked the cable');
    // The IMSI nobody retyped went as the app had filled it in.
    expect(draftText).toMatch(/IMSI: 29505091\d{7}/);
    await terminal.waitFor('Support ticket draft for *demo-app-down*', mark);
  });

  it('closes the modal on :cancel; nothing is left to submit', async () => {
    await repl.run(':click Draft support ticket');
    await terminal.waitFor('── modal "Support ticket draft"');
    await repl.run(':cancel');
    expect(terminal.plain()).toContain('── modal "Support ticket draft" closed');
    expect(h.slack.openedViews.map((view) => view.status)).toEqual(['closed']);
    await repl.run(':submit imsi=295050910000014');
    expect(terminal.plain()).toContain('No modal is open for @alice.');
  });
});

describe(':click', () => {
  it('clicks the button labelled exactly so before a newer one whose label only starts with it', async () => {
    await start();
    await runAndSettle('/napter open demo-healthy ssh from 203.0.113.5');
    await runAndSettle('/napter diagnose demo-healthy');
    const first = diagnosisParents()[0];
    // Newest on screen: the diagnosis's "Diagnose again"; older: the open card's "Diagnose".
    await runAndSettle(':click diagnose');
    expect(diagnosisParents()).toHaveLength(2);
    expect(diagnosisParents()[0]?.editCount).toBe(first?.editCount);

    await runAndSettle(':click diagnose a');
    expect(diagnosisParents()).toHaveLength(2);
    expect(diagnosisParents()[1]?.editCount).toBeGreaterThan(0);
  });
});

describe(':connect', () => {
  it('lets open → connect → diagnose be tried by hand: the simulator logs the connection, the diagnosis reads it', async () => {
    await start();
    await runAndSettle('/napter open demo-healthy ssh from 203.0.113.5');

    await repl.run(':connect demo-healthy from 198.51.100.9');
    expect(terminal.plain()).toContain('denied: 198.51.100.9 is outside source.ipRanges 203.0.113.5/32');
    expect(terminal.plain()).toMatch(/Napter audit log \(UTC\): ACCESS [\d:]+ · DENIED/);
    // The test's clock stands still; Napter's verdict comes a few milliseconds after the ACCESS.
    await repl.run(':advance 5s');
    await runAndSettle('/napter diagnose demo-healthy');
    expect(latestVerdict()).toBe('source-ip-mismatch');

    await repl.run(':connect demo-healthy for 10m');
    expect(terminal.plain()).toContain('@alice connects from 203.0.113.5 (the one address the mapping admits)');
    expect(terminal.plain()).toContain('session: ssh session on device port 22');
    await repl.run(':advance 11m');
    await runAndSettle('/napter diagnose demo-healthy');
    expect(latestVerdict()).toBe('healthy');
  });
});

describe(':sims', () => {
  it('tells what each demo SIM shows, in the user’s language', async () => {
    await start();
    await repl.run(':sims');
    for (const entry of DEMO_GUIDE) expect(terminal.plain()).toContain(entry.title.en);
    const mark = terminal.text.length;
    await repl.run(':user hanako');
    await repl.run(':sims demo-tls-ssh');
    const tlsSsh = DEMO_GUIDE.find((entry) => entry.simName === 'demo-tls-ssh');
    expect(terminal.plain(mark)).toContain(`demo-tls-ssh: ${tlsSsh?.title.ja ?? 'missing'}`);
  });
});

describe('at a terminal', () => {
  it('prints what arrives above the prompt and keeps the half-typed line', async () => {
    await start({ prompt: true, terminal: true });
    await terminal.waitFor(PROMPT);
    input.write(':ti');
    await terminal.waitFor(`${PROMPT}:ti`);
    // A colleague writes in the channel while alice is typing.
    h.slack.postUserMessage({ channelId: OPS, userId: 'U0HANAKO', text: 'anyone on gw-01?' });
    await terminal.waitFor(/── #iot-ops · @hanako\n\s+anyone on gw-01\?\n@alice #iot-ops> :ti$/);
    const mark = terminal.text.length;
    input.write('me\r');
    await terminal.waitFor(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/, mark);
  });
});

describe('the Home tab and the history', () => {
  beforeEach(async () => {
    await start();
    await runAndSettle('/napter open demo-healthy ssh for 1h from 203.0.113.5');
  });

  it('prints the published Home tab, and clicks its buttons', async () => {
    const mark = terminal.text.length;
    await runAndSettle(':home');
    const shown = terminal.plain(mark);
    expect(shown).toContain('── Home of @alice ──');
    expect(shown).toContain('*demo-healthy* · SSH (22) · from 203.0.113.5/32');
    expect(shown).toContain('[Extend]  [Close now]  [Diagnose]');

    await runAndSettle(':home Close now');
    expect(await h.store.mappings.list({ activeAtMs: h.clock.nowMs() })).toHaveLength(0);
    const after = terminal.text.length;
    await runAndSettle(':home');
    expect(terminal.plain(after)).toContain('You have no active remote access');
  });

  it('runs /napter history and shows the exported CSV with :files', async () => {
    const mark = terminal.text.length;
    await runAndSettle('/napter history');
    await repl.run(':wait');
    expect(terminal.plain(mark)).toContain('@alice opened *demo-healthy* · port 22 from 203.0.113.5/32');
    await runAndSettle(':click Export CSV');
    await repl.run(':wait');
    const before = terminal.text.length;
    await runAndSettle(':files');
    expect(terminal.plain(before)).toMatch(/── napter-history-\d{8}T\d{6}Z\.csv[\s\S]*time_utc,time_jst,action[\s\S]*,open,U0ALICE,/);
  });
});
