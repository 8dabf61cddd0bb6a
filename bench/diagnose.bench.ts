import { diagnose } from '../src/domain/diagnosis/diagnose';
import type { DiagnoseInput } from '../src/domain/diagnosis/types';
import type { AuditEvent, PortMapping, SimSnapshot } from '../src/domain/soracom';
import { formatMiB, formatMs, heapGrowth, measureInterleaved, type BenchEntry } from './bench-kit';

/**
 * Diagnoses 10 000 and 100 000 synthetic, messy audit events (many mappings, interleaved connections,
 * scanners from random addresses, denials after expiry, newest first) and compares: a linear engine
 * takes about ten times as long for ten times the events.
 */

const IMSI = '295050000000001';
const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const DAY_MS = 24 * 60 * 60 * 1000;
const MAPPING_EVERY_MS = 45 * 60 * 1000;
const MAPPING_DURATION_SEC = 30 * 60;
const USER_IPS = ['203.0.113.5', '203.0.113.6', '198.51.100.7'];

/** Deterministic, so every run diagnoses the same log. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function messyInput(targetEvents: number, seed = 1): DiagnoseInput {
  const random = mulberry32(seed);
  const fromMs = NOW_MS - DAY_MS;
  const events: AuditEvent[] = [];
  const mappings: PortMapping[] = [];
  let sequence = 0;
  const event = (type: AuditEvent['type'], atMs: number, connectionId: string, sourceIp: string | undefined, port: number, tls = false): AuditEvent => ({
    connectionId,
    atMs: Math.round(atMs),
    type,
    imsi: IMSI,
    tls,
    sourceIp,
    sourcePort: sourceIp === undefined ? undefined : 40000 + Math.floor(random() * 20000),
    destinationIp: '10.200.1.2',
    destinationPort: port,
  });

  const starts: number[] = [];
  for (let start = fromMs + 10 * 60 * 1000; start < NOW_MS - 5 * 60 * 1000; start += MAPPING_EVERY_MS) starts.push(start);
  starts.forEach((start, i) => {
    const port = i % 5 === 4 ? 80 : 22;
    const expiresAtMs = start + MAPPING_DURATION_SEC * 1000;
    events.push(event('CREATED', start, `mapping-${i}`, undefined, port));
    if (expiresAtMs <= NOW_MS) events.push(event('EXPIRED', expiresAtMs, `mapping-${i}`, undefined, port));
    if (i >= starts.length - 2) {
      mappings.push({
        ipAddress: '192.0.2.100',
        port: 41000 + i,
        endpoint: `192.0.2.100:${41000 + i}`,
        hostname: undefined,
        destination: { imsi: IMSI, simId: undefined, port, strategy: 'IMSI_PRIORITIZED' },
        sourceIpRanges: ['203.0.113.0/29'],
        durationSec: MAPPING_DURATION_SEC,
        tlsRequired: false,
        createdAtMs: start,
        expiresAtMs,
        expired: expiresAtMs <= NOW_MS,
        placement: undefined,
      });
    }
  });

  while (events.length < targetEvents) {
    sequence += 1;
    const id = `conn-${sequence}`;
    const atMs = fromMs + random() * DAY_MS;
    const port = random() < 0.2 ? 80 : 22;
    const roll = random();
    if (roll < 0.55) {
      const ip = USER_IPS[Math.floor(random() * 2)] ?? '203.0.113.5';
      const lasts = random() < 0.3 ? 200 : 60_000 + random() * 600_000;
      events.push(event('ACCESS', atMs, id, ip, port), event('CONNECTED', atMs + 12, id, ip, port), event('CLOSED', atMs + 12 + lasts, id, ip, port));
    } else if (roll < 0.85) {
      const ip = `${1 + Math.floor(random() * 220)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;
      events.push(event('ACCESS', atMs, id, ip, port), event('DENIED', atMs + 3, id, ip, port), event('CLOSED', atMs + 4, id, ip, port));
    } else if (roll < 0.97) {
      const ip = USER_IPS[2] ?? '198.51.100.7';
      events.push(event('ACCESS', atMs, id, ip, port), event('DENIED', atMs + 3, id, ip, port), event('CLOSED', atMs + 4, id, ip, port));
    } else {
      const ip = USER_IPS[0] ?? '203.0.113.5';
      events.push(event('ACCESS', atMs, id, ip, port), event('REFUSED', atMs + 3, id, ip, port));
    }
  }
  events.length = targetEvents;
  events.sort((a, b) => b.atMs - a.atMs);

  const sim: SimSnapshot = {
    simId: '8942310000000000001',
    imsi: IMSI,
    imsis: [IMSI],
    name: 'bench',
    tags: { name: 'bench' },
    status: 'active',
    groupId: undefined,
    online: true,
    ueIpAddress: '10.200.1.2',
    sessionUpdatedAtMs: fromMs,
    previousSessionEndedAtMs: undefined,
    lastPortMappingCreatedAtMs: undefined,
  };
  return {
    sim,
    mappings,
    events,
    intent: { devicePort: 22, actionTimesMs: starts },
    probe: { kind: 'answered', port: 22, method: 'tcp-wait-first', atMs: NOW_MS },
    window: { fromMs, toMs: NOW_MS },
    nowMs: NOW_MS,
  };
}

export const diagnoseBench: BenchEntry = {
  name: 'analysis',
  description: 'diagnosis engine throughput and heap on 10k, 100k and 1M messy audit events (linear: 10× the events, 10× the time)',
  run(report, { quick, figure }) {
    const sizes = quick ? ([10_000, 100_000] as const) : ([10_000, 100_000, 1_000_000] as const);
    const largest = sizes[sizes.length - 1] ?? 1;
    const inputs = sizes.map((size) => messyInput(size));
    const timings = measureInterleaved(
      inputs.map((input, index) => ({ work: () => diagnose(input), batch: Math.max(1, Math.round(largest / 10 / (sizes[index] ?? 1))) })),
      { warmups: 1, runs: quick ? 3 : 7 },
    );
    sizes.forEach((size, index) => {
      const input = inputs[index];
      const timing = timings[index];
      if (!input || !timing) return;
      const memory = heapGrowth(() => diagnose(input));
      const perSecond = (size / timing.medianMs) * 1000;
      report(
        `${String(size).padStart(8)} events: median ${formatMs(timing.medianMs)} (fastest ${formatMs(timing.minMs)}, ${timing.runs} samples), ` +
          `heap +${formatMiB(memory.bytes)}${memory.exact ? '' : ' (approximate: no gc available)'}, verdict ${memory.result.verdict}`,
      );
      figure({ name: `${size} events`, value: perSecond, unit: 'events/s', target: '≥ 500k events/s', met: perSecond >= 500_000 });
    });
    for (let index = 1; index < sizes.length; index += 1) {
      const small = timings[index - 1];
      const large = timings[index];
      if (!small || !large) continue;
      const ratio = large.medianMs / small.medianMs;
      const factor = (sizes[index] ?? 0) / (sizes[index - 1] ?? 1);
      figure({
        name: `time ${sizes[index]} ÷ ${sizes[index - 1]}`,
        value: ratio,
        unit: '×',
        target: `≈ ${factor}× (linear; < ${factor * 1.5}×)`,
        met: ratio < factor * 1.5,
      });
    }
    report(`rss ${formatMiB(process.memoryUsage().rss)}`);
  },
};
