import { Readable } from 'node:stream';

/** The bytes as a stream of chunks of the given size, as a socket would deliver them. */
export function streamOf(bytes: Uint8Array, chunkSize: number): Readable {
  return Readable.from(
    (function* () {
      for (let offset = 0; offset < bytes.byteLength; offset += chunkSize) {
        yield bytes.subarray(offset, offset + chunkSize);
      }
    })(),
    { objectMode: false },
  );
}

/** A stream that delivers the bytes up to `failAt`, then fails as a dropped upload does. */
export function failingStream(bytes: Uint8Array, failAt: number): Readable {
  return Readable.from(
    (async function* () {
      for (let offset = 0; offset < failAt; offset += 65_536) {
        yield bytes.subarray(offset, Math.min(offset + 65_536, failAt));
      }
      throw new Error('the uploader went away');
    })(),
    { objectMode: false },
  );
}

/** A stream that delivers half the bytes, then waits for `release()` to deliver the rest. */
export function gatedStream(bytes: Uint8Array): {
  stream: Readable;
  firstChunkTaken: Promise<void>;
  release: () => void;
} {
  let release = () => {};
  let taken = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const firstChunkTaken = new Promise<void>((resolve) => (taken = resolve));
  const half = Math.floor(bytes.byteLength / 2);

  const stream = Readable.from(
    (async function* () {
      yield bytes.subarray(0, half);
      taken();
      await gate;
      yield bytes.subarray(half);
    })(),
    { objectMode: false },
  );
  return { stream, firstChunkTaken, release };
}
