import type { Readable } from 'node:stream';

/** An inclusive byte range, as in an HTTP `Range: bytes=start-end` header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** Where a customer's media lives, for their records. Never holds a credential. */
export type StorageLocation =
  | { kind: 'local'; folder: string }
  | { kind: 's3'; endpoint: string; region: string; bucket: string };

/** A body to store: bytes in memory, or a stream of them (a Node Readable is one). */
export type ObjectBody = Uint8Array | AsyncIterable<Uint8Array>;

/**
 * Opaque bytes under keys. Everything stored here is ciphertext already; the drivers
 * neither read nor change it.
 *
 * Keys are lowercase paths such as `tenants/t1/videos/v1/original.enc` (see `keys.ts`).
 * Prefixes name a folder and end with `/`, so that `tenants/1/` never reaches
 * `tenants/10/`. A key must not also be the folder of other keys (`a/b` and `a/b/c`):
 * S3 allows it, the local driver refuses it with `storage.key_conflict`.
 *
 * Every method validates its key, prefix and range before any I/O and rejects with a
 * `StorageError` (`storage-error.ts`) for what a caller can get wrong.
 */
export interface ObjectStorage {
  /**
   * Writes a whole object. A reader sees the old object or the new one, never a part, and
   * a write that fails leaves the old object (or none) in place. With `length`, a body
   * of any other length is refused with `storage.length_mismatch`.
   */
  put(key: string, body: ObjectBody, options?: { length?: number }): Promise<{ size: number }>;

  /**
   * Reads an object, or the inclusive range of it; `storage.not_found` when there is no
   * such object, `storage.invalid_range` unless `start <= end < size`. The caller must
   * read the stream to its end or destroy it: it holds a file or a connection open.
   */
  get(key: string, range?: ByteRange): Promise<Readable>;

  /** The object's size, or undefined when there is no such object. */
  head(key: string): Promise<{ size: number } | undefined>;

  /** Removes an object; removing one that does not exist succeeds. */
  delete(key: string): Promise<void>;

  /** Removes every object under the prefix and answers how many there were. */
  deletePrefix(prefix: string): Promise<number>;

  /**
   * Every object under the prefix. The local driver and AWS list in key order; other S3
   * servers may not (s3rver does not), so a caller that needs an order sorts.
   */
  list(prefix: string): AsyncIterable<{ key: string; size: number }>;

  /** Where the data lives, without secrets. */
  describe(): StorageLocation;
}
