import { TokenKeeper, refreshMarginMs } from '../../src/soracom/auth';
import { ManualClock } from '../../src/common/clock';

function deferredAuth() {
  let calls = 0;
  const resolvers: Array<(value: { apiKey: string; token: string }) => void> = [];
  const authenticate = () =>
    new Promise<{ apiKey: string; token: string }>((resolve) => {
      calls += 1;
      resolvers.push(resolve);
    });
  return { authenticate, calls: () => calls, resolve: (i: number) => resolvers[i]?.({ apiKey: `api-${i}`, token: `tok-${i}` }) };
}

describe('TokenKeeper', () => {
  it('shares one in-flight authentication among concurrent callers', async () => {
    const auth = deferredAuth();
    const keeper = new TokenKeeper(auth.authenticate, new ManualClock(0), 3600);
    const pending = Array.from({ length: 20 }, () => keeper.credentials());
    auth.resolve(0);
    const all = await Promise.all(pending);
    expect(auth.calls()).toBe(1);
    expect(keeper.authentications).toBe(1);
    expect(new Set(all.map((c) => c.token))).toEqual(new Set(['tok-0']));
  });

  it('re-authenticates a margin before the token expires', async () => {
    const clock = new ManualClock(1_000_000);
    const auth = deferredAuth();
    const keeper = new TokenKeeper(auth.authenticate, clock, 3600);
    const first = keeper.credentials();
    auth.resolve(0);
    await first;
    clock.advance(3600_000 - refreshMarginMs(3600) - 1);
    expect((await keeper.credentials()).token).toBe('tok-0');
    clock.advance(1);
    const second = keeper.credentials();
    auth.resolve(1);
    expect((await second).token).toBe('tok-1');
    expect(auth.calls()).toBe(2);
  });

  it('replaces rejected credentials once, even when many callers report the same 401', async () => {
    const auth = deferredAuth();
    const keeper = new TokenKeeper(auth.authenticate, new ManualClock(0), 3600);
    const first = keeper.credentials();
    auth.resolve(0);
    const rejected = await first;
    const replacing = Array.from({ length: 5 }, () => keeper.replace(rejected));
    auth.resolve(1);
    const replaced = await Promise.all(replacing);
    expect(replaced.every((c) => c.token === 'tok-1')).toBe(true);
    // A late 401 on the old pair does not throw away the new one.
    expect((await keeper.replace(rejected)).token).toBe('tok-1');
    expect(auth.calls()).toBe(2);
  });

  it('lets the next caller try again after a failed authentication', async () => {
    let calls = 0;
    const keeper = new TokenKeeper(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('refused');
        return { apiKey: 'a', token: 't' };
      },
      new ManualClock(0),
      3600,
    );
    await expect(keeper.credentials()).rejects.toThrow('refused');
    await expect(keeper.credentials()).resolves.toMatchObject({ token: 't' });
  });

  it('keeps the refresh margin within a minute and five minutes', () => {
    expect(refreshMarginMs(86_400)).toBe(300_000);
    expect(refreshMarginMs(180)).toBe(60_000);
  });
});
