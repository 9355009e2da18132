import type { Knex } from 'knex';
import type { Db } from 'pg-boss';
import type { DatabaseKind } from '../db/database.ts';

interface QueryResult {
  rows: unknown[];
}

/** The PGlite instance itself is knex-pglite's connection. */
interface PgliteConnection {
  exec(text: string): Promise<QueryResult[]>;
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

/** A `pg` client: a text of several commands answers with one result per command. */
interface PgConnection {
  query(text: string, values?: unknown[]): Promise<QueryResult | QueryResult[]>;
}

/** The part of a knex client, or of a transaction's client, that hands out connections. */
interface ConnectionSource {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

/**
 * Runs pg-boss through knex's pool. On PGlite that pool holds the only connection, so pg-boss
 * waits behind open transactions instead of running inside whichever one holds it.
 */
export function poolExecutor(knex: Knex, kind: DatabaseKind): Db {
  const pool = knex.client as ConnectionSource;

  return {
    async executeSql(text, values) {
      const connection = await pool.acquireConnection();
      try {
        return await run(connection, kind, text, values);
      } catch (error) {
        if (isScript(values)) await abandonTransaction(connection, kind);
        throw error;
      } finally {
        await pool.releaseConnection(connection);
      }
    },
  };
}

/**
 * Runs pg-boss on a transaction's own connection, so that what it writes commits or rolls back
 * with the transaction.
 */
export function transactionExecutor(trx: Knex.Transaction, kind: DatabaseKind): Db {
  const source = trx.client as ConnectionSource;

  return {
    async executeSql(text, values) {
      // After the commit that connection is back in the pool, perhaps in someone else's transaction.
      if (trx.isCompleted()) throw new Error('The transaction is already committed or rolled back');
      const connection = await source.acquireConnection();
      try {
        return await run(connection, kind, text, values);
      } finally {
        await source.releaseConnection(connection);
      }
    },
  };
}

async function run(
  connection: unknown,
  kind: DatabaseKind,
  text: string,
  values: unknown[] | undefined,
): Promise<QueryResult> {
  if (kind === 'pglite') {
    const pglite = connection as PgliteConnection;
    // pg-boss sends its scripts without parameters, and only `exec` runs several commands.
    if (isScript(values)) return merged(await pglite.exec(text));
    return pglite.query(text, values);
  }

  const result = await (connection as PgConnection).query(text, values);
  return Array.isArray(result) ? merged(result) : result;
}

function isScript(values: unknown[] | undefined): boolean {
  return values === undefined || values.length === 0;
}

/** A script's rows, all together: a RETURNING in the middle must survive the closing COMMIT. */
function merged(results: QueryResult[]): QueryResult {
  return { rows: results.flatMap((result) => result.rows) };
}

/**
 * pg-boss wraps scripts in BEGIN … COMMIT and expects some to fail (a second process racing to
 * install the schema). A failed script leaves its transaction open and aborted, which on PGlite
 * would refuse every later statement on the only connection.
 */
async function abandonTransaction(connection: unknown, kind: DatabaseKind): Promise<void> {
  try {
    await run(connection, kind, 'ROLLBACK', undefined);
  } catch {
    // The connection is unusable either way; the original error is the one worth reporting.
  }
}
