import type { NapterApi } from '../domain/napter-api';
import { isActive } from '../domain/port-mapping';
import type { PortMapping, SimSnapshot } from '../domain/soracom';

/** Active mappings of the SIM, whether made by SIM ID or by IMSI (SORACOM lists those separately). */
export async function activeMappingsForSim(api: NapterApi, sim: Pick<SimSnapshot, 'simId' | 'imsis'>, nowMs: number): Promise<PortMapping[]> {
  const [bySim, ...byImsi] = await Promise.all([api.listPortMappingsForSim(sim.simId), ...sim.imsis.map((imsi) => api.listPortMappingsForSubscriber(imsi))]);
  const seen = new Set<string>();
  const result: PortMapping[] = [];
  for (const mapping of [...(bySim ?? []), ...byImsi.flat()]) {
    const key = `${mapping.ipAddress}:${mapping.port}`;
    if (seen.has(key) || !isActive(mapping, nowMs)) continue;
    seen.add(key);
    result.push(mapping);
  }
  return result;
}
