import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A port nothing listens on (free a moment ago): for a setting that must name one, or a SORACOM out of reach. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
