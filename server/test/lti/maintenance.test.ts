import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createLtijsDatabase } from '../../src/lti/ltijs-database.ts';
import { purgeExpiredLtiRecords } from '../../src/lti/maintenance.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import type { TestPlatform } from '../support/lti-platform.ts';
import { registeredPlatform } from './support.ts';

forEachDatabase('LTI housekeeping', (openDatabase) => {
  let lectern: TestLectern;
  let platform: TestPlatform;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    platform = await registeredPlatform(lectern, await lectern.createTenant());
  });
  after(async () => {
    await platform?.close();
    await lectern?.stop();
  });

  it('expired logins and ltijs records are deleted; live ones stay', async () => {
    await platform.prepareLaunch({ user: { id: '41', role: 'student' } });
    await platform.prepareLaunch({ user: { id: '42', role: 'student' } });
    const [old] = await lectern.db('lti_logins').select('state_hash').limit(1);
    await lectern
      .db('lti_logins')
      .where(old)
      .update({ expires_at: new Date(Date.now() - 1000) });
    const store = createLtijsDatabase(lectern.db);
    await store.Insert(false, 'nonce', { nonce: 'spent-long-ago' });
    await lectern
      .db('lti_store')
      .update({ expires_at: new Date(Date.now() - 1000) })
      .where({
        collection: 'nonce',
      });
    const loginsBefore = (await lectern.db('lti_logins').select()).length;

    const purged = await purgeExpiredLtiRecords(lectern.db);

    assert.deepEqual(purged, { logins: 1, records: 1 });
    assert.equal((await lectern.db('lti_logins').select()).length, loginsBefore - 1);
    assert.equal(await lectern.db('lti_logins').where(old).first(), undefined);
    assert.deepEqual(await lectern.db('lti_store').where({ collection: 'nonce' }).select(), []);
  });
});
