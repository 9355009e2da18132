import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import {
  ciphertextOffsetOfChunk,
  headerLength,
  IntegrityError,
  openRange,
  type TenantKey,
} from '../../../src/media/crypto/index.ts';
import { failure, inPieces, memoryTenantKey, open, seal, storedObject } from './support.ts';

// A small chunk size, so that every byte of a multi-chunk object can be damaged in turn.
const chunkSize = 64;
const tenantKey = memoryTenantKey();
const plaintext = randomBytes(3 * chunkSize + 7);
const objectId = 'videos/1/original';
const sealed = await seal(plaintext, { tenantKey, objectId, chunkSize });
const offset = (index: number) => ciphertextOffsetOfChunk(index, chunkSize);
const sealedChunk = (bytes: Buffer, index: number) =>
  bytes.subarray(offset(index), Math.min(bytes.length, offset(index + 1)));

/** What a reader receives before the stream fails (or all of it), and how it failed. */
async function attempt(opening: Promise<Readable>): Promise<{ output: Buffer; error?: unknown }> {
  const pieces: Buffer[] = [];
  try {
    for await (const piece of await opening) pieces.push(piece);
    return { output: Buffer.concat(pieces) };
  } catch (error) {
    return { output: Buffer.concat(pieces), error };
  }
}

function openWhole(bytes: Buffer, key: TenantKey = tenantKey, id = objectId) {
  return open(inPieces(bytes, 50), { tenantKey: key, objectId: id });
}

function openAsRange(bytes: Buffer, key: TenantKey = tenantKey, id = objectId) {
  return openRange({
    tenantKey: key,
    objectId: id,
    readCiphertext: storedObject(bytes).readCiphertext,
    ciphertextLength: bytes.length,
  });
}

describe('a damaged object does not open', () => {
  it('flipping any single byte of header or body fails, and no byte of the damaged chunk comes out', async () => {
    for (let position = 0; position < sealed.length; position++) {
      const damaged = Buffer.from(sealed);
      damaged[position] = (damaged[position] as number) ^ 0x01;
      const damagedChunk =
        position < headerLength ? 0 : Math.floor((position - headerLength) / (chunkSize + 16));

      const { output, error } = await attempt(openAsRange(damaged));
      assert.ok(error instanceof IntegrityError, `byte ${position} was not detected`);
      // Chunks before the damaged one are authentic and may have been streamed; nothing after.
      assert.ok(output.length <= damagedChunk * chunkSize, `byte ${position}`);
      assert.deepEqual(output, plaintext.subarray(0, output.length));
      await assert.rejects(openWhole(damaged), IntegrityError, `byte ${position} (whole)`);
    }
  });

  it('an object cut at any chunk boundary fails as truncated', async () => {
    for (const chunks of [1, 2, 3]) {
      const cut = sealed.subarray(0, offset(chunks));
      assert.equal(await failure(openWhole(cut)), 'IntegrityError:truncated');
      assert.equal(await failure(openAsRange(cut)), 'IntegrityError:truncated');
    }
    assert.equal(
      await failure(openWhole(sealed.subarray(0, headerLength))),
      'IntegrityError:truncated',
    );
    assert.equal(await failure(openWhole(Buffer.alloc(0))), 'IntegrityError:truncated');
  });

  it('an object shorter than the length the caller expects fails as truncated', async () => {
    const stored = storedObject(sealed.subarray(0, offset(2) + 10));
    const opening = openRange({
      tenantKey,
      objectId,
      readCiphertext: stored.readCiphertext,
      plaintextLength: plaintext.length,
      range: { start: 2 * chunkSize, end: 2 * chunkSize + 20 },
    });
    assert.equal(await failure(opening), 'IntegrityError:truncated');
  });

  it('an object cut inside a chunk fails', async () => {
    for (const length of [offset(1) + 5, offset(2) + 30, sealed.length - 1]) {
      const cut = sealed.subarray(0, length);
      await assert.rejects(openWhole(cut), IntegrityError);
      assert.match(await failure(openAsRange(cut)), /^IntegrityError:(truncated|tampered)$/);
    }
  });

  it('two chunks swapped, or a chunk appended, fail as tampered', async () => {
    const swapped = Buffer.concat([
      sealed.subarray(0, headerLength),
      sealedChunk(sealed, 1),
      sealedChunk(sealed, 0),
      sealed.subarray(offset(2)),
    ]);
    assert.equal(await failure(openWhole(swapped)), 'IntegrityError:tampered');
    const range = openRange({
      tenantKey,
      objectId,
      readCiphertext: storedObject(swapped).readCiphertext,
      plaintextLength: plaintext.length,
      range: { start: chunkSize + 1, end: chunkSize + 2 },
    });
    assert.equal(await failure(range), 'IntegrityError:tampered');

    const appended = Buffer.concat([sealed, sealedChunk(sealed, 1)]);
    assert.equal(await failure(openWhole(appended)), 'IntegrityError:tampered');
  });
});

describe('an object opens only as itself, under its own tenant key', () => {
  it('a header moved onto another object fails, either way round', async () => {
    const other = await seal(randomBytes(plaintext.length), {
      tenantKey,
      objectId: 'videos/2/original',
      chunkSize,
    });
    const moved = Buffer.concat([sealed.subarray(0, headerLength), other.subarray(headerLength)]);
    assert.equal(await failure(openWhole(moved)), 'IntegrityError:tampered');
    assert.equal(
      await failure(openWhole(moved, tenantKey, 'videos/2/original')),
      'IntegrityError:tampered',
    );
  });

  it('a whole object copied to another object id does not open there', async () => {
    assert.equal(
      await failure(openWhole(sealed, tenantKey, 'videos/2/original')),
      'IntegrityError:tampered',
    );
  });

  it("another tenant's key does not open it, even one that claims the same key id", async () => {
    const otherTenant = memoryTenantKey();
    assert.equal(await failure(openWhole(sealed, otherTenant)), 'IntegrityError:wrong_key');
    // A lookup bug that hands out tenant B's key under tenant A's key id still opens nothing.
    const impostor = { ...memoryTenantKey(tenantKey.tenantId), id: tenantKey.id };
    assert.equal(await failure(openWhole(sealed, impostor)), 'IntegrityError:tampered');
    const sameKeyOtherTenant = { ...tenantKey, tenantId: otherTenant.tenantId };
    assert.equal(await failure(openWhole(sealed, sameKeyOtherTenant)), 'IntegrityError:tampered');
  });

  it('a newer format version, or bytes that are no Lectern object, are refused as such', async () => {
    const newer = Buffer.from(sealed);
    newer[7] = 2;
    assert.equal(await failure(openWhole(newer)), 'IntegrityError:unsupported_version');
    const mp4 = Buffer.concat([Buffer.from('\0\0\0\x18ftypmp42'), randomBytes(400)]);
    assert.equal(await failure(openWhole(mp4)), 'IntegrityError:tampered');
  });
});
