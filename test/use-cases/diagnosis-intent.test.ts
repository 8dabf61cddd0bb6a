import { ManualClock } from '../../src/common/clock';
import { parseSimRef } from '../../src/domain/command/parse';
import type { SimRef } from '../../src/domain/command/types';
import { startSimulator } from '../../src/simulator';
import { createSoracomClient } from '../../src/soracom/client';
import { openSqliteStore } from '../../src/storage/sqlite';
import type { Store } from '../../src/use-cases/ports/store';
import { intentFromLedger, mergeIntent } from '../../src/use-cases/diagnosis-intent';
import { gatherEvidence } from '../../src/use-cases/gather-evidence';

/**
 * What the bot's ledger adds to a diagnosis, read after the SIM is resolved: the same for an IMSI, a SIM
 * ID and a name (issue 8: `/napter diagnose <name>` used to ignore the ledger).
 */

const NOW_MS = Date.UTC(2025, 5, 2, 3, 0, 0);
const SIM = { simId: '8942310077000000001', imsi: '295050770000001', name: 'edge-box-01' };
const TEAM = 'T0TEAM';
const ALICE = 'U0ALICE';

async function withLedger(store: Store): Promise<void> {
  // Alice opened the edge box's dashboard (HTTP on 8080) through the bot ten minutes ago.
  await store.ledger.record({
    kind: 'open',
    teamId: TEAM,
    userId: ALICE,
    simId: SIM.simId,
    imsi: SIM.imsi,
    devicePort: 8080,
    sourceCidr: '203.0.113.10/32',
    details: { protocol: 'http', durationSec: 1800 },
  });
  await store.lastIps.set(TEAM, ALICE, '203.0.113.10');
}

function ref(text: string): SimRef {
  const parsed = parseSimRef(text);
  if (!parsed.ok) throw new Error(text);
  return parsed.value;
}

describe('the intent from the ledger', () => {
  test('holds the port and protocol opened through the bot, the user’s action times and confirmed address', async () => {
    const clock = new ManualClock(NOW_MS - 10 * 60_000);
    const store = openSqliteStore({ path: ':memory:', clock });
    await withLedger(store);
    clock.set(NOW_MS);
    const read = await intentFromLedger(
      { store, clock },
      { teamId: TEAM, userId: ALICE, sim: { simId: SIM.simId, imsi: SIM.imsi, imsis: [SIM.imsi] }, windowSec: 86_400 },
    );
    expect(read).toEqual({
      intent: { devicePort: 8080, protocol: 'http', sourceIp: '203.0.113.10', actionTimesMs: [NOW_MS - 10 * 60_000] },
      protocolsByPort: { 8080: 'http' },
    });
    // Another user's diagnosis gets the device's port, not Alice's times or address.
    const bob = await intentFromLedger(
      { store, clock },
      { teamId: TEAM, userId: 'U0BOB', sim: { simId: SIM.simId, imsi: SIM.imsi, imsis: [SIM.imsi] }, windowSec: 86_400 },
    );
    expect(bob.intent).toEqual({ devicePort: 8080, protocol: 'http' });
    await store.close();
  });

  test('the caller’s port wins, and the ledger’s protocol does not carry over to another port', () => {
    expect(mergeIntent({ devicePort: 8080, protocol: 'http', actionTimesMs: [1] }, { devicePort: 22 })).toEqual({ devicePort: 22, actionTimesMs: [1] });
    expect(mergeIntent({ devicePort: 8080, protocol: 'http' }, { devicePort: 8080, sourceIp: '203.0.113.5' })).toEqual({
      devicePort: 8080,
      protocol: 'http',
      sourceIp: '203.0.113.5',
    });
  });

  test.each(['edge-box-01', SIM.imsi, SIM.simId])('reaches the diagnosis when the SIM is named %s', async (typed) => {
    const clock = new ManualClock(NOW_MS - 10 * 60_000);
    const store = openSqliteStore({ path: ':memory:', clock });
    await withLedger(store);
    const simulator = await startSimulator({
      port: 0,
      clock,
      world: {
        sims: [
          {
            ...SIM,
            device: {
              services: [
                { port: 22, protocol: 'ssh' },
                { port: 8080, protocol: 'http' },
              ],
            },
          },
        ],
        clients: [{ id: 'alice', globalIp: '203.0.113.10' }],
      },
    });
    try {
      // Someone else's console mapping points at 22; Alice meant the dashboard on 8080.
      const created = simulator.world.createMapping({ target: { imsi: SIM.imsi }, devicePort: 22, durationSec: 1800, sourceIpRanges: ['203.0.113.10/32'] });
      if (!created.ok) throw new Error(created.error.message);
      clock.advance(60_000);
      simulator.world.attempt({ client: 'alice', endpoint: `${created.value.ipAddress}:${created.value.port}`, protocol: 'http' });
      clock.set(NOW_MS);
      const api = createSoracomClient({ endpoint: simulator.baseUrl, authKeyId: simulator.authKeyId, authKey: simulator.authKey, clock, timeoutMs: 5000 });
      const gathered = await gatherEvidence(
        { api, clock },
        {
          sim: ref(typed),
          windowSec: 86_400,
          probe: { enabled: true, timeoutSec: 2 },
          ledger: (sim) => intentFromLedger({ store, clock }, { teamId: TEAM, userId: ALICE, sim, windowSec: 86_400 }),
        },
      );
      api.close();
      expect(gathered.input.intent).toMatchObject({ devicePort: 8080, protocol: 'http', actionTimesMs: [NOW_MS - 10 * 60_000] });
      expect(gathered.diagnosis.verdict).toBe('device-side-problem');
      expect(gathered.diagnosis.causes[0]).toBe('wrong-device-port');
      expect(gathered.diagnosis.remedies[0]).toEqual({ kind: 'reopen-with-fix', fix: { port: 8080 } });
      // The probe spoke HTTP to the port Alice meant.
      expect(gathered.input.probe).toMatchObject({ kind: 'answered', port: 8080, method: 'http', httpStatus: 200 });
    } finally {
      await simulator.close();
      await store.close();
    }
  });
});
