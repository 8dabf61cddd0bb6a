import type { IncomingMessage } from 'node:http';

/**
 * A request body, read whole up to `maxBytes` (a larger one is drained and reported, never buffered) within
 * `timeoutMs` (a body that trickles forever is an error, not a held socket).
 */
export function readLimitedBody(req: IncomingMessage, limits: { readonly maxBytes: number; readonly timeoutMs: number }): Promise<Buffer | 'too-large'> {
  if (Number(req.headers['content-length'] ?? '0') > limits.maxBytes) {
    req.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      settle();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`Timed out reading a request body after ${limits.timeoutMs} ms`))), limits.timeoutMs);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        finish(() => resolve('too-large'));
        req.resume();
        return;
      }
      if (!settled) chunks.push(chunk);
    });
    req.on('end', () => finish(() => resolve(Buffer.concat(chunks))));
    req.on('error', (error) => finish(() => reject(error)));
  });
}
