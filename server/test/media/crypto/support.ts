import { createSecretKey, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  openObject,
  sealStream,
  type ByteSource,
  type SealOptions,
  type TenantKey,
} from '../../../src/media/crypto/index.ts';

/** A tenant key held only in memory, for format tests that need no database. */
export function memoryTenantKey(tenantId: string = randomUUID()): TenantKey {
  return { id: randomUUID(), tenantId, key: createSecretKey(randomBytes(32)) };
}

export async function readAll(source: AsyncIterable<Uint8Array | string>): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of source) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

/** An object sealed whole through the streaming sealer. */
export function seal(plaintext: ByteSource, options: SealOptions): Promise<Buffer> {
  return readAll(sealStream(plaintext, options));
}

/** An object opened whole through the streaming opener. */
export async function open(
  ciphertext: ByteSource,
  options: { tenantKey: TenantKey; objectId: string },
): Promise<Buffer> {
  return readAll(await openObject({ ...options, ciphertext }));
}

/** A stream that delivers a buffer in pieces of the given size, as a network read would. */
export function inPieces(bytes: Uint8Array, size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= bytes.length) {
        this.push(null);
        return;
      }
      this.push(Buffer.from(bytes.subarray(offset, offset + size)));
      offset += size;
    },
  });
}

/** Reads of stored bytes, recorded so that a test can tell what was asked for. */
export function storedObject(ciphertext: Buffer, pieceSize?: number) {
  const reads: [number, number][] = [];
  return {
    reads,
    async readCiphertext(start: number, endInclusive: number): Promise<ByteSource> {
      reads.push([start, endInclusive]);
      const bytes = ciphertext.subarray(start, endInclusive + 1);
      return pieceSize ? inPieces(bytes, pieceSize) : bytes;
    },
  };
}

/**
 * How opening fails, as `Name:reason`, whether the promise rejects or the stream it gives fails
 * later; 'opened' when every byte came out.
 */
export async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    const result = await promise;
    if (result instanceof Readable) await readAll(result);
  } catch (error) {
    const reason = (error as { reason?: string }).reason;
    return `${(error as Error).name}:${reason ?? (error as Error).message}`;
  }
  return 'opened';
}
