import { ManualClock } from '../../src/common/clock';
import type { SoracomCallMetric } from '../../src/common/metrics';
import { startSimulator } from '../../src/simulator/server';
import { createSoracomClient } from '../../src/soracom/index';
import { freePort } from '../support/free-port';

/** What the client tells without being asked to call SORACOM: every attempt it made, and whether it can sign in. */

it('reports each attempt with its operation and status, `network` when nothing answered', async () => {
  const sim = await startSimulator({ port: 0, scenario: 'demo', faults: { rules: [{ kind: 'error-5xx', method: 'GET', path: '/v1/sims/*', count: 1 }] } });
  const calls: SoracomCallMetric[] = [];
  const api = createSoracomClient({
    endpoint: sim.baseUrl,
    authKeyId: sim.authKeyId,
    authKey: sim.authKey,
    retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 },
    onCall: (call) => calls.push(call),
  });
  try {
    const simId = sim.world.state.sims[0]?.simId ?? '';
    await api.getSim(simId);
    expect(calls.map(({ operation, status }) => [operation, status])).toEqual([
      ['auth', 200],
      ['getSim', 503],
      ['getSim', 200],
    ]);
    expect(calls.every((call) => call.durationSeconds >= 0 && call.durationSeconds < 10)).toBe(true);
  } finally {
    api.close();
    await sim.close();
  }

  const nowhere: SoracomCallMetric[] = [];
  const unreachable = createSoracomClient({
    endpoint: `http://127.0.0.1:${await freePort()}`,
    authKeyId: 'keyId-x',
    authKey: 'secret-x',
    retry: { maxRetries: 0 },
    onCall: (call) => nowhere.push(call),
  });
  await expect(unreachable.signIn()).rejects.toThrow();
  expect(nowhere.map(({ operation, status }) => [operation, status])).toEqual([['auth', 'network']]);
  unreachable.close();
});

it('is ready once signed in, not after a failed sign-in, and tries again at most every 30 s while probed', async () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const port = await freePort();
  const api = createSoracomClient({ endpoint: `http://127.0.0.1:${port}`, authKeyId: 'keyId-x', authKey: 'secret-x', clock, retry: { maxRetries: 0 } });
  expect(api.tokenReadiness()).toEqual({ ready: false, lastSignIn: 'none' });
  await expect(api.signIn()).rejects.toThrow();
  expect(api.tokenReadiness()).toEqual({ ready: false, lastSignIn: 'failed' });
  for (let probe = 0; probe < 5; probe += 1) api.tokenReadiness();
  expect(api.stats().authentications).toBe(1);
  clock.advance(30_000);
  api.tokenReadiness();
  api.tokenReadiness();
  expect(api.stats().authentications).toBe(2);
  api.close();

  const sim = await startSimulator({ port: 0, clock });
  const working = createSoracomClient({ endpoint: sim.baseUrl, authKeyId: sim.authKeyId, authKey: sim.authKey, clock });
  try {
    await working.signIn();
    expect(working.tokenReadiness()).toEqual({ ready: true, lastSignIn: 'ok' });
    expect(working.stats().authentications).toBe(1);
  } finally {
    working.close();
    await sim.close();
  }
});
