import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import type { Db } from 'pg-boss';
import { poolExecutor } from '../../src/jobs/sql-adapter.ts';
import { forEachDatabase } from '../support/databases.ts';

forEachDatabase('pg-boss SQL adapter', (open) => {
  let executor: Db;

  before(async () => {
    const database = await open();
    executor = poolExecutor(database.knex, database.kind);
  });

  it('runs a script of several commands and answers the rows of all of them', async () => {
    const result = await executor.executeSql(
      'BEGIN; SELECT 1 AS first; SELECT 2 AS second; COMMIT',
    );

    assert.deepEqual(result.rows, [{ first: 1 }, { second: 2 }]);
  });

  it('passes parameters to a single statement', async () => {
    const result = await executor.executeSql('SELECT $1::int + 1 AS next', [41]);

    assert.deepEqual(result.rows, [{ next: 42 }]);
  });

  it('leaves no aborted transaction behind when a script fails halfway', async () => {
    await assert.rejects(executor.executeSql('BEGIN; SELECT 1/0; COMMIT'), /division by zero/);

    const result = await executor.executeSql('SELECT $1::text AS state', ['usable']);
    assert.deepEqual(result.rows, [{ state: 'usable' }]);
  });
});
