/**
 * What a caller of the storage can get wrong, or ask for that is not there. These stay
 * inside the server: a route turns them into its own answer (a missing object into
 * `resource.not_found`, a range past the end into 416). Failures of the disk or of the S3
 * service are passed on as they come.
 */
export type StorageErrorCode =
  | 'storage.invalid_key'
  | 'storage.invalid_range'
  | 'storage.not_found'
  | 'storage.key_conflict'
  | 'storage.length_mismatch';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  /** The key or prefix concerned; keys hold ids, never secrets. */
  readonly key: string;
  /** The object's size, when it is known (for a 416 answer's `Content-Range: bytes *\/size`). */
  readonly size: number | undefined;

  constructor(
    code: StorageErrorCode,
    message: string,
    options: { key: string; size?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.code = code;
    this.key = options.key;
    this.size = options.size;
  }
}

export function isStorageError(value: unknown, code?: StorageErrorCode): value is StorageError {
  return value instanceof StorageError && (code === undefined || value.code === code);
}

export function notFound(key: string, cause?: unknown): StorageError {
  return new StorageError('storage.not_found', `There is no object under "${key}".`, {
    key,
    cause,
  });
}

export function rangeNotSatisfiable(
  key: string,
  range: { start: number; end: number },
  size: number,
  cause?: unknown,
): StorageError {
  return new StorageError(
    'storage.invalid_range',
    `Bytes ${range.start}-${range.end} lie outside "${key}", which holds ${size} bytes.`,
    { key, size, cause },
  );
}
