import type { KeyObject } from 'node:crypto';
import type { Readable } from 'node:stream';
import { openChunk } from './chunk-cipher.ts';
import { IntegrityError } from './errors.ts';
import { openHeader } from './object-header.ts';
import {
  chunkCount,
  ciphertextOffsetOfChunk,
  headerLength,
  maxChunks,
  plaintextLengthOf,
  tagLength,
  type ObjectHeader,
} from './object-layout.ts';
import { ByteReader, readableFrom, type ByteSource } from './streams.ts';
import type { TenantKey } from './tenant-keys.ts';

export interface OpenOptions {
  tenantKey: TenantKey;
  /** The id the object was sealed with. */
  objectId: string;
}

/** Plaintext bytes `start` to `end`, both included (as in an HTTP Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface OpenRangeOptions extends OpenOptions {
  /** Reads stored bytes `start` to `endInclusive`; the opener asks only for what it needs. */
  readCiphertext(start: number, endInclusive: number): Promise<ByteSource>;
  /** The object's plaintext length, if known; otherwise give its stored length. */
  plaintextLength?: number;
  /** The object's stored length (for example from object storage). */
  ciphertextLength?: number;
  /** The plaintext bytes wanted; the whole object when absent. */
  range?: ByteRange;
}

export type PlaintextStream = Readable & {
  readonly plaintextLength: number;
  /** The range served, or undefined for an empty object. */
  readonly range: ByteRange | undefined;
};

/**
 * Opens part of an object: reads the header, then only the chunks that hold the range, and
 * streams their plaintext. Resolves once the header and the first chunk have authenticated, so
 * a caller can still choose its answer; a later chunk that fails ends the stream with an
 * IntegrityError. A range outside the object is a RangeError.
 */
export async function openRange(options: OpenRangeOptions): Promise<PlaintextStream> {
  if ((options.plaintextLength === undefined) === (options.ciphertextLength === undefined)) {
    throw new TypeError('Give openRange either plaintextLength or ciphertextLength.');
  }
  const { header, dataKey } = openHeader(
    options.tenantKey,
    options.objectId,
    await readHeader(await options.readCiphertext(0, headerLength - 1)),
  );
  const { chunkSize } = header;

  const plaintextLength =
    options.plaintextLength ?? plaintextLengthOf(options.ciphertextLength ?? 0, chunkSize);
  if (plaintextLength === undefined) {
    throw new IntegrityError('truncated', 'The stored object ends inside a chunk.');
  }
  const range = checkedRange(options.range, plaintextLength, chunkSize);
  const finalIndex = chunkCount(plaintextLength, chunkSize) - 1;
  const sealedLength = (index: number) =>
    (index === finalIndex ? plaintextLength - index * chunkSize : chunkSize) + tagLength;

  // An empty object has no range, but its one chunk is still checked.
  const first = range ? Math.floor(range.start / chunkSize) : 0;
  const last = range ? Math.floor(range.end / chunkSize) : 0;
  const reader = new ByteReader(
    await options.readCiphertext(
      ciphertextOffsetOfChunk(first, chunkSize),
      ciphertextOffsetOfChunk(last, chunkSize) + sealedLength(last) - 1,
    ),
  );

  async function* chunks(): AsyncGenerator<Buffer, void> {
    for (let index = first; index <= last; index++) {
      const sealed = await reader.read(sealedLength(index));
      if (sealed.length < sealedLength(index)) {
        throw new IntegrityError('truncated', `The stored object ends inside chunk ${index}.`);
      }
      const plaintext = openChunkOrFail(dataKey, header, index, index === finalIndex, sealed);
      if (!range) return;
      const from = index === first ? range.start - index * chunkSize : 0;
      const to = index === last ? range.end - index * chunkSize + 1 : plaintext.length;
      yield plaintext.subarray(from, to);
    }
  }

  const stream = await primedStream(chunks(), () => reader.close());
  return Object.assign(stream, { plaintextLength, range });
}

async function readHeader(source: ByteSource): Promise<Buffer> {
  const reader = new ByteReader(source);
  try {
    return await reader.read(headerLength);
  } finally {
    await reader.close();
  }
}

function checkedRange(
  range: ByteRange | undefined,
  plaintextLength: number,
  chunkSize: number,
): ByteRange | undefined {
  if (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0) {
    throw new RangeError('The plaintext length must be a non-negative integer.');
  }
  if (chunkCount(plaintextLength, chunkSize) > maxChunks) {
    throw new RangeError('The plaintext length is larger than the format allows.');
  }
  if (!range) return plaintextLength === 0 ? undefined : { start: 0, end: plaintextLength - 1 };
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end)) {
    throw new RangeError('A range needs integer start and end.');
  }
  if (start < 0 || end < start || end >= plaintextLength) {
    throw new RangeError(`Bytes ${start}-${end} are not inside an object of ${plaintextLength}.`);
  }
  return { start, end };
}

/**
 * Opens a whole object from one stream of its stored bytes. The end of the stream marks the
 * last chunk, which must carry the last-chunk flag: an object cut at a chunk boundary fails.
 * Resolves once the header and the first chunk have authenticated.
 */
export async function openObject(
  options: OpenOptions & { ciphertext: ByteSource },
): Promise<Readable> {
  const reader = new ByteReader(options.ciphertext);
  let opened: ReturnType<typeof openHeader>;
  try {
    opened = openHeader(options.tenantKey, options.objectId, await reader.read(headerLength));
  } catch (error) {
    await reader.close();
    throw error;
  }
  const { header, dataKey } = opened;
  const unit = header.chunkSize + tagLength;

  async function* chunks(): AsyncGenerator<Buffer, void> {
    for (let index = 0; index < maxChunks; index++) {
      const sealed = await reader.read(unit);
      const last = sealed.length < unit || (await reader.ended());
      if (sealed.length < tagLength) {
        throw new IntegrityError('truncated', `The stored object ends inside chunk ${index}.`);
      }
      yield openChunkOrFail(dataKey, header, index, last, sealed);
      if (last) return;
    }
    throw new IntegrityError('tampered', 'The object has more chunks than the format allows.');
  }

  return primedStream(chunks(), () => reader.close());
}

/**
 * A chunk's plaintext once it authenticates. A last chunk that authenticates only as a
 * non-last one means the object went on past it: it was cut at a chunk boundary.
 */
function openChunkOrFail(
  dataKey: KeyObject,
  header: ObjectHeader,
  index: number,
  last: boolean,
  sealed: Buffer,
): Buffer {
  const plaintext = openChunk(dataKey, header, index, last, sealed);
  if (plaintext) return plaintext;
  if (last && openChunk(dataKey, header, index, false, sealed)?.fill(0)) {
    throw new IntegrityError('truncated', `The object continues past chunk ${index}: it was cut.`);
  }
  throw new IntegrityError(
    'tampered',
    `Chunk ${index} does not authenticate: it was changed, moved, or belongs to another object.`,
  );
}

/** Pulls the first piece before handing out the stream, so that early failures reject. */
async function primedStream(
  pieces: AsyncGenerator<Buffer, void>,
  close: () => Promise<void>,
): Promise<Readable> {
  let first: IteratorResult<Buffer, void>;
  try {
    first = await pieces.next();
  } catch (error) {
    await close();
    throw error;
  }
  return readableFrom(pieces, close, first.done ? [] : [first.value]);
}
