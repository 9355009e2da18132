import { createCipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, open, unlink } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';

/**
 * The baselines of an upload's ingest, each timed in seconds: copying the file on the same
 * file system, and sealing its bytes with AES-256-GCM. Every copy ends with an fsync, as the
 * local storage driver flushes every object it writes.
 */

/** `fs.copyFile`: the kernel copies (or clones) the bytes; no byte passes through JavaScript. */
export async function kernelCopy(source, target) {
  const started = performance.now();
  await copyFile(source, target);
  await syncFile(target);
  const seconds = (performance.now() - started) / 1000;
  await unlink(target);
  return seconds;
}

/** A read stream piped into a write stream, 64 KiB at a time, as a server streams a body. */
export async function streamedCopy(source, target) {
  const started = performance.now();
  // `flush`: the stream fsyncs the file before it closes it, and the pipeline waits for that.
  await pipeline(
    createReadStream(source, { highWaterMark: 64 * 1024 }),
    createWriteStream(target, { flags: 'wx', mode: 0o600, flush: true }),
  );
  const seconds = (performance.now() - started) / 1000;
  await unlink(target);
  return seconds;
}

/**
 * AES-256-GCM over bytes in memory, in chunks of `chunkSize`, each under its own nonce with
 * a tag, as Lectern's object format seals them (with its 95-byte header as associated data).
 */
export function aesGcm(bytes, chunkSize = 64 * 1024) {
  const key = createSecretKey(randomBytes(32));
  const associatedData = randomBytes(95);
  const nonce = randomBytes(12);
  const started = performance.now();
  for (let index = 0, offset = 0; offset < bytes.length; index += 1, offset += chunkSize) {
    nonce.writeUInt32BE(index, 7);
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: 16 });
    cipher.setAAD(associatedData);
    cipher.update(bytes.subarray(offset, offset + chunkSize));
    cipher.final();
    cipher.getAuthTag();
  }
  return (performance.now() - started) / 1000;
}

async function syncFile(file) {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
