import type { WebClient } from '@slack/web-api';
import { ManualClock } from '../../../src/common/clock';
import { DEFAULT_POLICY, parsePolicy } from '../../../src/policy/index';
import { createActorResolver } from '../../../src/slack/pipeline/actors';

/** A Web API client that answers `users.info` and `usergroups.users.list` after the test lets it, counting calls. */
function slowSlack(locale: string) {
  const calls = { usersInfo: 0, groupMembers: 0 };
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const client = {
    users: {
      info: async () => {
        calls.usersInfo += 1;
        await gate;
        return { ok: true, user: { locale } };
      },
    },
    usergroups: {
      users: {
        list: async () => {
          calls.groupMembers += 1;
          await gate;
          return { ok: true, users: ['U0ALICE'] };
        },
      },
    },
  } as unknown as WebClient;
  return { client, calls, release: () => release() };
}

const who = { teamId: 'T0', userId: 'U0ALICE', channelId: 'C0OPS' };

describe('who asks', () => {
  test('a burst of requests from one user makes one users.info call, and the answer is kept', async () => {
    const clock = new ManualClock(0);
    const slack = slowSlack('ja-JP');
    const actors = createActorResolver({ policy: DEFAULT_POLICY, clock, onError: () => undefined });
    const burst = Array.from({ length: 200 }, () => actors.resolve(slack.client, who));
    slack.release();
    const resolved = await Promise.all(burst);
    expect(slack.calls.usersInfo).toBe(1);
    expect(new Set(resolved.map((actor) => actor.lang))).toEqual(new Set(['ja']));
    await actors.resolve(slack.client, who);
    expect(slack.calls.usersInfo).toBe(1);
    clock.advance(6 * 60 * 60 * 1000);
    await actors.resolve(slack.client, who);
    expect(slack.calls.usersInfo).toBe(2);
  });

  test('only the user groups the policy names are read, once for a burst', async () => {
    const policy = parsePolicy('rules:\n  - who: { userGroups: [S0ONCALL] }\n    actions: [open, list]\n    maxDurationSec: 3600\n', 'policy.yaml');
    const slack = slowSlack('en-US');
    const actors = createActorResolver({ policy, clock: new ManualClock(0), onError: () => undefined });
    const burst = Array.from({ length: 50 }, () => actors.resolve(slack.client, who));
    slack.release();
    const resolved = await Promise.all(burst);
    expect(slack.calls.groupMembers).toBe(1);
    expect(resolved[0]).toEqual({ ...who, lang: 'en', userGroupIds: ['S0ONCALL'] });
  });

  test('Slack failing means English and no group: a policy never grants more because Slack was down', async () => {
    const failing = {
      users: { info: async () => Promise.reject(new Error('down')) },
      usergroups: { users: { list: async () => Promise.reject(new Error('down')) } },
    } as unknown as WebClient;
    const policy = parsePolicy('admins: { userGroups: [S0ADMINS] }\nrules: []\n', 'policy.yaml');
    const errors: string[] = [];
    const actors = createActorResolver({ policy, clock: new ManualClock(0), onError: (what) => errors.push(what) });
    expect(await actors.resolve(failing, who)).toEqual({ ...who, lang: 'en', userGroupIds: [] });
    expect(errors).toEqual(expect.arrayContaining(['users.info', 'usergroups.users.list']));
  });
});
