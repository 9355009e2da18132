import assert from 'node:assert/strict';
import { it } from 'node:test';
import { isDatabaseReady, openDatabase } from '../../src/db/database.ts';

const serverUrl = process.env.LECTERN_TEST_DATABASE_URL;

it(
  'DATABASE_SSL=require refuses to talk to PostgreSQL in plaintext',
  { skip: serverUrl ? false : 'LECTERN_TEST_DATABASE_URL is not set' },
  async (t) => {
    const plain = openDatabase({
      kind: 'postgres',
      url: serverUrl as string,
      ssl: 'disable',
      caFile: undefined,
    });
    const serverHasTls = (await plain.knex.raw('show ssl')).rows[0].ssl === 'on';
    await plain.close();
    if (serverHasTls) {
      t.skip('this PostgreSQL offers TLS, so a plaintext refusal cannot be observed');
      return;
    }

    const database = openDatabase({
      kind: 'postgres',
      url: serverUrl as string,
      ssl: 'require',
      caFile: undefined,
    });
    try {
      await assert.rejects(database.knex.raw('select 1'), /does not support SSL/);
      assert.equal(await isDatabaseReady(database), false);
    } finally {
      await database.close();
    }
  },
);
