import type { TrafficRecord } from './world-spec';

/**
 * A classic libpcap file (what Peek hands out) built from simulated packets: global header, then per
 * packet a record header and a raw IPv4 datagram (LINKTYPE_RAW) with valid IP and TCP/ICMP checksums,
 * so Wireshark and tcpdump open it as they would a real capture.
 */

export const PCAP_MAGIC = 0xa1b2c3d4;
export const LINKTYPE_RAW = 101;
const SNAPLEN = 65_535;
const TCP_FLAG_BITS: Readonly<Record<string, number>> = { S: 0x02, SA: 0x12, A: 0x10, PA: 0x18, FA: 0x11, R: 0x04, RA: 0x14 };

function ipv4Bytes(text: string): number[] {
  const parts = text.split('.').map(Number);
  return parts.length === 4 && parts.every((part) => Number.isInteger(part) && part >= 0 && part <= 255) ? parts : [0, 0, 0, 0];
}

function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function ipv4Packet(record: TrafficRecord, protocolNumber: number, payload: Uint8Array, id: number): Uint8Array {
  const header = new Uint8Array(20);
  const view = new DataView(header.buffer);
  header[0] = 0x45;
  view.setUint16(2, 20 + payload.length);
  view.setUint16(4, id & 0xffff);
  view.setUint16(6, 0x4000); // don't fragment
  header[8] = 64;
  header[9] = protocolNumber;
  header.set(ipv4Bytes(record.srcIp), 12);
  header.set(ipv4Bytes(record.dstIp), 16);
  view.setUint16(10, checksum(header));
  const packet = new Uint8Array(20 + payload.length);
  packet.set(header, 0);
  packet.set(payload, 20);
  return packet;
}

function tcpSegment(record: TrafficRecord, sequence: number): Uint8Array {
  const payload = record.flags === 'PA' ? new TextEncoder().encode('data') : new Uint8Array(0);
  const segment = new Uint8Array(20 + payload.length);
  const view = new DataView(segment.buffer);
  view.setUint16(0, record.srcPort);
  view.setUint16(2, record.dstPort);
  view.setUint32(4, sequence >>> 0);
  view.setUint32(8, record.flags === 'S' ? 0 : (sequence + 1) >>> 0);
  segment[12] = 5 << 4;
  segment[13] = TCP_FLAG_BITS[record.flags] ?? 0;
  view.setUint16(14, 64_240);
  segment.set(payload, 20);
  const pseudo = new Uint8Array(12 + segment.length);
  pseudo.set(ipv4Bytes(record.srcIp), 0);
  pseudo.set(ipv4Bytes(record.dstIp), 4);
  pseudo[9] = 6;
  new DataView(pseudo.buffer).setUint16(10, segment.length);
  pseudo.set(segment, 12);
  view.setUint16(16, checksum(pseudo));
  return segment;
}

function icmpEcho(record: TrafficRecord, sequence: number): Uint8Array {
  const payload = new TextEncoder().encode('soracom-peek');
  const message = new Uint8Array(8 + payload.length);
  const view = new DataView(message.buffer);
  message[0] = record.flags === 'echo-reply' ? 0 : 8;
  view.setUint16(4, 0x1234);
  view.setUint16(6, sequence & 0xffff);
  message.set(payload, 8);
  view.setUint16(2, checksum(message));
  return message;
}

export function buildPcap(records: readonly TrafficRecord[]): Buffer {
  const chunks: Buffer[] = [];
  const header = Buffer.alloc(24);
  header.writeUInt32LE(PCAP_MAGIC, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeInt32LE(0, 8);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(SNAPLEN, 16);
  header.writeUInt32LE(LINKTYPE_RAW, 20);
  chunks.push(header);
  records.forEach((record, index) => {
    const sequence = 1_000_000 + index * 7919;
    const packet =
      record.protocol === 'tcp'
        ? ipv4Packet(record, 6, tcpSegment(record, sequence), index + 1)
        : ipv4Packet(record, 1, icmpEcho(record, index + 1), index + 1);
    const recordHeader = Buffer.alloc(16);
    recordHeader.writeUInt32LE(Math.floor(record.atMs / 1000), 0);
    recordHeader.writeUInt32LE((record.atMs % 1000) * 1000, 4);
    recordHeader.writeUInt32LE(packet.length, 8);
    recordHeader.writeUInt32LE(packet.length, 12);
    chunks.push(recordHeader, Buffer.from(packet));
  });
  return Buffer.concat(chunks);
}
