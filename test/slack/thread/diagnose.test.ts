import { SCENARIOS } from '../../../src/simulator/index';
import { ACTION_IDS, METADATA_EVENT_TYPES } from '../../../src/slack/ids';
import { startHarness, type Harness } from '../../support/harness';
import { clickable, everythingChannelsSaw, latestEphemeral, textOf } from '../../support/slack-views';
import { diagnosisParents, onlyParent, payloadOf, openReplyWithDiagnoseButton } from './support';

/**
 * `/napter diagnose` end to end: signed HTTP into the real Bolt app, the real SORACOM client against the
 * simulator replaying each scenario of its catalog, the fake Slack recording what the channel saw.
 */
const ALICE = 'U0ALICE';
const HANAKO = 'U0HANAKO';
const OPS = 'C0OPS';

describe('every verdict reaches Slack with its metadata', () => {
  test.each(SCENARIOS.map((scenario) => [scenario.id, scenario.expectedVerdict, scenario.diagnoseSimRef] as const))(
    '%s → %s',
    async (scenarioId, expectedVerdict, simRef) => {
      const h = await startHarness({ scenario: scenarioId });
      try {
        const answer = await h.driver.command(`diagnose ${simRef}`, { userId: ALICE, channelId: OPS });
        expect(answer.status).toBe(200);
        await h.settle();

        const parent = onlyParent(h, OPS);
        const payload = payloadOf(parent);
        expect(payload['verdict']).toBe(expectedVerdict);
        expect(typeof payload['window_from_ms']).toBe('number');
        expect(payload['window_to_ms']).toBe(h.clock.nowMs());
        expect(payload).toHaveProperty('sim_id');
        expect(payload).toHaveProperty('imsi');
        expect(parent.replies.length).toBeGreaterThanOrEqual(2);
        for (const reply of parent.replies) {
          expect(reply.metadata?.event_type).toBe(METADATA_EVENT_TYPES.diagnosis);
          expect(payloadOf(reply)['verdict']).toBe(expectedVerdict);
          expect(reply.blocks.length).toBeLessThanOrEqual(50);
        }
        // What the channel saw never holds a full client address.
        const seen = everythingChannelsSaw(h.slack);
        for (const client of h.sim.world.state.clients ?? []) {
          if (client.globalIp !== undefined) expect(seen).not.toContain(client.globalIp);
        }
      } finally {
        await h.close();
      }
    },
  );
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
    const entries = h.store.listLedger({ userId: HANAKO }).filter((entry) => entry.kind === 'diagnose');
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
    const [mapping] = h.store.listMappings({});
    expect(payloadOf(parent)['sim_id']).toBe(mapping?.simId);
    // Nobody has connected since the mapping was created: the guide's "blocked client network" case.
    expect(payloadOf(parent)['verdict']).toBe('client-network-blocked');
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
