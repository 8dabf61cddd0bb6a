import type { AuditEvent, PortMapping, SimSnapshot } from '../../src/domain/soracom';
import { ManualClock } from '../../src/common/clock';
import { gatherEvidence } from '../../src/use-cases/gather-evidence';
import { FakeNapterApi } from '../fakes/napter-api';
import { attempts, created, HOUR_MS, IMSI, MINUTE_MS, NOW_MS, portMapping, simSnapshot, SIM_ID, USER_IP, OTHER_USER_IP } from '../domain/diagnosis/factories';

/**
 * gatherEvidence against the fake SORACOM (the port, not our client): which reads it makes for a
 * SIM that holds several IMSIs.
 */

const PRIMARY_IMSI = IMSI;
const SECOND_IMSI = '440100000000002';

/** The fake SORACOM with one SIM, mappings made per IMSI (IMSI_PRIORITIZED) and audit events per IMSI. */
function fakeApi(world: {
  sim: SimSnapshot;
  mappingsByImsi: Readonly<Record<string, PortMapping[]>>;
  eventsByImsi: Readonly<Record<string, AuditEvent[]>>;
}): FakeNapterApi {
  const api = new FakeNapterApi(new ManualClock(NOW_MS));
  api.sims.push(world.sim);
  for (const [imsi, mappings] of Object.entries(world.mappingsByImsi)) {
    api.mappings.push(...mappings.map((mapping) => ({ ...mapping, destination: { ...mapping.destination, imsi, simId: undefined } })));
  }
  api.events.push(...Object.values(world.eventsByImsi).flat());
  api.probeAnswer = (_simId, request) => ({ kind: 'answered', port: request.port, method: 'tcp-wait-first', atMs: NOW_MS });
  return api;
}

describe('a SIM with several IMSIs', () => {
  it('reads the audit log of every IMSI of the SIM, not only the one its session uses now', async () => {
    // The mapping was made by the primary IMSI and the denied attempts were logged under it; the SIM has
    // since switched its session to the second subscription.
    const mappingAtMs = NOW_MS - 20 * MINUTE_MS;
    const mapping = portMapping({ createdAtMs: mappingAtMs, ranges: [`${USER_IP}/32`] });
    const denied = attempts(4, { atMs: mappingAtMs + MINUTE_MS, ip: OTHER_USER_IP, outcome: 'denied', imsi: PRIMARY_IMSI });
    const api = fakeApi({
      sim: simSnapshot({ simId: SIM_ID, imsi: SECOND_IMSI, imsis: [PRIMARY_IMSI, SECOND_IMSI] }),
      mappingsByImsi: { [PRIMARY_IMSI]: [mapping] },
      eventsByImsi: { [PRIMARY_IMSI]: [...denied, created(mappingAtMs)] },
    });
    const gathered = await gatherEvidence({ api, clock: new ManualClock(NOW_MS) }, { sim: { kind: 'simId', simId: SIM_ID }, windowSec: (24 * HOUR_MS) / 1000 });
    expect(new Set(api.auditQueries.map((q) => q.imsi))).toEqual(new Set([PRIMARY_IMSI, SECOND_IMSI]));
    expect(gathered.input.events).toHaveLength(denied.length + 1);
    expect(gathered.diagnosis.verdict).toBe('source-ip-mismatch');
  });

  it('asks each IMSI once, in milliseconds, for exactly the window', async () => {
    const api = fakeApi({ sim: simSnapshot({ imsi: PRIMARY_IMSI, imsis: [PRIMARY_IMSI] }), mappingsByImsi: {}, eventsByImsi: {} });
    await gatherEvidence({ api, clock: new ManualClock(NOW_MS) }, { sim: { kind: 'imsi', imsi: PRIMARY_IMSI }, windowSec: 90 });
    expect(api.auditQueries).toEqual([{ imsi: PRIMARY_IMSI, fromMs: NOW_MS - 90_000, toMs: NOW_MS }]);
  });
});
