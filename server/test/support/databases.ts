import { randomBytes } from 'node:crypto';
import { after, describe } from 'node:test';
import { migrate, openDatabase } from '../../src/db/database.ts';
import type { Database, DatabaseKind } from '../../src/db/database.ts';

/** Hands out a fresh, migrated database; each one is closed (and dropped) after the block. */
export type OpenDatabase = () => Promise<Database>;

/** The database kinds this run tests: PGlite always, PostgreSQL when a server is given. */
export function databaseKinds(): DatabaseKind[] {
  return serverUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * Registers the same tests once per database kind, as `title [pglite]` and, when
 * LECTERN_TEST_DATABASE_URL names a PostgreSQL server, `title [postgres]`.
 */
export function forEachDatabase(title: string, body: (open: OpenDatabase) => void): void {
  describe(`${title} [pglite]`, () => {
    withCleanup(body, async () => ({
      database: openDatabase({ kind: 'pglite', dataDir: 'memory' }),
      dispose: async () => {},
    }));
  });

  const url = serverUrl();
  if (url) {
    describe(`${title} [postgres]`, () => {
      withCleanup(body, () => createServerDatabase(url));
    });
  }
}

interface Opened {
  database: Database;
  /** Runs after the database is closed. */
  dispose(): Promise<void>;
}

function withCleanup(body: (open: OpenDatabase) => void, create: () => Promise<Opened>): void {
  const opened: Opened[] = [];

  body(async () => {
    const entry = await create();
    opened.push(entry);
    await migrate(entry.database);
    return entry.database;
  });

  // Registered after the body's own hooks, so that those (stopping a job queue) run first.
  after(async () => {
    for (const { database, dispose } of opened.splice(0).reverse()) {
      await database.close();
      await dispose();
    }
  });
}

async function createServerDatabase(url: string): Promise<Opened> {
  const name = `lectern_test_${randomBytes(6).toString('hex')}`;
  await onServer(url, (knex) => knex.raw('CREATE DATABASE ??', [name]));

  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  const database = openDatabase({
    kind: 'postgres',
    url: databaseUrl.toString(),
    ssl: 'disable',
    caFile: undefined,
  });

  return {
    database,
    dispose: () =>
      onServer(url, (knex) => knex.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name])),
  };
}

/** Runs one statement on the server's maintenance database. */
async function onServer(url: string, statement: (knex: Database['knex']) => Promise<unknown>) {
  const server = openDatabase({ kind: 'postgres', url, ssl: 'disable', caFile: undefined });
  try {
    await statement(server.knex);
  } finally {
    await server.close();
  }
}

function serverUrl(): string | undefined {
  return process.env['LECTERN_TEST_DATABASE_URL'] || undefined;
}
