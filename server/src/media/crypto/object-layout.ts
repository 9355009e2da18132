import { IntegrityError } from './errors.ts';
import { wrappedKeyLength } from './key-wrap.ts';

// The byte layout of an encrypted object; docs/encryption.md draws it as a table.

const magic = Buffer.from('LECTERN', 'ascii');
export const formatVersion = 1;

const versionOffset = 7;
const chunkSizeOffset = 8;
const tenantKeyIdOffset = 12;
const noncePrefixOffset = 28;
const wrappedDataKeyOffset = 35;

export const noncePrefixLength = 7;
export const headerLength = wrappedDataKeyOffset + wrappedKeyLength;
export const tagLength = 16;

export const defaultChunkSize = 64 * 1024;
export const minChunkSize = 64;
// An upper bound that a reader checks before allocating for a header not yet authenticated.
export const maxChunkSize = 16 * 1024 * 1024;
/** The chunk counter is 4 bytes. */
export const maxChunks = 2 ** 32;

export interface HeaderFields {
  readonly chunkSize: number;
  readonly tenantKeyId: string;
  readonly noncePrefix: Buffer;
}

export interface ObjectHeader extends HeaderFields {
  /** The header's own bytes: every chunk authenticates them as associated data. */
  readonly bytes: Buffer;
  /** The bytes before the wrapped data key; the data key's wrapping authenticates them. */
  readonly fieldBytes: Buffer;
  readonly wrappedDataKey: Buffer;
}

/** The header up to the wrapped data key, which is wrapped with these bytes as associated data. */
export function encodeHeaderFields(fields: HeaderFields): Buffer {
  checkChunkSize(fields.chunkSize);
  const bytes = Buffer.alloc(wrappedDataKeyOffset);
  magic.copy(bytes, 0);
  bytes.writeUInt8(formatVersion, versionOffset);
  bytes.writeUInt32BE(fields.chunkSize, chunkSizeOffset);
  Buffer.from(fields.tenantKeyId.replaceAll('-', ''), 'hex').copy(bytes, tenantKeyIdOffset);
  fields.noncePrefix.copy(bytes, noncePrefixOffset);
  return bytes;
}

export function encodeHeader(fields: HeaderFields, wrappedDataKey: Buffer): ObjectHeader {
  const fieldBytes = encodeHeaderFields(fields);
  const bytes = Buffer.concat([fieldBytes, wrappedDataKey]);
  return { ...fields, bytes, fieldBytes, wrappedDataKey };
}

/** Reads a header's fields; nothing in it is trusted until a chunk authenticates it. */
export function decodeHeader(bytes: Buffer): ObjectHeader {
  if (bytes.length < headerLength) {
    throw new IntegrityError('truncated', 'The object is shorter than its header.');
  }
  if (!bytes.subarray(0, magic.length).equals(magic)) {
    throw new IntegrityError('tampered', 'The object does not start with a Lectern header.');
  }
  const version = bytes.readUInt8(versionOffset);
  if (version !== formatVersion) {
    throw new IntegrityError(
      'unsupported_version',
      `The object has format version ${version}; this server reads version ${formatVersion}.`,
    );
  }
  const chunkSize = bytes.readUInt32BE(chunkSizeOffset);
  if (chunkSize < minChunkSize || chunkSize > maxChunkSize) {
    throw new IntegrityError('tampered', `The header's chunk size ${chunkSize} is out of bounds.`);
  }
  const id = bytes.toString('hex', tenantKeyIdOffset, noncePrefixOffset);
  const header = Buffer.from(bytes.subarray(0, headerLength));
  return {
    bytes: header,
    fieldBytes: header.subarray(0, wrappedDataKeyOffset),
    chunkSize,
    tenantKeyId: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
    noncePrefix: header.subarray(noncePrefixOffset, wrappedDataKeyOffset),
    wrappedDataKey: header.subarray(wrappedDataKeyOffset),
  };
}

export function checkChunkSize(chunkSize: number): void {
  if (!Number.isInteger(chunkSize) || chunkSize < minChunkSize || chunkSize > maxChunkSize) {
    throw new RangeError(
      `The chunk size must be an integer from ${minChunkSize} to ${maxChunkSize}.`,
    );
  }
}

/** The nonce of one chunk: the object's prefix, the chunk's index, and whether it is the last. */
export function chunkNonce(noncePrefix: Buffer, index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  noncePrefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, noncePrefixLength);
  nonce.writeUInt8(last ? 1 : 0, noncePrefixLength + 4);
  return nonce;
}

/** How many chunks hold this many plaintext bytes; an empty object still has one (its tag). */
export function chunkCount(plaintextLength: number, chunkSize = defaultChunkSize): number {
  return Math.max(1, Math.ceil(plaintextLength / chunkSize));
}

/** Where chunk `index` starts in the object. */
export function ciphertextOffsetOfChunk(index: number, chunkSize = defaultChunkSize): number {
  return headerLength + index * (chunkSize + tagLength);
}

/** The stored size of an object of this many plaintext bytes. */
export function ciphertextLength(plaintextLength: number, chunkSize = defaultChunkSize): number {
  if (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0) {
    throw new RangeError('The plaintext length must be a non-negative integer.');
  }
  const chunks = chunkCount(plaintextLength, chunkSize);
  if (chunks > maxChunks) throw new RangeError('The object is larger than the format allows.');
  return headerLength + plaintextLength + chunks * tagLength;
}

/**
 * The plaintext length of an object stored in this many bytes, or undefined when no object has
 * that size (it was cut inside a chunk). Every chunk but the last is full, and the last holds at
 * least one byte unless the object is empty, so the mapping has no ambiguity.
 */
export function plaintextLengthOf(
  ciphertextLength: number,
  chunkSize = defaultChunkSize,
): number | undefined {
  const body = ciphertextLength - headerLength;
  const unit = chunkSize + tagLength;
  if (!Number.isSafeInteger(body) || body < tagLength) return undefined;
  const full = Math.floor(body / unit);
  const rest = body % unit;
  if (rest === 0) return full * chunkSize;
  if (rest === tagLength && full === 0) return 0;
  if (rest <= tagLength) return undefined;
  return full * chunkSize + rest - tagLength;
}
