import { Readable } from 'node:stream';
import type { ByteRange } from './object-storage.ts';
import { rangeNotSatisfiable } from './storage-error.ts';

/**
 * The body of a ranged GetObject, holding exactly the bytes asked for. S3 answers a range
 * that runs past the end with the bytes that exist; Lectern's contract calls that an error.
 * s3rver 3.7 answers `bytes=0-0` with the whole object; only the asked bytes are passed on.
 */
export function exactRange(
  key: string,
  range: ByteRange,
  answer: { contentRange: string | undefined; contentLength: number | undefined },
  body: Readable,
): Readable {
  const served = servedRange(answer);
  if (!served) {
    body.destroy();
    throw new Error(`S3 answered a ranged read of "${key}" without saying which bytes it sent.`);
  }

  if (range.end >= served.size) {
    body.destroy();
    throw rangeNotSatisfiable(key, range, served.size);
  }
  if (served.start !== range.start || served.end < range.end) {
    body.destroy();
    throw new Error(
      `S3 answered bytes ${served.start}-${served.end} of "${key}" when asked for ` +
        `${range.start}-${range.end}.`,
    );
  }

  if (served.end === range.end) return body;
  return Readable.from(firstBytes(body, range.end - range.start + 1), { objectMode: false });
}

/** From `Content-Range: bytes 0-99/1000`, or the whole object when the server sent it all. */
function servedRange(answer: {
  contentRange: string | undefined;
  contentLength: number | undefined;
}): { start: number; end: number; size: number } | undefined {
  if (answer.contentRange === undefined) {
    const size = answer.contentLength;
    return size === undefined ? undefined : { start: 0, end: size - 1, size };
  }

  const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(answer.contentRange);
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), size: Number(match[3]) };
}

async function* firstBytes(source: Readable, count: number): AsyncGenerator<Buffer> {
  let left = count;
  // Returning early ends the loop, which destroys the source and frees its connection.
  for await (const chunk of source as AsyncIterable<Buffer>) {
    if (chunk.byteLength >= left) {
      yield chunk.subarray(0, left);
      return;
    }
    left -= chunk.byteLength;
    yield chunk;
  }
  throw new Error(`The object ended ${left} bytes before the end of the range.`);
}
