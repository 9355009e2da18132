import { readdirSync, rmSync, statSync } from 'node:fs';
import { open, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { isValidKey } from './keys.ts';

/** File-system steps of the local driver, each with the care its step needs. */

export function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/** The path does not exist, or a part of it is a file where a folder should be. */
export function isMissing(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Writes the chunks to a new file readable by the owner only, and flushes it to the disk. */
export async function writeDurably(
  file: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<number> {
  const handle = await open(file, 'wx', 0o600);
  let size = 0;
  try {
    for await (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.byteLength) {
        const { bytesWritten } = await handle.write(chunk, offset);
        offset += bytesWritten;
      }
      size += chunk.byteLength;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  return size;
}

/** Flushes a folder, so that a rename into it survives a power cut. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems cannot sync a folder; the rename itself has happened.
    if (errorCode(error) !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * The files under a folder as keys, in the order S3 lists them: sorting a folder's name
 * with a '/' appended puts `a/b-c` before `a/b/c`, as byte order of the keys does. Names
 * that are not valid keys (such as the hidden `.incoming` folder) are never listed.
 */
export async function* walkObjects(
  folder: string,
  keyPrefix: string,
): AsyncGenerator<{ key: string; file: string }> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }

  const named = entries
    .filter((entry) => entry.isFile() || entry.isDirectory())
    .map((entry) => ({ entry, order: entry.isDirectory() ? `${entry.name}/` : entry.name }))
    .sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));

  for (const { entry } of named) {
    const key = keyPrefix + entry.name;
    if (!isValidKey(key)) continue;
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* walkObjects(file, `${key}/`);
    else yield { key, file };
  }
}

/** Removes the folder and the folders beneath it that are empty; a folder in use stays. */
export async function removeEmptyFolders(folder: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }

  for (const entry of entries) {
    if (entry.isDirectory()) await removeEmptyFolders(path.join(folder, entry.name));
  }
  try {
    await rmdir(folder);
  } catch (error) {
    // A put may have written into it meanwhile.
    if (!isMissing(error) && errorCode(error) !== 'ENOTEMPTY') throw error;
  }
}

/**
 * Removes temp files a process left when it died mid-write. Only old ones: another
 * process on this machine may be writing the young ones right now.
 */
export function sweepStaleFiles(folder: string, olderThanMs: number): void {
  const cutoff = Date.now() - olderThanMs;
  for (const name of readdirSync(folder)) {
    const file = path.join(folder, name);
    try {
      if (statSync(file).mtimeMs < cutoff) rmSync(file, { force: true });
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }
}
