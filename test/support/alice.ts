import { startHarness, type Harness, type HarnessOptions } from './harness';

/** The requester most Slack tests act as, her channel, and the global address her laptop connects from. */
export const ALICE = 'U0ALICE';
export const OPS = 'C0OPS';
export const ALICE_IP = '203.0.113.5';
export const MIN = 60_000;

/** The demo world with Alice's laptop (`alice`, from ALICE_IP) as a client the simulator can connect through mappings. */
export async function startHarnessWithAlice(options: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness(options);
  h.sim.world.addClient({ id: 'alice', globalIp: ALICE_IP });
  return h;
}
