import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { LecternError } from '../../http/errors.ts';
import type { ObjectSealer } from '../crypto/object-sealer.ts';
import type { ObjectStorage } from '../storage/object-storage.ts';
import { commitPart, reservePending, type UploadRecord } from './upload-records.ts';

const hashLength = 32;

export interface ChunkWriterOptions {
  db: Knex;
  storage: ObjectStorage;
  upload: UploadRecord;
  sealer: ObjectSealer;
  /** Chunks sealed and stored together as one part object. */
  chunksPerPart: number;
  partKey(firstChunk: number): string;
}

/**
 * Reads a PATCH body and commits it in whole chunks, a part at a time: before a part's
 * ciphertext leaves the process its plaintext hashes are recorded, so that no retry can seal
 * other bytes under the same nonces; after it is stored, the committed offset moves on.
 * Bytes that do not fill a chunk are not kept: the answered offset tells the client where
 * to go on. A body cut off midway still commits every whole part received.
 */
export async function writeChunks(
  options: ChunkWriterOptions,
  body: AsyncIterable<Uint8Array>,
): Promise<number> {
  const { sealer, chunksPerPart } = options;
  let record = options.upload;
  const chunkSize = sealer.chunkSize;
  const totalChunks = Math.ceil(record.length / chunkSize);
  let nextIndex = record.committed / chunkSize;
  let part: Buffer[] = [];
  const received = new ByteQueue();

  const plaintextLengthOf = (index: number) =>
    index === totalChunks - 1 ? record.length - index * chunkSize : chunkSize;

  const flush = async () => {
    if (part.length === 0) return;
    record = await storePart(options, record, part, totalChunks);
    part = [];
  };

  try {
    for await (const data of body) {
      received.push(data);
      while (nextIndex < totalChunks && received.length >= plaintextLengthOf(nextIndex)) {
        const chunk = received.take(plaintextLengthOf(nextIndex));
        checkAgainstReservation(record, nextIndex, chunk);
        part.push(chunk);
        nextIndex += 1;
        if (part.length === chunksPerPart || nextIndex === totalChunks) await flush();
      }
    }
  } catch (error) {
    // The client went away or sent what it may not: keep the whole chunks that came before.
    await flush();
    if (error instanceof LecternError) throw error;
    return record.committed;
  }
  await flush();
  return record.committed;
}

function checkAgainstReservation(record: UploadRecord, index: number, chunk: Uint8Array): void {
  if (record.pendingFrom === null || !record.pendingHashes) return;
  const position = index - record.pendingFrom;
  if (position < 0 || position >= record.pendingHashes.length / hashLength) return;
  const expected = record.pendingHashes.subarray(
    position * hashLength,
    (position + 1) * hashLength,
  );
  if (!sha256(chunk).equals(expected)) throw new LecternError('upload.data_changed');
}

async function storePart(
  options: ChunkWriterOptions,
  seen: UploadRecord,
  chunks: Buffer[],
  totalChunks: number,
): Promise<UploadRecord> {
  const { db, storage, sealer } = options;
  const firstChunk = seen.committed / sealer.chunkSize;
  const hashes = Buffer.concat(chunks.map(sha256));

  // A reservation reaching past this part stays in force for the chunks beyond it.
  const reserved = mergeReservation(seen, firstChunk, hashes);
  if (!(await reservePending(db, seen, firstChunk, reserved))) {
    throw new LecternError('upload.conflict');
  }
  const afterReserve = { ...seen, pendingFrom: firstChunk, pendingHashes: reserved };

  const sealed = chunks.map((chunk, offset) =>
    sealer.sealChunk(firstChunk + offset, chunk, { last: firstChunk + offset === totalChunks - 1 }),
  );
  const size = sealed.reduce((total, piece) => total + piece.length, 0);
  const storageKey = options.partKey(firstChunk);
  // Handed over piece by piece: joining 4 MiB first would only copy it once more.
  await storage.put(storageKey, iterate(sealed), { length: size });

  const committed = Math.min(seen.length, (firstChunk + chunks.length) * sealer.chunkSize);
  const leftover = reserved.length > hashes.length ? reserved.subarray(hashes.length) : null;
  const stored = await commitPart(
    db,
    { id: seen.id, committed: seen.committed, pendingHashes: reserved },
    { firstChunk, chunkCount: chunks.length, storageKey, size, committed },
    leftover,
  );
  if (!stored) throw new LecternError('upload.conflict');
  return {
    ...afterReserve,
    committed,
    pendingFrom: leftover ? firstChunk + chunks.length : null,
    pendingHashes: leftover,
  };
}

function mergeReservation(seen: UploadRecord, firstChunk: number, hashes: Buffer): Buffer {
  if (seen.pendingFrom === null || !seen.pendingHashes) return hashes;
  const earlier = seen.pendingHashes.subarray((firstChunk - seen.pendingFrom) * hashLength);
  return earlier.length > hashes.length
    ? Buffer.concat([hashes, earlier.subarray(hashes.length)])
    : hashes;
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

async function* iterate(pieces: Buffer[]): AsyncGenerator<Buffer> {
  yield* pieces;
}

/**
 * The bytes of a request body not yet cut into chunks. A chunk that lies within one received
 * buffer is a view of it, not a copy; only a chunk that spans buffers is copied together.
 */
class ByteQueue {
  #buffers: Buffer[] = [];
  length = 0;

  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.#buffers.push(Buffer.from(data.buffer, data.byteOffset, data.length));
    this.length += data.length;
  }

  take(size: number): Buffer {
    const first = this.#buffers[0] as Buffer;
    let chunk: Buffer;
    if (first.length >= size) {
      chunk = first.subarray(0, size);
      if (first.length === size) this.#buffers.shift();
      else this.#buffers[0] = first.subarray(size);
    } else {
      chunk = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const next = this.#buffers[0] as Buffer;
        const used = Math.min(next.length, size - filled);
        next.copy(chunk, filled, 0, used);
        filled += used;
        if (used === next.length) this.#buffers.shift();
        else this.#buffers[0] = next.subarray(used);
      }
    }
    this.length -= size;
    return chunk;
  }
}
