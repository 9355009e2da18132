import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partsOf } from '../../../src/media/storage/s3-upload.ts';

async function sizesOf(chunkSizes: number[], partSize: number) {
  const parts = [];
  async function* chunks() {
    for (const size of chunkSizes) yield new Uint8Array(size);
  }
  for await (const { bytes, last } of partsOf(chunks(), partSize)) {
    parts.push(`${bytes.byteLength}${last ? ' last' : ''}`);
  }
  return parts;
}

describe('cutting a body into multipart parts', () => {
  it('makes parts of exactly the part size and a shorter last one', async () => {
    assert.deepEqual(await sizesOf([3, 3, 3, 3], 5), ['5', '5', '2 last']);
  });

  it('hands out a body of exactly one part as its last, without an empty part after it', async () => {
    assert.deepEqual(await sizesOf([5], 5), ['5 last']);
    assert.deepEqual(await sizesOf([4, 6], 5), ['5', '5 last']);
  });

  it('cuts a chunk larger than several parts into as many parts', async () => {
    assert.deepEqual(await sizesOf([23], 5), ['5', '5', '5', '5', '3 last']);
  });

  it('makes one empty last part of an empty body, for a single PutObject', async () => {
    assert.deepEqual(await sizesOf([], 5), ['0 last']);
  });
});
