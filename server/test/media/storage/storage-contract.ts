import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { ObjectStorage } from '../../../src/media/storage/object-storage.ts';
import { isStorageError } from '../../../src/media/storage/storage-error.ts';
import type { StorageErrorCode } from '../../../src/media/storage/storage-error.ts';
import { failingStream, gatedStream, streamOf } from './streams.ts';

export interface StorageUnderTest {
  storage: ObjectStorage;
  /** What a failed put may leave behind: temp files, open multipart uploads. */
  leftovers(): Promise<string[]>;
  /** How many requests reached the backend so far, where that can be counted. */
  requestsServed?(): Promise<number>;
  close(): Promise<void>;
}

const megabyte = 1024 * 1024;
// The S3 driver's part size: a range across it is served from two parts.
const partBoundary = 8 * megabyte;

export const invalidKeys = ['../x', '/x', 'a//b', 'a/../b', 'A', '', 'a'.repeat(600), 'a/'];
export const invalidPrefixes = ['a', '/', '', '../', 'a//', 'A/', '/a/'];

/** The behaviour every driver shares; each driver's test file runs it on its own backend. */
export function describeStorageContract(
  driver: string,
  open: () => Promise<StorageUnderTest>,
): void {
  describe(`${driver} storage keeps the object storage contract`, () => {
    let subject: StorageUnderTest;
    let storage: ObjectStorage;

    before(async () => {
      subject = await open();
      storage = subject.storage;
    });
    after(() => subject.close());

    describe('a 20 MB object written from a stream of unknown length', () => {
      const original = randomBytes(20 * megabyte);
      const key = 'videos/v1/original.enc';

      before(async () => {
        const { size } = await storage.put(key, streamOf(original, 65_537));
        assert.equal(size, original.byteLength);
      });

      it('reads back whole and byte-identical', async () => {
        const read = await readAll(await storage.get(key));
        assert.equal(read.byteLength, original.byteLength);
        assert.equal(sha256(read), sha256(original));
        assert.deepEqual(await storage.head(key), { size: original.byteLength });
      });

      const ranges = {
        'the first byte': [0, 0],
        'the first kilobyte': [0, 1023],
        'a middle stretch': [5 * megabyte + 3, 6 * megabyte + 7],
        'the last byte': [original.byteLength - 1, original.byteLength - 1],
        'a range across a part boundary': [partBoundary - 10, partBoundary + 9],
      } as const;
      for (const [name, [start, end]] of Object.entries(ranges)) {
        it(`reads ${name} (${start}-${end}) exactly`, async () => {
          const read = await readAll(await storage.get(key, { start, end }));
          assert.deepEqual(read, original.subarray(start, end + 1));
        });
      }

      it('refuses a range that runs past the end, and names the size', async () => {
        const size = original.byteLength;
        for (const range of [
          { start: size - 1, end: size },
          { start: size, end: size + 10 },
        ]) {
          const error = await rejection(storage.get(key, range), 'storage.invalid_range');
          assert.equal(error.size, size);
        }
      });
    });

    it('refuses a malformed range before looking for the object', async () => {
      for (const range of [
        { start: 5, end: 4 },
        { start: -1, end: 3 },
        { start: 0.5, end: 3 },
      ]) {
        await rejection(storage.get('missing/object', range), 'storage.invalid_range');
      }
    });

    it('stores bytes given in memory, and an empty object', async () => {
      await storage.put('memory/small', Buffer.from('lectern'), { length: 7 });
      await storage.put('memory/empty', new Uint8Array(0));

      assert.equal((await readAll(await storage.get('memory/small'))).toString(), 'lectern');
      assert.deepEqual(await storage.head('memory/empty'), { size: 0 });
      assert.equal((await readAll(await storage.get('memory/empty'))).byteLength, 0);
      await rejection(storage.get('memory/empty', { start: 0, end: 0 }), 'storage.invalid_range');
    });

    it('shows readers the old object whole while a new one is being written', async () => {
      const key = 'replace/object';
      await storage.put(key, Buffer.from('old version'));
      const next = randomBytes(256 * 1024);
      const { stream, firstChunkTaken, release } = gatedStream(next);

      const writing = storage.put(key, stream);
      await firstChunkTaken;
      assert.equal((await readAll(await storage.get(key))).toString(), 'old version');
      release();
      await writing;

      assert.deepEqual(await readAll(await storage.get(key)), next);
    });

    it('answers a missing object with storage.not_found from get, undefined from head', async () => {
      await rejection(storage.get('missing/object'), 'storage.not_found');
      await rejection(storage.get('missing/object', { start: 0, end: 1 }), 'storage.not_found');
      assert.equal(await storage.head('missing/object'), undefined);
    });

    it('deletes an object, and deleting it again succeeds', async () => {
      await storage.put('doomed/object', Buffer.from('x'));
      await storage.delete('doomed/object');
      await storage.delete('doomed/object');
      await storage.delete('never/existed');

      assert.equal(await storage.head('doomed/object'), undefined);
      await rejection(storage.get('doomed/object'), 'storage.not_found');
    });

    it('deletes exactly the objects under a prefix, not those of a sibling prefix', async () => {
      const keys = ['t/a/b/one', 't/a/b/deep/two', 't/a/bc/three', 't/a/b-side', 't/ab/four'];
      for (const key of keys) await storage.put(key, Buffer.from(key));

      assert.equal(await storage.deletePrefix('t/a/b/'), 2);
      assert.equal(await storage.deletePrefix('t/a/b/'), 0);
      assert.deepEqual(await keysUnder('t/'), ['t/a/b-side', 't/a/bc/three', 't/ab/four']);
    });

    it('lists the objects under a prefix, with their sizes', async () => {
      for (const key of ['l/b/c', 'l/b-c', 'l/a', 'l/b/a/z', 'lx/outside']) {
        await storage.put(key, Buffer.alloc(key.length, 1));
      }
      const listed = [];
      for await (const entry of storage.list('l/')) listed.push(entry);
      listed.sort((a, b) => (a.key < b.key ? -1 : 1));

      assert.deepEqual(listed, [
        { key: 'l/a', size: 3 },
        { key: 'l/b-c', size: 5 },
        { key: 'l/b/a/z', size: 7 },
        { key: 'l/b/c', size: 5 },
      ]);
      assert.deepEqual(await keysUnder('nothing/here/'), []);
    });

    it('refuses keys and prefixes that could escape, before any I/O', async () => {
      const served = await subject.requestsServed?.();
      for (const key of invalidKeys) {
        await rejection(storage.put(key, Buffer.from('x')), 'storage.invalid_key');
        await rejection(storage.get(key), 'storage.invalid_key');
        await rejection(storage.head(key), 'storage.invalid_key');
        await rejection(storage.delete(key), 'storage.invalid_key');
      }
      for (const prefix of invalidPrefixes) {
        await rejection(storage.deletePrefix(prefix), 'storage.invalid_key');
        assert.throws(
          () => storage.list(prefix),
          (error) => isStorageError(error),
        );
      }
      assert.equal(await subject.requestsServed?.(), served);
    });

    for (const [size, failAt] of [
      [20 * megabyte, 10 * megabyte],
      [64 * 1024, 1024],
    ] as const) {
      it(`leaves nothing behind when a ${size}-byte stream fails at byte ${failAt}`, async () => {
        await assert.rejects(
          storage.put(`failed/${size}`, failingStream(randomBytes(size), failAt)),
          /the uploader went away/,
        );
        assert.equal(await storage.head(`failed/${size}`), undefined);
        assert.deepEqual(await subject.leftovers(), []);
      });
    }

    it('keeps the old object when a replacement fails or has the wrong length', async () => {
      await storage.put('kept/object', Buffer.from('first'));

      await assert.rejects(
        storage.put('kept/object', failingStream(randomBytes(4096), 100)),
        /the uploader went away/,
      );
      await rejection(
        storage.put('kept/object', Buffer.from('short'), { length: 6 }),
        'storage.length_mismatch',
      );
      await rejection(
        storage.put('kept/object', streamOf(randomBytes(10 * megabyte), 65_536), { length: 1000 }),
        'storage.length_mismatch',
      );

      assert.equal((await readAll(await storage.get('kept/object'))).toString(), 'first');
      assert.deepEqual(await subject.leftovers(), []);
    });

    async function keysUnder(prefix: string): Promise<string[]> {
      const keys = [];
      for await (const { key } of storage.list(prefix)) keys.push(key);
      return keys.sort();
    }
  });
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Awaits a rejection with a StorageError of the code, and hands it over for more checks. */
export async function rejection(promise: Promise<unknown>, code: StorageErrorCode) {
  const error = await promise.then(
    () => assert.fail(`expected ${code}, but it succeeded`),
    (reason: unknown) => reason,
  );
  assert.ok(isStorageError(error, code), `expected ${code}, got ${String(error)}`);
  return error;
}
