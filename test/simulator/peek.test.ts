import { ManualClock } from '../../src/common/clock';
import { ASSUMPTIONS, LINKTYPE_RAW, PCAP_MAGIC, startSimulator, type RunningSimulator } from '../../src/simulator';
import { WirePacketCaptureSession } from '../../src/soracom/wire';
import { client, T0 } from './helpers';

const SIM = {
  simId: '8942310099000000001',
  imsi: '440103000000001',
  name: 'gw-tokyo-01',
  ueIpAddress: '10.128.1.2',
  device: { services: [{ port: 22, protocol: 'ssh', state: 'stopped' as const }] },
};

interface Packet {
  readonly atMs: number;
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly flags: number;
  readonly ipChecksumOk: boolean;
  readonly tcpChecksumOk: boolean;
}

function onesComplementSum(bytes: Buffer): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** A minimal reader of what Wireshark would read: the global header, then record headers and raw IPv4. */
function readPcap(bytes: Buffer): { linkType: number; version: string; packets: Packet[] } {
  expect(bytes.readUInt32LE(0)).toBe(PCAP_MAGIC);
  const version = `${bytes.readUInt16LE(4)}.${bytes.readUInt16LE(6)}`;
  const linkType = bytes.readUInt32LE(20);
  const packets: Packet[] = [];
  let offset = 24;
  while (offset < bytes.length) {
    const seconds = bytes.readUInt32LE(offset);
    const micros = bytes.readUInt32LE(offset + 4);
    const included = bytes.readUInt32LE(offset + 8);
    expect(bytes.readUInt32LE(offset + 12)).toBe(included);
    const ip = bytes.subarray(offset + 16, offset + 16 + included);
    expect(ip[0]).toBe(0x45);
    expect(ip.readUInt16BE(2)).toBe(included);
    const payload = ip.subarray(20);
    const pseudo = Buffer.concat([ip.subarray(12, 20), Buffer.from([0, 6, payload.length >> 8, payload.length & 0xff]), payload]);
    packets.push({
      atMs: seconds * 1000 + micros / 1000,
      src: [...ip.subarray(12, 16)].join('.'),
      dst: [...ip.subarray(16, 20)].join('.'),
      protocol: ip[9] ?? 0,
      srcPort: ip[9] === 6 ? payload.readUInt16BE(0) : 0,
      dstPort: ip[9] === 6 ? payload.readUInt16BE(2) : 0,
      flags: ip[9] === 6 ? (payload[13] ?? 0) : 0,
      ipChecksumOk: onesComplementSum(ip.subarray(0, 20)) === 0xffff,
      tcpChecksumOk: ip[9] !== 6 || onesComplementSum(pseudo) === 0xffff,
    });
    offset += 16 + included;
  }
  expect(offset).toBe(bytes.length);
  return { linkType, version, packets };
}

describe('Peek packet capture', () => {
  let sim: RunningSimulator;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock(T0);
    sim = await startSimulator({ clock, world: { sims: [SIM], clients: [{ id: 'alice', globalIp: '203.0.113.10' }] } });
  });
  afterEach(async () => {
    await sim.close();
  });

  const base = `/v1/sims/${SIM.simId}/packet_capture_sessions`;

  it('creates with 200 and REQUESTED; refuses a duration under 60 s or a bad prefix (400), an unknown SIM (404)', async () => {
    const api = await client(sim);
    const created = await api('POST', base, { duration: 60, prefix: 'napter-debug_1' });
    expect(created.status).toBe(200);
    expect(WirePacketCaptureSession.parse(created.body)).toMatchObject({ status: 'REQUESTED', duration: 60, prefix: 'napter-debug_1', createdTime: T0 });
    expect((created.body as { url?: string }).url).toBeUndefined();
    expect((await api('POST', base, { duration: 30 })).status).toBe(400);
    expect((await api('POST', base, { duration: 60, prefix: 'bad prefix!' })).status).toBe(400);
    expect((await api('POST', '/v1/sims/8942310099999999999/packet_capture_sessions', { duration: 60 })).status).toBe(404);
  });

  it('advances REQUESTED → ACCEPTED → CAPTURING → POST_PROCESSING → DONE with the clock; stop only while CAPTURING', async () => {
    const api = await client(sim);
    const { sessionId } = (await api('POST', base, { duration: 60 })).body as { sessionId: string };
    const status = async () => ((await api('GET', `${base}/${sessionId}`)).body as { status: string }).status;
    expect(await status()).toBe('REQUESTED');
    expect((await api('POST', `${base}/${sessionId}/stop`)).status).toBe(400);
    clock.advance(ASSUMPTIONS.peekAcceptAfterMs);
    expect(await status()).toBe('ACCEPTED');
    clock.advance(ASSUMPTIONS.peekCaptureStartsAfterMs - ASSUMPTIONS.peekAcceptAfterMs);
    expect(await status()).toBe('CAPTURING');
    clock.advance(60_000);
    expect(await status()).toBe('POST_PROCESSING');
    clock.advance(ASSUMPTIONS.peekPostProcessingMs);
    const done = (await api('GET', `${base}/${sessionId}`)).body as { status: string; url: string; startedTime: number; endedTime: number };
    expect(done.status).toBe('DONE');
    expect(done.endedTime - done.startedTime).toBe(60_000);
    expect(done.url).toMatch(new RegExp(`^${sim.baseUrl}/_sim/peek/`));
    expect((await api('GET', `${base}/${sessionId}`)).status).toBe(200);
    expect((await api('GET', `${base}/nope`)).status).toBe(404);
  });

  it('stopping a capture ends it early; it is then processed and downloadable', async () => {
    const api = await client(sim);
    const { sessionId } = (await api('POST', base, { duration: 3600 })).body as { sessionId: string };
    clock.advance(ASSUMPTIONS.peekCaptureStartsAfterMs + 10_000);
    const stopped = await api('POST', `${base}/${sessionId}/stop`);
    expect(stopped.status).toBe(200);
    expect((stopped.body as { status: string }).status).toBe('POST_PROCESSING');
    clock.advance(ASSUMPTIONS.peekPostProcessingMs);
    expect(((await api('GET', `${base}/${sessionId}`)).body as { status: string }).status).toBe('DONE');
  });

  it('serves a valid pcap of what happened during the capture: the SYN to the closed port and its RST', async () => {
    const api = await client(sim);
    const mapping = sim.world.createMapping({ target: { imsi: SIM.imsi }, devicePort: 22, sourceIpRanges: ['203.0.113.10/32'] });
    if (!mapping.ok) throw new Error('mapping');
    sim.world.attempt({ client: 'alice', endpoint: `${mapping.value.ipAddress}:${mapping.value.port}` }); // before: not captured
    const { sessionId } = (await api('POST', base, { duration: 60 })).body as { sessionId: string };
    clock.advance(ASSUMPTIONS.peekCaptureStartsAfterMs + 1000);
    sim.world.attempt({ client: 'alice', endpoint: `${mapping.value.ipAddress}:${mapping.value.port}`, sourcePort: 50_123 });
    clock.advance(60_000 + ASSUMPTIONS.peekPostProcessingMs);
    const { url } = (await api('GET', `${base}/${sessionId}`)).body as { url: string };
    const download = await fetch(url);
    expect(download.status).toBe(200);
    const pcap = readPcap(Buffer.from(await download.arrayBuffer()));
    expect(pcap.version).toBe('2.4');
    expect(pcap.linkType).toBe(LINKTYPE_RAW);
    expect(pcap.packets.map((p) => ({ src: p.src, dst: p.dst, srcPort: p.srcPort, dstPort: p.dstPort, flags: p.flags }))).toEqual([
      { src: '203.0.113.10', dst: '10.128.1.2', srcPort: 50_123, dstPort: 22, flags: 0x02 },
      { src: '10.128.1.2', dst: '203.0.113.10', srcPort: 22, dstPort: 50_123, flags: 0x14 },
    ]);
    expect(pcap.packets.every((p) => p.ipChecksumOk && p.tcpChecksumOk && p.protocol === 6)).toBe(true);
  });

  it('the download link is valid five minutes from when it was handed out, and only with its signature', async () => {
    const api = await client(sim);
    const { sessionId } = (await api('POST', base, { duration: 60 })).body as { sessionId: string };
    clock.advance(ASSUMPTIONS.peekCaptureStartsAfterMs + 60_000 + ASSUMPTIONS.peekPostProcessingMs);
    const { url } = (await api('GET', `${base}/${sessionId}`)).body as { url: string };
    expect((await fetch(url.replace(/signature=[^&]+/, 'signature=forged'))).status).toBe(403);
    clock.advance(ASSUMPTIONS.peekUrlValidMs + 1);
    expect((await fetch(url)).status).toBe(403);
    const fresh = ((await api('GET', `${base}/${sessionId}`)).body as { url: string }).url;
    expect((await fetch(fresh)).status).toBe(200);
  });

  it('lists newest first with paging, deletes with 200 and the session, and can speak ISO 8601 times', async () => {
    const api = await client(sim);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(((await api('POST', base, { duration: 60 })).body as { sessionId: string }).sessionId);
      clock.advance(1000);
    }
    const first = await api('GET', `${base}?limit=2`);
    expect((first.body as { sessionId: string }[]).map((s) => s.sessionId)).toEqual([ids[2], ids[1]]);
    const key = first.headers.get('x-soracom-next-key');
    const second = await api('GET', `${base}?limit=2&last_evaluated_key=${key}`);
    expect((second.body as { sessionId: string }[]).map((s) => s.sessionId)).toEqual([ids[0]]);
    const deleted = await api('DELETE', `${base}/${ids[0]}`);
    expect(deleted.status).toBe(200);
    expect((deleted.body as { sessionId: string }).sessionId).toBe(ids[0]);
    expect((await api('GET', `${base}/${ids[0]}`)).status).toBe(404);
    sim.world.setOptions({ peekTimeFormat: 'iso-8601' });
    const iso = (await api('GET', `${base}/${ids[1]}`)).body as { createdTime: string };
    expect(iso.createdTime).toBe(new Date(T0 + 1000).toISOString());
  });
});
