import { Readable } from 'node:stream';

/** Bytes as one buffer, a stream, or any (async) iterable of buffers. */
export type ByteSource = Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;

/**
 * Reads exact counts of bytes from a stream, whatever the sizes of the pieces it delivers.
 * Holds at most one request's worth of bytes beyond the piece being cut.
 */
export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array>;
  #pending: Buffer[] = [];
  #pendingLength = 0;
  #done = false;

  constructor(source: ByteSource) {
    // A buffer is iterable too, but byte by byte: take it whole.
    if (source instanceof Uint8Array) this.#iterator = [source][Symbol.iterator]();
    else if (Symbol.asyncIterator in source) this.#iterator = source[Symbol.asyncIterator]();
    else this.#iterator = source[Symbol.iterator]();
  }

  /** Exactly `length` bytes, or fewer when the source ends first. */
  async read(length: number): Promise<Buffer> {
    while (this.#pendingLength < length && (await this.#pull()));
    const [first] = this.#pending;
    if (first && first.length >= length) {
      // The common case when pieces are larger than reads: no copy.
      const piece = first.subarray(0, length);
      this.#consume(piece.length);
      return piece;
    }
    const taken = Math.min(length, this.#pendingLength);
    const joined = Buffer.concat(this.#pending, this.#pendingLength);
    this.#pending = taken < joined.length ? [joined.subarray(taken)] : [];
    this.#pendingLength -= taken;
    return joined.subarray(0, taken);
  }

  /** Whether every byte has been read; waits for the source to say so. */
  async ended(): Promise<boolean> {
    while (this.#pendingLength === 0 && (await this.#pull()));
    return this.#pendingLength === 0;
  }

  /** Stops reading; a stream source is destroyed. */
  async close(): Promise<void> {
    this.#done = true;
    this.#pending = [];
    this.#pendingLength = 0;
    await this.#iterator.return?.();
  }

  #consume(length: number): void {
    const first = this.#pending[0] as Buffer;
    if (length === first.length) this.#pending.shift();
    else this.#pending[0] = first.subarray(length);
    this.#pendingLength -= length;
  }

  async #pull(): Promise<boolean> {
    if (this.#done) return false;
    const next = await this.#iterator.next();
    if (next.done) {
      this.#done = true;
      return false;
    }
    const piece = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    if (!(piece instanceof Uint8Array))
      throw new TypeError('A byte source gave something not bytes.');
    if (piece.length > 0) {
      this.#pending.push(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      this.#pendingLength += piece.length;
    }
    return true;
  }
}

/**
 * A byte stream over a generator, with pieces already produced sent first. However the stream
 * ends (read to the end, failed, or destroyed by its reader, even before the generator started),
 * `close` runs once the stream is done with its source.
 */
export function readableFrom(
  pieces: AsyncGenerator<Buffer, void>,
  close: () => Promise<void>,
  first: Buffer[] = [],
): Readable {
  // An empty push would end this read without asking for another one: skip empty pieces.
  const ready = first.filter((piece) => piece.length > 0);
  const next = async (): Promise<Buffer | null> => {
    for (;;) {
      const result = await pieces.next();
      if (result.done) return null;
      if (result.value.length > 0) return result.value;
    }
  };
  return new Readable({
    read() {
      const piece = ready.shift();
      if (piece) {
        this.push(piece);
        return;
      }
      next().then(
        (value) => this.push(value),
        (error: unknown) => this.destroy(error as Error),
      );
    },
    destroy(error, callback) {
      // Close the source first: a generator waiting on a stalled source ends only then.
      close()
        .then(() => pieces.return())
        .then(
          () => callback(error),
          (closeError: unknown) => callback(error ?? (closeError as Error)),
        );
    },
  });
}
