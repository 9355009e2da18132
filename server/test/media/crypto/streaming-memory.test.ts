import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  ciphertextLength,
  openObject,
  openRange,
  sealStream,
} from '../../../src/media/crypto/index.ts';
import { memoryTenantKey } from './support.ts';

const size = 50 * 1024 * 1024;
const tenantKey = memoryTenantKey();
const folder = mkdtempSync(path.join(tmpdir(), 'lectern-stream-'));
const stored = path.join(folder, 'object.enc');
after(() => rmSync(folder, { recursive: true, force: true }));

/** 50 MB of plaintext made as it is read, in pieces of an odd size, never held whole. */
function plaintext(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const piece = Buffer.alloc(Math.min(48_000, size - sent), sent % 251);
      sent += piece.length;
      this.push(piece);
    },
  });
}

// Collect garbage before each sample, and free buffers on this thread, so that a sample counts
// the buffers still held. Without both, buffers already let go reached 30 MB in trials.
setFlagsFromString('--expose-gc');
setFlagsFromString('--no-concurrent-array-buffer-sweeping');
const collectGarbage = runInNewContext('gc') as () => void;

/** The highest rise of Buffer memory still held while `work` runs. */
async function peakBufferGrowth(work: () => Promise<void>): Promise<number> {
  collectGarbage();
  const baseline = process.memoryUsage().arrayBuffers;
  let peak = baseline;
  const sampler = setInterval(() => {
    collectGarbage();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 25);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return peak - baseline;
}

async function sha256(source: AsyncIterable<Buffer>): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of source) hash.update(piece);
  return hash.digest('hex');
}

// About 0.6 MB was seen for sealing and 0.3 MB for a range; holding the object would take 50.
const bound = 4 * 1024 * 1024;

it('50 MB stream through sealing to a file and back with memory bounded by a few chunks', async () => {
  const expected = await sha256(plaintext());

  const sealing = await peakBufferGrowth(() =>
    pipeline(sealStream(plaintext(), { tenantKey, objectId: 'big' }), createWriteStream(stored)),
  );
  assert.equal(statSync(stored).size, ciphertextLength(size));

  let actual = '';
  const opening = await peakBufferGrowth(async () => {
    const stream = await openObject({
      tenantKey,
      objectId: 'big',
      ciphertext: createReadStream(stored),
    });
    actual = await sha256(stream);
  });
  assert.equal(actual, expected);
  assert.ok(sealing < bound, `sealing grew buffers by ${sealing} bytes`);
  assert.ok(opening < bound, `opening grew buffers by ${opening} bytes`);
});

it('a 40 MB range of the stored object streams with memory bounded the same way', async () => {
  const start = 5 * 1024 * 1024 + 17;
  const end = 45 * 1024 * 1024;
  const hash = createHash('sha256');
  const source = plaintext();
  let offset = 0;
  for await (const piece of source as AsyncIterable<Buffer>) {
    const from = Math.max(start - offset, 0);
    const to = Math.min(end + 1 - offset, piece.length);
    if (from < to) hash.update(piece.subarray(from, to));
    offset += piece.length;
  }

  let actual = '';
  const growth = await peakBufferGrowth(async () => {
    const stream = await openRange({
      tenantKey,
      objectId: 'big',
      plaintextLength: size,
      range: { start, end },
      readCiphertext: async (from, to) => createReadStream(stored, { start: from, end: to }),
    });
    actual = await sha256(stream);
  });
  assert.equal(actual, hash.digest('hex'));
  assert.ok(growth < bound, `grew buffers by ${growth} bytes`);
});
