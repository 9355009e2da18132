import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import knexFactory from 'knex';
import { migrate, openDatabase } from '../../src/db/database.ts';
import { migrationNames } from '../../src/db/migrations/index.ts';

const serverUrl = process.env.LECTERN_TEST_DATABASE_URL;

it('a second start finds the schema up to date and changes nothing', async () => {
  const database = openDatabase({ kind: 'pglite', dataDir: 'memory' });
  try {
    assert.deepEqual(await migrate(database), migrationNames);
    assert.deepEqual(await migrate(database), []);
  } finally {
    await database.close();
  }
});

it(
  'processes starting together on one fresh PostgreSQL database migrate it once, without errors',
  { skip: serverUrl ? false : 'LECTERN_TEST_DATABASE_URL is not set' },
  async () => {
    const name = `lectern_test_${randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: serverUrl });
    await admin.raw('create database ??', [name]);
    const url = new URL(serverUrl as string);
    url.pathname = `/${name}`;
    const processes = Array.from({ length: 4 }, () =>
      openDatabase({ kind: 'postgres', url: url.toString(), ssl: 'disable', caFile: undefined }),
    );
    try {
      const applied = await Promise.all(processes.map((database) => migrate(database)));
      assert.deepEqual(applied.flat(), migrationNames);
    } finally {
      await Promise.all(processes.map((database) => database.close()));
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    }
  },
);
