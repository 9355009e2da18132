import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Knex } from 'knex';

/** The project's checkout, which holds the tests' own sources. */
const checkout = path.resolve(fileURLToPath(import.meta.url), '../../../..');

/**
 * Where any of the windows (64-byte pieces of an uploaded file) can be found: files under the
 * given folders and the temp folder, and every row of the given tables. The test's own
 * source files (`lectern-fixtures-*`, also those of test processes running beside it), the
 * project's checkout, installed packages and git objects, and the browser's profile, which is
 * the client's side, are left out.
 */
export async function findPlaintext(
  windows: Buffer[],
  options: { folders: string[]; db: Knex; tables: string[]; skip?: string[] },
): Promise<string[]> {
  const found: string[] = [];
  // Installed packages and git objects are never where Lectern writes; other checkouts in
  // the temp folder (a CI clone's node_modules) would make a scan take minutes.
  const skipped = (name: string) =>
    name.startsWith('lectern-fixtures-') ||
    name.startsWith('puppeteer_dev_chrome_profile-') ||
    name === 'node_modules' ||
    name === '.git';

  const scanFile = (file: string) => {
    try {
      if (statSync(file).size > 512 * 1024 ** 2) return;
      const content = readFileSync(file);
      if (windows.some((window) => content.includes(window))) found.push(file);
    } catch {
      // A file of another process came and went while scanning.
    }
  };
  const scanFolder = (folder: string, seen: Set<string>) => {
    if (seen.has(folder)) return;
    seen.add(folder);
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (skipped(entry.name)) continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) scanFolder(full, seen);
      else if (entry.isFile()) scanFile(full);
    }
  };
  // A checkout under the temp folder (a CI clone) holds the tests' own sources: not scanned.
  // `skip`: folders meant to hold what is searched for, such as a backup's ciphertext.
  const seen = new Set<string>([checkout, ...(options.skip ?? [])]);
  for (const folder of [...options.folders, tmpdir()]) scanFolder(folder, seen);

  for (const table of options.tables) {
    const dump = Buffer.from(JSON.stringify(await options.db(table).select()));
    const hit = windows.some(
      (window) => dump.includes(window) || dump.includes(Buffer.from(window.toString('hex'))),
    );
    if (hit) found.push(`table ${table}`);
  }
  return found;
}

/** Every table of the database, for a scan. */
export async function allTables(db: Knex): Promise<string[]> {
  const result = await db.raw(
    "select table_schema || '.' || table_name as name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')",
  );
  return (result.rows as { name: string }[]).map((row) => row.name);
}
