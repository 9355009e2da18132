import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KeyServer {
  /** Serves `key` at a new unguessable loopback URL until `close`; answers that URL. */
  add(key: Buffer): string;
  close(): Promise<void>;
}

/**
 * Hands content keys to ffmpeg over 127.0.0.1, so that a key lives in memory and in the
 * socket only and never in a file beside the segments it encrypts.
 */
export async function startKeyServer(): Promise<KeyServer> {
  const keys = new Map<string, Buffer>();
  const server = http.createServer((request, response) => {
    const key = request.method === 'GET' ? keys.get(request.url ?? '') : undefined;
    if (!key) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(key.length),
      'Cache-Control': 'no-store',
    });
    response.end(key);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    add(key) {
      const path = `/${randomBytes(24).toString('base64url')}`;
      keys.set(path, key);
      return `http://127.0.0.1:${port}${path}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        keys.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
