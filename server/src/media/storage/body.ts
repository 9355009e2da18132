import type { ObjectBody } from './object-storage.ts';
import { StorageError } from './storage-error.ts';

/**
 * The body's chunks, checked against the length the caller announced: a body that runs
 * longer fails as soon as it does, one that ends short fails at its end. Either way the
 * driver has not yet made the object visible.
 */
export async function* checkedChunks(
  key: string,
  body: ObjectBody,
  expectedLength: number | undefined,
): AsyncGenerator<Uint8Array> {
  const chunks = body instanceof Uint8Array ? [body] : body;
  let total = 0;

  for await (const chunk of chunks) {
    // A Readable with an encoding set yields strings; those are not the bytes to store.
    if (!(chunk instanceof Uint8Array)) {
      throw new TypeError('An object body must yield bytes (Buffer or Uint8Array chunks).');
    }
    total += chunk.byteLength;
    if (expectedLength !== undefined && total > expectedLength) {
      throw lengthMismatch(key, expectedLength, `more than ${expectedLength}`);
    }
    if (chunk.byteLength > 0) yield chunk;
  }

  if (expectedLength !== undefined && total !== expectedLength) {
    throw lengthMismatch(key, expectedLength, String(total));
  }
}

export function assertValidLength(key: string, length: number | undefined): void {
  if (length !== undefined && (!Number.isSafeInteger(length) || length < 0)) {
    throw new StorageError(
      'storage.length_mismatch',
      `An object's length is a whole number of bytes; got ${length}.`,
      { key },
    );
  }
}

function lengthMismatch(key: string, expected: number, actual: string): StorageError {
  return new StorageError(
    'storage.length_mismatch',
    `The body for "${key}" was announced as ${expected} bytes but held ${actual}.`,
    { key },
  );
}
