import { mkdirSync, readFileSync } from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import type { Config } from '../config/config.ts';
import { lockDataFolder } from './folder-lock.ts';
import { migrationSource } from './migrations/index.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  knex: Knex;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseOptions =
  { kind: 'pglite'; dataDir: string } | Extract<Config['database'], { kind: 'postgres' }>;

/**
 * Opens PostgreSQL when a URL is configured, otherwise PGlite on a folder (or in memory
 * when the folder is 'memory').
 */
export function openDatabase(options: DatabaseOptions): Database {
  if (options.kind === 'postgres') {
    const knex = openPostgres(options);
    return { knex, kind: 'postgres', close: () => knex.destroy() };
  }

  if (options.dataDir !== 'memory') mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const unlock = options.dataDir === 'memory' ? () => {} : lockDataFolder(options.dataDir);
  try {
    const knex = openPglite(options.dataDir);
    return {
      knex,
      kind: 'pglite',
      close: async () => {
        await knex.destroy();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

function openPglite(dataDir: string): Knex {
  return knexFactory({
    client: ClientPgLite,
    dialect: 'postgres',
    connection: dataDir === 'memory' ? {} : { filename: dataDir },
    migrations: { migrationSource },
  });
}

function openPostgres(options: Extract<DatabaseOptions, { kind: 'postgres' }>): Knex {
  const ssl =
    options.ssl === 'disable'
      ? false
      : {
          rejectUnauthorized: options.ssl === 'verify-full',
          ...(options.caFile ? { ca: readFileSync(options.caFile, 'utf8') } : {}),
        };
  return knexFactory({
    client: 'pg',
    connection: { connectionString: options.url, ssl },
    pool: { min: 0, max: 10 },
    migrations: { migrationSource },
  });
}

/** Brings the schema up to date; safe to run from several processes at once. */
export async function migrate(database: Database): Promise<string[]> {
  const [, applied] = (await database.knex.migrate.latest()) as [number, string[]];
  return applied;
}

/** Answers whether the database takes queries; used by /readyz. */
export async function isDatabaseReady(database: Database): Promise<boolean> {
  try {
    await database.knex.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
