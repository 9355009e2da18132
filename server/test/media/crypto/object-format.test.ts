import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  ciphertextLength,
  ciphertextOffsetOfChunk,
  createObjectSealer,
  defaultChunkSize,
  headerLength,
  maxChunks,
  openRange,
  plaintextLengthOf,
  resumeObjectSealer,
  sealStream,
} from '../../../src/media/crypto/index.ts';
import { inPieces, memoryTenantKey, open, readAll, seal, storedObject } from './support.ts';

const chunk = defaultChunkSize;
const tenantKey = memoryTenantKey();

/** Seals through the chunk-by-chunk sealer, the way the uploader commits whole chunks. */
function sealByChunks(plaintext: Buffer, objectId: string): Buffer {
  const sealer = createObjectSealer({ tenantKey, objectId });
  const parts = [sealer.header()];
  const count = Math.max(1, Math.ceil(plaintext.length / chunk));
  for (let index = 0; index < count; index++) {
    const piece = plaintext.subarray(index * chunk, (index + 1) * chunk);
    assert.equal(Buffer.concat(parts).length, sealer.ciphertextOffsetOfChunk(index));
    parts.push(sealer.sealChunk(index, piece, { last: index === count - 1 }));
  }
  return Buffer.concat(parts);
}

describe('an object opens to exactly what was sealed', () => {
  for (const size of [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 7]) {
    it(`${size} bytes, sealed as a stream or chunk by chunk, opened whole or as a range`, async () => {
      const plaintext = randomBytes(size);
      const streamed = await seal(inPieces(plaintext, 1000), { tenantKey, objectId: 'a' });
      const chunked = sealByChunks(plaintext, 'b');

      for (const [objectId, sealed] of [
        ['a', streamed],
        ['b', chunked],
      ] as const) {
        assert.equal(sealed.length, ciphertextLength(size));
        assert.equal(plaintextLengthOf(sealed.length), size);
        assert.deepEqual(await open(inPieces(sealed, 777), { tenantKey, objectId }), plaintext);
        const { readCiphertext } = storedObject(sealed);
        const whole = await openRange({
          tenantKey,
          objectId,
          readCiphertext,
          plaintextLength: size,
        });
        assert.deepEqual(await readAll(whole), plaintext);
      }
    });
  }
});

describe('any byte range decrypts on its own', () => {
  const size = 1024 * 1024 + 3;
  const plaintext = randomBytes(size);
  const objectId = 'range-test';
  let sealed: Buffer;

  async function readRange(start: number, end: number, pieceSize?: number) {
    const stored = storedObject(sealed, pieceSize);
    const stream = await openRange({
      tenantKey,
      objectId,
      readCiphertext: stored.readCiphertext,
      ciphertextLength: sealed.length,
      range: { start, end },
    });
    return { bytes: await readAll(stream), reads: stored.reads, stream };
  }

  it('every one of 300 random ranges of a 1 MB object equals the plaintext slice', async () => {
    sealed = await seal(plaintext, { tenantKey, objectId });
    const edges = [
      [0, 0],
      [0, size - 1],
      [size - 1, size - 1],
      [chunk - 1, chunk],
      [chunk, 2 * chunk - 1],
      [16 * chunk, size - 1],
    ];
    const random = Array.from({ length: 294 }, () => {
      const start = randomInt(size);
      // Half short reads (as a player seeks), half long ones.
      const span = randomInt(2) ? randomInt(1, 2000) : randomInt(1, size - start + 1);
      return [start, Math.min(size - 1, start + span - 1)];
    });
    for (const [index, [start, end]] of [...edges, ...random].entries()) {
      const { bytes } = await readRange(
        start as number,
        end as number,
        index % 2 ? 4096 : undefined,
      );
      assert.ok(bytes.equals(plaintext.subarray(start, (end as number) + 1)), `${start}-${end}`);
    }
  });

  it('a range reads the header and only the chunks that hold it', async () => {
    const { reads, stream } = await readRange(3 * chunk + 10, 4 * chunk + 5);
    assert.deepEqual(reads, [
      [0, headerLength - 1],
      [ciphertextOffsetOfChunk(3), ciphertextOffsetOfChunk(5) - 1],
    ]);
    assert.equal(stream.plaintextLength, size);
    assert.deepEqual(stream.range, { start: 3 * chunk + 10, end: 4 * chunk + 5 });
  });

  it('a reader that stops early releases the stored object it was reading', async () => {
    let source: Readable | undefined;
    const stream = await openRange({
      tenantKey,
      objectId,
      ciphertextLength: sealed.length,
      readCiphertext: async (start, end) => {
        const piece = inPieces(sealed.subarray(start, end + 1), 4096);
        if (start > 0) source = piece;
        return piece;
      },
    });
    for await (const piece of stream) {
      assert.ok(piece.length > 0);
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(source?.destroyed, true);
  });

  it('a range outside the object is a RangeError (for an HTTP 416), and no chunk is read', async () => {
    for (const [start, end] of [
      [size - 1, size],
      [10, 9],
      [-1, 9],
      [0.5, 9],
    ]) {
      const stored = storedObject(sealed);
      const opening = openRange({
        tenantKey,
        objectId,
        readCiphertext: stored.readCiphertext,
        ciphertextLength: sealed.length,
        range: { start: start as number, end: end as number },
      });
      await assert.rejects(opening, RangeError);
      assert.deepEqual(stored.reads, [[0, headerLength - 1]]);
    }
  });
});

describe('the stored size tells the plaintext size', () => {
  it('for every plaintext length across several chunks, with a small chunk size', () => {
    for (let length = 0; length < 5 * 64 + 3; length++) {
      assert.equal(plaintextLengthOf(ciphertextLength(length, 64), 64), length);
    }
  });

  it('a stored size that ends inside a chunk or its tag belongs to no object', () => {
    assert.equal(plaintextLengthOf(headerLength + 15, 64), undefined);
    assert.equal(plaintextLengthOf(headerLength + 80 + 16, 64), undefined);
    assert.equal(plaintextLengthOf(headerLength - 1, 64), undefined);
  });

  it('an empty object is its header and one tag; the 4-byte counter allows 256 TiB at 64 KiB', () => {
    assert.equal(ciphertextLength(0), headerLength + 16);
    assert.equal(maxChunks * chunk, 2 ** 48);
    assert.throws(() => ciphertextLength(maxChunks * chunk + 1), RangeError);
  });
});

describe('the ciphertext hides the plaintext', () => {
  it('contains none of twenty 64-byte windows of the plaintext', async () => {
    const plaintext = Buffer.from('Safety training, module 3: lifting heavy boxes. '.repeat(8000));
    const sealed = await seal(plaintext, { tenantKey, objectId: 'windows' });
    for (let i = 0; i < 20; i++) {
      const at = randomInt(plaintext.length - 64);
      assert.equal(sealed.indexOf(plaintext.subarray(at, at + 64)), -1);
    }
  });

  it('an all-zero plaintext leaves no run of 64 zero bytes', async () => {
    const sealed = await seal(Buffer.alloc(5 * chunk), { tenantKey, objectId: 'zeros' });
    assert.equal(sealed.indexOf(Buffer.alloc(64)), -1);
  });

  it('the same plaintext sealed twice shares no chunk (a fresh data key per object)', async () => {
    const plaintext = Buffer.alloc(chunk);
    const first = await seal(plaintext, { tenantKey, objectId: 'same' });
    const second = await seal(plaintext, { tenantKey, objectId: 'same' });
    const body = (sealed: Buffer) => sealed.subarray(headerLength, headerLength + 64);
    assert.equal(second.indexOf(body(first)), -1);
  });
});

describe('the chunk sealer holds uploads to the format', () => {
  it('refuses a short chunk that is not the last, an empty last chunk, and an index twice', () => {
    const sealer = createObjectSealer({ tenantKey, objectId: 'rules' });
    assert.throws(() => sealer.sealChunk(0, Buffer.alloc(10), { last: false }), RangeError);
    sealer.sealChunk(0, Buffer.alloc(chunk), { last: false });
    assert.throws(() => sealer.sealChunk(0, Buffer.alloc(chunk), { last: false }), RangeError);
    assert.throws(() => sealer.sealChunk(1, Buffer.alloc(0), { last: true }), RangeError);
    sealer.sealChunk(1, Buffer.alloc(1), { last: true });
    assert.throws(() => sealer.sealChunk(2, Buffer.alloc(1), { last: true }), RangeError);
  });

  it('an upload resumed in another process from the stored header opens as one object', async () => {
    const plaintext = randomBytes(2 * chunk + 100);
    const first = createObjectSealer({ tenantKey, objectId: 'resumed' });
    const header = first.header();
    const part0 = first.sealChunk(0, plaintext.subarray(0, chunk), { last: false });

    const resume = (nextChunkIndex: number) =>
      resumeObjectSealer({ tenantKey, objectId: 'resumed', header, nextChunkIndex });
    assert.throws(() => resume(0.5), RangeError);
    const later = resume(1);
    assert.throws(() => later.sealChunk(0, plaintext.subarray(0, chunk), { last: false }));
    const part1 = later.sealChunk(1, plaintext.subarray(chunk, 2 * chunk), { last: false });
    const part2 = later.sealChunk(2, plaintext.subarray(2 * chunk), { last: true });

    const sealed = Buffer.concat([header, part0, part1, part2]);
    assert.deepEqual(await open(sealed, { tenantKey, objectId: 'resumed' }), plaintext);
  });

  it('a chunk size outside 64 B to 16 MiB is refused; another size is recorded and read back', async () => {
    assert.throws(
      () => createObjectSealer({ tenantKey, objectId: 'x', chunkSize: 10 }),
      RangeError,
    );
    const plaintext = randomBytes(1000);
    const sealed = await readAll(
      sealStream([plaintext], { tenantKey, objectId: 'x', chunkSize: 100 }),
    );
    assert.equal(sealed.length, ciphertextLength(1000, 100));
    assert.deepEqual(await open(sealed, { tenantKey, objectId: 'x' }), plaintext);
  });
});
