import type { KeyObject } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sealChunkParts } from './chunk-cipher.ts';
import { openHeader, sealHeader } from './object-header.ts';
import {
  ciphertextLength,
  ciphertextOffsetOfChunk,
  defaultChunkSize,
  headerLength,
  maxChunks,
  type ObjectHeader,
} from './object-layout.ts';
import { ByteReader, readableFrom, type ByteSource } from './streams.ts';
import type { TenantKey } from './tenant-keys.ts';

export interface SealOptions {
  tenantKey: TenantKey;
  /** What the object is (its storage key or row id); opening needs the same id. */
  objectId: string;
  /** Plaintext bytes per chunk; 64 KiB unless given. Recorded in the header. */
  chunkSize?: number;
}

/**
 * Seals one object chunk by chunk, for uploads that arrive in pieces and may resume in another
 * process. Chunk `i` is stored at `ciphertextOffsetOfChunk(i)`; every chunk but the last holds
 * exactly `chunkSize` plaintext bytes, and the last holds 1 to `chunkSize` (0 only when the
 * whole object is empty). Indexes must rise: a sealer never seals one index twice.
 *
 * Sealing an index again with other plaintext under the same header reuses a GCM nonce, which
 * exposes both chunks and the object's tag key. A sealer resumed from a stored header cannot
 * know what an earlier process sealed: an earlier attempt at an index that may have reached
 * storage must be resealed with the same plaintext, or never be readable.
 */
export interface ObjectSealer {
  readonly chunkSize: number;
  readonly headerLength: number;
  /** The lowest index `sealChunk` accepts now. */
  readonly nextChunkIndex: number;
  /** The header: the first `headerLength` bytes of the object. */
  header(): Buffer;
  /** Chunk `index` sealed: its plaintext length plus a 16-byte tag. */
  sealChunk(index: number, plaintext: Uint8Array, options: { last: boolean }): Buffer;
  ciphertextOffsetOfChunk(index: number): number;
  ciphertextLength(plaintextLength: number): number;
}

/** A sealer for a new object, with a fresh data key and nonce prefix. */
export function createObjectSealer(options: SealOptions): ObjectSealer {
  const { header, dataKey } = sealHeader(
    options.tenantKey,
    options.objectId,
    options.chunkSize ?? defaultChunkSize,
  );
  return sealerFor(header, dataKey, 0);
}

/**
 * A sealer that continues an object from its stored header, in this or another process.
 * `nextChunkIndex` is the first chunk not yet committed.
 */
export function resumeObjectSealer(options: {
  tenantKey: TenantKey;
  objectId: string;
  header: Buffer;
  nextChunkIndex: number;
}): ObjectSealer {
  const next = options.nextChunkIndex;
  if (!Number.isInteger(next) || next < 0 || next >= maxChunks) {
    throw new RangeError(`An upload cannot resume at chunk ${next}.`);
  }
  const { header, dataKey } = openHeader(options.tenantKey, options.objectId, options.header);
  return sealerFor(header, dataKey, next);
}

function sealerFor(header: ObjectHeader, dataKey: KeyObject, firstIndex: number): ObjectSealer {
  const { chunkSize } = header;
  let next = firstIndex;

  return {
    chunkSize,
    headerLength,
    get nextChunkIndex() {
      return next;
    },
    header: () => Buffer.from(header.bytes),
    sealChunk(index, plaintext, { last }) {
      checkChunk(index, plaintext.length, last, next, chunkSize);
      // After the last chunk, no index is valid any more.
      next = last ? maxChunks : index + 1;
      return Buffer.concat(sealChunkParts(dataKey, header, index, last, plaintext));
    },
    ciphertextOffsetOfChunk: (index) => ciphertextOffsetOfChunk(index, chunkSize),
    ciphertextLength: (plaintextLength) => ciphertextLength(plaintextLength, chunkSize),
  };
}

function checkChunk(index: number, length: number, last: boolean, next: number, size: number) {
  if (!Number.isInteger(index) || index < next || index >= maxChunks) {
    throw new RangeError(`Chunk ${index} cannot be sealed now; the next chunk is ${next}.`);
  }
  if (!last && length !== size) {
    throw new RangeError(`Chunk ${index} holds ${length} bytes; all but the last hold ${size}.`);
  }
  if (last && (length > size || (length === 0 && index > 0))) {
    throw new RangeError(`The last chunk holds 1 to ${size} bytes (0 only for an empty object).`);
  }
}

/**
 * Seals a whole object from a stream, for objects made in one go (posters, captions). Holds
 * about two chunks in memory whatever the object's size.
 */
export function sealStream(plaintext: ByteSource, options: SealOptions): Readable {
  const { header, dataKey } = sealHeader(
    options.tenantKey,
    options.objectId,
    options.chunkSize ?? defaultChunkSize,
  );
  const reader = new ByteReader(plaintext);

  async function* chunks(): AsyncGenerator<Buffer, void> {
    for (let index = 0; ; index++) {
      const chunk = await reader.read(header.chunkSize);
      // A full chunk is the last when nothing follows; a short one always is.
      const last = chunk.length < header.chunkSize || (await reader.ended());
      if (index >= maxChunks) throw new RangeError('The object is larger than the format allows.');
      yield* sealChunkParts(dataKey, header, index, last, chunk);
      if (last) return;
    }
  }

  return readableFrom(chunks(), () => reader.close(), [Buffer.from(header.bytes)]);
}
