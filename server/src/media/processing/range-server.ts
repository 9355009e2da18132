import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

/** Something that serves plaintext byte ranges of one object. */
export interface RangeSource {
  length: number;
  read(start: number, end: number): Promise<Readable>;
}

export interface ServedObject {
  /** A loopback URL with an unguessable path; nothing else on the server answers. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves one decrypted object to a media tool (ffprobe, ffmpeg) on 127.0.0.1, with ranges,
 * so the tool can seek (an MP4 with its index at the end needs that) while plaintext exists
 * only in memory and in the socket.
 */
export async function serveDecrypted(source: RangeSource): Promise<ServedObject> {
  const secretPath = `/${randomBytes(24).toString('base64url')}`;
  const server = http.createServer((request, response) => {
    if (request.url !== secretPath || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404).end();
      return;
    }
    const range = parseRange(request.headers.range, source.length);
    if (range === 'invalid') {
      response.writeHead(416, { 'Content-Range': `bytes */${source.length}` }).end();
      return;
    }
    const { start, end } = range ?? { start: 0, end: source.length - 1 };
    response.writeHead(range ? 206 : 200, {
      'Accept-Ranges': 'bytes',
      'Content-Length': String(end - start + 1),
      ...(range ? { 'Content-Range': `bytes ${start}-${end}/${source.length}` } : {}),
    });
    if (request.method === 'HEAD' || source.length === 0) {
      response.end();
      return;
    }
    source
      .read(start, end)
      .then((stream) => pipeline(stream, response))
      // The tool closes connections when it seeks; a broken pipe is expected, not an error.
      .catch(() => response.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${secretPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function parseRange(header: string | undefined, length: number) {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header);
  if (!match || (match[1] === '' && match[2] === '')) return 'invalid' as const;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    start = Math.max(0, length - suffix);
    end = length - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? length - 1 : Math.min(Number(match[2]), length - 1);
  }
  if (start > end || start >= length) return 'invalid' as const;
  return { start, end };
}
