import { setImmediate } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { DatabaseKind } from '../db/database.ts';

/** What pg-boss needs from a database: its `db` option, global or per call. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** An executor on knex's pool that can wait for pg-boss's stragglers before the pool closes. */
export interface PoolExecutor {
  executeSql(text: string, values?: unknown[]): Promise<QueryResult | undefined>;
  /** Resolves once no call is in flight, including calls that settled calls led to. */
  idle(): Promise<void>;
  /** Answers every later call with `undefined`, as pg-boss's own pool does once closed. */
  close(): void;
}

interface QueryResult {
  rows: unknown[];
}

/** The PGlite instance itself is knex-pglite's connection. */
interface PgliteConnection {
  exec(text: string): Promise<QueryResult[]>;
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

/** A `pg` client: several commands in one text answer with one result each. */
interface PgConnection {
  query(text: string, values?: unknown[]): Promise<QueryResult | QueryResult[]>;
}

/** The part of a knex client (or of a transaction's client) that hands out connections. */
interface ConnectionSource {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<void>;
}

/**
 * Routes pg-boss through knex's pool, so that on PGlite its statements wait behind open
 * transactions instead of running inside whichever one holds the single connection.
 */
export function poolExecutor(knex: Knex, kind: DatabaseKind): PoolExecutor {
  const pool = knex.client as ConnectionSource;
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  async function execute(text: string, values?: unknown[]): Promise<QueryResult> {
    const connection = await pool.acquireConnection();
    try {
      return await run(connection, kind, text, values);
    } catch (error) {
      if (isScript(values)) await abandonTransaction(connection, kind);
      throw error;
    } finally {
      await pool.releaseConnection(connection);
    }
  }

  return {
    executeSql(text, values) {
      // pg-boss does not await its completion calls and reads `undefined` as "nothing done".
      if (closed) return Promise.resolve(undefined);
      const call = execute(text, values);
      inFlight.add(call);
      const forget = () => inFlight.delete(call);
      call.then(forget, forget);
      return call;
    },

    async idle() {
      // A settled call may lead straight to another (a fetch to a completion): let it start.
      await setImmediate();
      while (inFlight.size > 0) {
        await Promise.allSettled(inFlight);
        await setImmediate();
      }
    },

    close() {
      closed = true;
    },
  };
}

/**
 * Runs pg-boss on a transaction's own connection, so that what it writes commits or rolls
 * back with the transaction.
 */
export function transactionExecutor(trx: Knex.Transaction, kind: DatabaseKind): SqlExecutor {
  const source = trx.client as ConnectionSource;

  return {
    async executeSql(text, values) {
      // After commit the connection is back in the pool, perhaps inside someone else's work.
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
    // pg-boss sends its schema scripts without parameters; only `exec` runs several commands.
    if (isScript(values)) return lastOf(await pglite.exec(text));
    return pglite.query(text, values);
  }

  const result = await (connection as PgConnection).query(text, values);
  return Array.isArray(result) ? lastOf(result) : result;
}

function isScript(values: unknown[] | undefined): boolean {
  return values === undefined || values.length === 0;
}

function lastOf(results: QueryResult[]): QueryResult {
  return results.at(-1) ?? { rows: [] };
}

/**
 * pg-boss wraps its scripts in BEGIN … COMMIT and expects some to fail (a second process
 * racing to create the schema). A failed script leaves its transaction open and aborted,
 * which on PGlite would block every later statement on the only connection.
 */
async function abandonTransaction(connection: unknown, kind: DatabaseKind): Promise<void> {
  try {
    await run(connection, kind, 'ROLLBACK', undefined);
  } catch {
    // The connection is unusable either way; the original error is the one worth reporting.
  }
}
