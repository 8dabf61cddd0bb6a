import { SCENARIOS, type Scenario } from '../../../src/simulator/index';
import type { FaultSpec } from '../../../src/simulator/faults';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../../src/slack/ids';
import { startHarness, type Harness } from '../../support/harness';
import { clickable, everythingChannelsSaw, latestEphemeral, textOf } from '../../support/slack-views';
import { diagnosisParents, onlyParent, payloadOf, openReplyWithDiagnoseButton } from '../../support/threads';

/**
 * `/napter diagnose` end to end: signed HTTP into the real Bolt app, the real SORACOM client against the
 * simulator replaying each scenario of its catalog, the fake Slack recording what the channel saw.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const OPS = 'C0OPS';

/** The team's policy for a scenario: the default rights, the probe on or off, the port table it assumes. */
function policyFor(scenario: Scenario, probe: { enabled: boolean }): string {
  const table =
    scenario.protocol === undefined || scenario.devicePort === undefined ? '' : `\n  protocols:\n    "${scenario.devicePort}": ${scenario.protocol}`;
  return `rules:\n  - who: everyone\n    actions: [open, diagnose, list, peek, ticket]\nprobe:\n  enabled: ${probe.enabled}\n  timeoutSec: 3${table}\n`;
}

async function diagnoseInChannel(
  scenario: Scenario,
  options: { probe: { enabled: boolean }; simulatorFaults?: FaultSpec },
): Promise<{ payload: Record<string, unknown>; askedAtMs: number; replies: number; attempted: boolean }> {
  const h = await startHarness({
    scenario: scenario.id,
    policyText: policyFor(scenario, options.probe),
    ...(options.simulatorFaults === undefined ? {} : { simulatorFaults: options.simulatorFaults }),
  });
  try {
    const askedAtMs = h.clock.nowMs();
    const answer = await h.driver.command(`diagnose ${scenario.diagnoseSimRef}`, { userId: ALICE, channelId: OPS });
    expect(answer.status).toBe(200);
    await h.settle();
    const parent = onlyParent(h, OPS);
    const payload = payloadOf(parent);
    for (const reply of parent.replies) {
      expect(reply.metadata?.event_type).toBe(METADATA_EVENT_TYPES.diagnosis);
      expect(payloadOf(reply)['verdict']).toBe(payload['verdict']);
      expect(reply.blocks.length).toBeLessThanOrEqual(50);
    }
    // What the channel saw never holds a full client address.
    const seen = everythingChannelsSaw(h.slack);
    for (const client of h.sim.world.state.clients ?? []) {
      if (client.globalIp !== undefined) expect(seen).not.toContain(client.globalIp);
    }
    // Whether anyone's connection reached Napter: then the sessions, not the probe, are the evidence.
    const attempted = h.sim.world.auditEvents().some((event) => event.type === 'ACCESS');
    return { payload, askedAtMs, replies: parent.replies.length, attempted };
  } finally {
    await h.close();
  }
}

describe('every verdict reaches Slack with its metadata', () => {
  test.each(SCENARIOS.map((scenario) => [scenario.id, scenario.expectedVerdict, scenario] as const))('%s → %s', async (_id, expectedVerdict, scenario) => {
    const { payload, askedAtMs, replies } = await diagnoseInChannel(scenario, { probe: { enabled: true } });
    expect(payload['verdict']).toBe(expectedVerdict);
    expect(payload['device_cause']).toBe(scenario.expectedDeviceCause);
    expect(typeof payload['window_from_ms']).toBe('number');
    // The window ends when the user asked; a device that kept the probe waiting does not move it.
    expect(payload['window_to_ms']).toBe(askedAtMs);
    expect(payload).toHaveProperty('sim_id');
    expect(payload).toHaveProperty('imsi');
    expect(replies).toBeGreaterThanOrEqual(2);
  });
});

describe('verdicts that rest on sessions reach Slack unchanged when the probe is off or hears nothing', () => {
  test.each(SCENARIOS.map((scenario) => [scenario.id, scenario] as const))('%s', async (_id, scenario) => {
    const off = await diagnoseInChannel(scenario, { probe: { enabled: false } });
    expect(off.payload['verdict']).toBe(scenario.expectedVerdictWithoutProbe ?? scenario.expectedVerdict);
    const silent = await diagnoseInChannel(scenario, {
      probe: { enabled: true },
      simulatorFaults: { rules: [{ kind: 'device-silent', method: 'POST', path: '/v1/sims/*/downlink/*' }] },
    });
    // A probe that heard nothing never overturns what people's connections show; where nothing was tried,
    // the silent device may be the one finding there is.
    if (silent.attempted) expect(silent.payload['verdict']).toBe(scenario.expectedVerdict);
    else expect([scenario.expectedVerdict, 'device-port-closed']).toContain(silent.payload['verdict']);
  });
});

describe('/napter diagnose in one world', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('shows progress in place to the requester, then says where the result is', async () => {
    await h.driver.command('diagnose demo-healthy', { userId: ALICE, channelId: OPS });
    await h.settle();
    const posts = h.slack.responseUrlPosts.map((post) => JSON.stringify(post.body));
    expect(posts.some((body) => body.includes('Reading the SIM'))).toBe(true);
    expect(posts.length).toBeLessThanOrEqual(5);
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('posted in the channel');
  });

  it('writes the parent in the requester language and records the diagnosis in the ledger', async () => {
    await h.driver.command('diagnose demo-healthy', { userId: HANAKO, channelId: OPS });
    await h.settle();
    const parent = onlyParent(h, OPS);
    expect(textOf(parent)).toMatch(/[\u3040-\u30ff]/);
    const entries = (await h.store.ledger.list({ userId: HANAKO })).filter((entry) => entry.kind === 'diagnose');
    expect(entries).toHaveLength(1);
    expect(entries[0]?.details?.['diagnosisId']).toBe(payloadOf(parent)['diagnosis_id']);
  });

  it('lists the candidates of an ambiguous name instead of guessing, and posts nothing', async () => {
    await h.driver.command('diagnose demo-', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(diagnosisParents(h, OPS)).toHaveLength(0);
    const answer = textOf(latestEphemeral(h.slack, ALICE, OPS));
    expect(answer).toContain('Several SIMs match');
    expect(answer).toContain('demo-healthy');
  });

  it('a name that matches no SIM gets a private "did you mean …" with the closest names, and no card', async () => {
    await h.driver.command('diagnose demo-helthy', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(diagnosisParents(h, OPS)).toHaveLength(0);
    const answer = textOf(latestEphemeral(h.slack, ALICE, OPS));
    expect(answer).toContain('No SIM is named “demo-helthy”');
    expect(answer).toContain('Did you mean: `demo-healthy`');
    // A name SORACOM cannot search is refused before asking it.
    const before = h.sim.requests.length;
    await h.driver.command('diagnose d', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('too short to search for');
    expect(h.sim.requests.length).toBe(before);
  });

  it('DENIED from two addresses offers one “open again for …” button per address, masked', async () => {
    await h.driver.command('diagnose demo-denied-two', { userId: ALICE, channelId: OPS });
    await h.settle();
    const parent = onlyParent(h, OPS);
    expect(payloadOf(parent)['verdict']).toBe('source-ip-mismatch');
    const thread = parent.replies.map(textOf).join('\n');
    expect(thread).toContain('Open again for 192.0.2.x');
    expect(thread).toContain('Open again for 198.51.100.x');
  });

  it('falls back to an ephemeral result with the invite hint when the bot is not in the channel', async () => {
    await h.driver.command('diagnose demo-healthy', { userId: ALICE, channelId: 'C0RANDOM' });
    await h.settle();
    expect(diagnosisParents(h, 'C0RANDOM')).toHaveLength(0);
    const texts = h.slack.ephemerals({ userId: ALICE, channelId: 'C0RANDOM' }).map(textOf).join('\n');
    expect(texts).toContain('/invite @napter');
    expect(texts).toContain(ACTION_IDS.diagnoseAgain);
    expect(h.slack.ephemerals({ userId: HANAKO, channelId: 'C0RANDOM' })).toHaveLength(0);
  });

  it('falls back the same way in a private channel the bot cannot see', async () => {
    await h.driver.command('diagnose demo-healthy', { userId: ALICE, channelId: 'G0SECRET' });
    await h.settle();
    const texts = h.slack.ephemerals({ userId: ALICE, channelId: 'G0SECRET' }).map(textOf).join('\n');
    expect(texts).toContain('/invite @napter');
  });

  it('refuses a user the policy does not let diagnose, before reading SORACOM', async () => {
    await h.close();
    h = await startHarness({
      policyText: 'rules:\n  - who: { users: [U0HANAKO] }\n    actions: [diagnose, open, peek, ticket]\n',
    });
    const before = h.sim.requests.length;
    await h.driver.command('diagnose demo-healthy', { userId: ALICE, channelId: OPS });
    await h.settle();
    expect(diagnosisParents(h, OPS)).toHaveLength(0);
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('may not');
    expect(h.sim.requests.slice(before).filter((request) => request.path.includes('audit_logs'))).toHaveLength(0);
  });

  it('diagnoses the mapping behind the Diagnose button of an open reply, leaving that reply intact', async () => {
    const reply = await openReplyWithDiagnoseButton(h, ALICE, OPS);
    const replyText = textOf(reply);

    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.diagnoseMapping });
    await h.settle();
    const parent = onlyParent(h, OPS);
    const [mapping] = await h.store.mappings.list({});
    expect(payloadOf(parent)['sim_id']).toBe(mapping?.simId);
    // Nobody has connected yet, seconds after the open: that is not a blocked network, it is too early to tell.
    expect(payloadOf(parent)['verdict']).toBe('insufficient-evidence');
    expect(textOf(parent)).toContain('Nothing has tried to connect since the remote access was opened');
    expect(textOf(parent)).not.toContain('blocks');
    expect(parent.replies.length).toBeGreaterThanOrEqual(2);
    const still = h.slack.ephemerals({ userId: ALICE, channelId: OPS }).find((candidate) => candidate.ts === reply.ts);
    expect(textOf(still!)).toBe(replyText);
  });

  it('refuses a tampered mapping reference on the Diagnose button', async () => {
    const reply = await openReplyWithDiagnoseButton(h, ALICE, OPS);
    await h.driver.clickButton({ userId: ALICE, message: clickable(reply), actionId: ACTION_IDS.diagnoseMapping, value: '{"v":1,"mappingId":"forged"}' });
    await h.settle();
    expect(diagnosisParents(h, OPS)).toHaveLength(0);
    expect(textOf(latestEphemeral(h.slack, ALICE, OPS))).toContain('does not know this mapping');
  });
});

describe('over Socket Mode', () => {
  it('posts the parent and thread and updates the parent on Diagnose again, as over HTTP', async () => {
    const h = await startHarness({ transport: 'socket' });
    try {
      await h.driver.command('diagnose demo-healthy', { userId: ALICE, channelId: OPS });
      await h.settle();
      const parent = onlyParent(h, OPS);
      expect(payloadOf(parent)['verdict']).toBe('healthy');
      await h.driver.clickButton({ userId: HANAKO, message: clickable(parent), actionId: ACTION_IDS.diagnoseAgain });
      await h.settle();
      const after = onlyParent(h, OPS);
      expect(after.ts).toBe(parent.ts);
      expect(textOf(after)).toContain('<@U0HANAKO>');
    } finally {
      await h.close();
    }
  });
});
