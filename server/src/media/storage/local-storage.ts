import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertValidLength, checkedChunks } from './body.ts';
import { assertValidKey, assertValidPrefix, assertValidRange } from './keys.ts';
import {
  errorCode,
  isMissing,
  removeEmptyFolders,
  sweepStaleFiles,
  syncFolder,
  walkObjects,
  writeDurably,
} from './local-files.ts';
import type { ByteRange, ObjectBody, ObjectStorage, StorageLocation } from './object-storage.ts';
import { notFound, rangeNotSatisfiable, StorageError } from './storage-error.ts';

// Partial writes live here until they are complete; a leading dot keeps them out of every
// key, listing and prefix.
const incomingFolder = '.incoming';
const staleIncomingMs = 24 * 60 * 60 * 1000;

/**
 * Objects as files under one folder, readable by the server's user only (folders 0700,
 * files 0600). Writes go to a temp file on the same file system, are flushed, then renamed
 * into place, so a reader sees the old file or the new one.
 */
export class LocalStorage implements ObjectStorage {
  readonly #root: string;
  readonly #incoming: string;

  constructor(folder: string) {
    this.#root = path.resolve(folder);
    this.#incoming = path.join(this.#root, incomingFolder);
    mkdirSync(this.#incoming, { recursive: true, mode: 0o700 });
    sweepStaleFiles(this.#incoming, staleIncomingMs);
  }

  async put(
    key: string,
    body: ObjectBody,
    options: { length?: number } = {},
  ): Promise<{ size: number }> {
    assertValidKey(key);
    assertValidLength(key, options.length);

    const temp = path.join(this.#incoming, randomBytes(12).toString('hex'));
    try {
      const size = await writeDurably(temp, checkedChunks(key, body, options.length));
      await this.#moveIntoPlace(temp, key);
      return { size };
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertValidKey(key);
    assertValidRange(key, range);

    let handle;
    try {
      handle = await open(this.#pathOf(key), 'r');
    } catch (error) {
      if (isMissing(error)) throw notFound(key, error);
      throw error;
    }

    // The open handle keeps reading this version even if a put replaces the file meanwhile.
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw notFound(key);
      if (range && range.end >= stats.size) throw rangeNotSatisfiable(key, range, stats.size);
      return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async head(key: string): Promise<{ size: number } | undefined> {
    assertValidKey(key);

    try {
      const stats = await stat(this.#pathOf(key));
      return stats.isFile() ? { size: stats.size } : undefined;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);

    try {
      await unlink(this.#pathOf(key));
    } catch (error) {
      // A folder of other keys is no object of this name.
      if (!isMissing(error) && errorCode(error) !== 'EISDIR') throw error;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    assertValidPrefix(prefix);

    const folder = this.#pathOf(prefix);
    let count = 0;
    for await (const { file } of walkObjects(folder, prefix)) {
      try {
        await unlink(file);
        count += 1;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    await removeEmptyFolders(folder);
    return count;
  }

  list(prefix: string): AsyncIterable<{ key: string; size: number }> {
    // Checked now, not when the caller starts to iterate.
    assertValidPrefix(prefix);
    return this.#list(prefix);
  }

  describe(): StorageLocation {
    return { kind: 'local', folder: this.#root };
  }

  async *#list(prefix: string): AsyncGenerator<{ key: string; size: number }> {
    for await (const { key, file } of walkObjects(this.#pathOf(prefix), prefix)) {
      const stats = await stat(file).catch((error: unknown) => {
        if (isMissing(error)) return undefined;
        throw error;
      });
      if (stats?.isFile()) yield { key, size: stats.size };
    }
  }

  /** Valid keys and prefixes cannot climb out of the root: `keys.ts` refuses `..`. */
  #pathOf(keyOrPrefix: string): string {
    return path.join(this.#root, ...keyOrPrefix.split('/').filter(Boolean));
  }

  async #moveIntoPlace(temp: string, key: string): Promise<void> {
    const target = this.#pathOf(key);
    const folder = path.dirname(target);

    for (let attempt = 1; ; attempt += 1) {
      try {
        await mkdir(folder, { recursive: true, mode: 0o700 });
        await rename(temp, target);
        break;
      } catch (error) {
        const code = errorCode(error);
        // A deletePrefix may have removed the new folder before the rename: make it again.
        if (code === 'ENOENT' && attempt < 3) continue;
        if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') {
          throw new StorageError(
            'storage.key_conflict',
            `"${key}" cannot be stored here: a part of it is an object, or it is the folder of ` +
              'other objects.',
            { key, cause: error },
          );
        }
        throw error;
      }
    }

    await syncFolder(folder);
  }
}
