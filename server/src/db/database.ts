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

// An arbitrary constant that names Lectern's migration lock among PostgreSQL advisory locks.
const migrationLockKey = 7_315_224_901;

/**
 * Brings the schema up to date. Several processes may start at once on PostgreSQL: an
 * advisory lock lets one migrate while the others wait (knex's own lock table cannot guard
 * its creation). PGlite has one process by construction.
 */
export async function migrate(database: Database): Promise<string[]> {
  if (database.kind === 'pglite') return latest(database.knex);

  const client = database.knex.client;
  const connection = await client.acquireConnection();
  try {
    await connection.query('select pg_advisory_lock($1)', [migrationLockKey]);
    return await latest(database.knex);
  } finally {
    await connection.query('select pg_advisory_unlock($1)', [migrationLockKey]).catch(() => {});
    await client.releaseConnection(connection);
  }
}

async function latest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest()) as [number, string[]];
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
