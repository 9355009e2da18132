import type { ByteRange } from './object-storage.ts';
import { StorageError } from './storage-error.ts';

/** Longer keys are refused; S3 allows 1,024 bytes, so every valid key fits any driver. */
export const maxKeyLength = 500;

// Each segment starts with a letter or digit: no empty segment (`a//b`, `/a`, `a/`), no
// `.` or `..`, no hidden file that could meet the local driver's temp files. 255 is the
// longest file name most file systems take.
const segmentPattern = /^[a-z0-9][a-z0-9_.-]{0,254}$/;

/**
 * Refuses a key that could leave its folder or its prefix, or mean different objects on
 * different drivers. Keys are lowercase paths: `tenants/t1/videos/v1/original.enc`.
 */
export function assertValidKey(key: unknown): asserts key is string {
  if (!isValidKey(key)) {
    throw new StorageError(
      'storage.invalid_key',
      `Object keys are lowercase paths of letters, digits, '_', '.' and '-' between single ` +
        `slashes, at most ${maxKeyLength} characters, without '..'; got ${describeValue(key)}.`,
      { key: typeof key === 'string' ? key.slice(0, maxKeyLength) : String(key) },
    );
  }
}

/** Refuses a prefix that is not a valid key followed by `/`: prefixes name folders. */
export function assertValidPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || !prefix.endsWith('/') || !isValidKey(prefix.slice(0, -1))) {
    throw new StorageError(
      'storage.invalid_key',
      `A prefix is a valid object key followed by '/' (such as 'tenants/t1/'); got ` +
        `${describeValue(prefix)}.`,
      { key: typeof prefix === 'string' ? prefix.slice(0, maxKeyLength) : String(prefix) },
    );
  }
}

/** Refuses a range that no object can satisfy; whether it fits the object is checked later. */
export function assertValidRange(key: string, range: ByteRange | undefined): void {
  if (range === undefined) return;

  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new StorageError(
      'storage.invalid_range',
      `A byte range needs whole numbers with 0 <= start <= end; got ${start}-${end}.`,
      { key },
    );
  }
}

export function isValidKey(key: unknown): key is string {
  return (
    typeof key === 'string' &&
    key.length <= maxKeyLength &&
    !key.includes('..') &&
    key.split('/').every((segment) => segmentPattern.test(segment))
  );
}

function describeValue(value: unknown): string {
  if (typeof value !== 'string') return `a ${typeof value}`;
  if (value.length > 60) return `${value.length} characters starting '${value.slice(0, 40)}'`;
  return `'${value}'`;
}
