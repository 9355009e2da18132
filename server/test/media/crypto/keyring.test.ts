import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import type { Knex } from 'knex';
import { createTenant } from '../../../src/identity/tenants.ts';
import {
  countTenantKeysByMasterKey,
  createMasterKeyring,
  destroyTenantKey,
  generateMasterKey,
  getTenantKey,
  rewrapAll,
  type MasterKeyring,
} from '../../../src/media/crypto/index.ts';
import { forEachDatabase } from '../../support/databases.ts';
import { failure, open, seal } from './support.ts';

async function newTenant(db: Knex): Promise<string> {
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const { tenant } = await createTenant(db, { slug, name: slug }, 'cli');
  return tenant.id;
}

async function keyRows(db: Knex, tenantId: string) {
  return db('tenant_keys').where({ tenant_id: tenantId }).orderBy('created_at');
}

forEachDatabase('the tenant keyring', (openDatabase) => {
  let db: Knex;
  const master = generateMasterKey();
  const keyring = createMasterKeyring([master]);

  before(async () => {
    db = (await openDatabase()).knex;
  });

  it("a tenant's key is made on first use, and the same key comes back after", async () => {
    const tenantId = await newTenant(db);
    const first = await getTenantKey(db, keyring, tenantId);
    const again = await getTenantKey(db, keyring, tenantId);
    assert.equal(again.id, first.id);
    assert.equal(again.tenantId, tenantId);
    assert.deepEqual(again.key.export(), first.key.export());
  });

  it('callers racing for a new tenant key all receive the one key that was stored', async () => {
    const tenantId = await newTenant(db);
    const keys = await Promise.all(
      Array.from({ length: 12 }, () => getTenantKey(db, keyring, tenantId)),
    );
    assert.equal(new Set(keys.map((key) => key.id)).size, 1);
    assert.equal(new Set(keys.map((key) => key.key.export().toString('hex'))).size, 1);
    assert.equal((await keyRows(db, tenantId)).length, 1);
  });

  it('the row holds the key wrapped (60 bytes, not the key) and names its master key', async () => {
    const tenantId = await newTenant(db);
    const key = await getTenantKey(db, keyring, tenantId);
    const [row] = await keyRows(db, tenantId);
    assert.equal(row.master_key_id, master.id);
    assert.equal(row.wrapped_key.length, 60);
    assert.equal(Buffer.from(row.wrapped_key).indexOf(key.key.export()), -1);
  });

  it("a wrapped tenant key copied into another tenant's row does not unwrap there", async () => {
    const [a, b] = [await newTenant(db), await newTenant(db)];
    await getTenantKey(db, keyring, a);
    await getTenantKey(db, keyring, b);
    const [rowA] = await keyRows(db, a);
    const [rowB] = await keyRows(db, b);
    await db('tenant_keys').where({ tenant_id: b }).update({ wrapped_key: rowA.wrapped_key });
    assert.equal(await failure(getTenantKey(db, keyring, b)), 'KeyringError:unwrap_failed');
    assert.equal((await getTenantKey(db, keyring, a)).tenantId, a);

    // Nor does it stop a rotation: the row is reported and every other key moves on.
    const next = generateMasterKey();
    const { failed } = await rewrapAll(db, createMasterKeyring([next, master]), next);
    assert.deepEqual(failed, [{ tenantKeyId: rowB.id, tenantId: b, reason: 'unwrap_failed' }]);
    assert.equal((await getTenantKey(db, createMasterKeyring([next]), a)).tenantId, a);

    await db('tenant_keys').where({ tenant_id: b }).update({ wrapped_key: rowB.wrapped_key });
    await rewrapAll(db, createMasterKeyring([next, master]), master);
    assert.equal((await getTenantKey(db, keyring, b)).tenantId, b);
  });

  it("an object of tenant A does not open under tenant B's key", async () => {
    const [a, b] = [await newTenant(db), await newTenant(db)];
    const keyA = await getTenantKey(db, keyring, a);
    const keyB = await getTenantKey(db, keyring, b);
    const sealed = await seal(randomBytes(1000), { tenantKey: keyA, objectId: 'o' });
    assert.equal(
      await failure(open(sealed, { tenantKey: keyB, objectId: 'o' })),
      'IntegrityError:wrong_key',
    );
  });

  it('no key is given for a tenant that does not exist', async () => {
    assert.equal(
      await failure(getTenantKey(db, keyring, randomUUID())),
      'KeyringError:tenant_not_found',
    );
    assert.equal(await failure(getTenantKey(db, keyring, 'acme')), 'KeyringError:tenant_not_found');
  });

  it('after destroyTenantKey nothing of the tenant opens, and no new key is made', async () => {
    const tenantId = await newTenant(db);
    const key = await getTenantKey(db, keyring, tenantId);
    const plaintext = randomBytes(5000);
    const sealed = await seal(plaintext, { tenantKey: key, objectId: 'o' });
    assert.deepEqual(await open(sealed, { tenantKey: key, objectId: 'o' }), plaintext);

    assert.deepEqual(await destroyTenantKey(db, tenantId), { tenantKeyIds: [key.id] });
    const [row] = await keyRows(db, tenantId);
    assert.deepEqual(Buffer.from(row.wrapped_key), Buffer.alloc(60));
    assert.equal(row.master_key_id, null);
    assert.ok(row.destroyed_at instanceof Date);
    assert.equal(await failure(getTenantKey(db, keyring, tenantId)), 'KeyringError:destroyed');
    assert.equal((await keyRows(db, tenantId)).length, 1);
  });

  it('a tenant destroyed before it ever had a key never gets one', async () => {
    const tenantId = await newTenant(db);
    assert.deepEqual(await destroyTenantKey(db, tenantId), { tenantKeyIds: [] });
    assert.equal(await failure(getTenantKey(db, keyring, tenantId)), 'KeyringError:destroyed');
  });

  it('a keyring without the master key that wraps a tenant key cannot unwrap it', async () => {
    const tenantId = await newTenant(db);
    await getTenantKey(db, keyring, tenantId);
    const stranger = createMasterKeyring([generateMasterKey()]);
    assert.equal(
      await failure(getTenantKey(db, stranger, tenantId)),
      'KeyringError:master_key_missing',
    );
  });

  it('rotation: after rewrapAll and retiring the old master key, tenant keys still unwrap; the old key and old copies open nothing', async () => {
    const [kept, restored] = [await newTenant(db), await newTenant(db)];
    const keptKey = await getTenantKey(db, keyring, kept);
    await getTenantKey(db, keyring, restored);
    const plaintext = randomBytes(3000);
    const sealed = await seal(plaintext, { tenantKey: keptKey, objectId: 'kept' });
    // What a backup taken before the rotation holds of the keyring.
    const [backupRow] = await keyRows(db, restored);

    const next = generateMasterKey();
    // Every process first takes the new key as current, keeping the old one to unwrap with.
    const during: MasterKeyring = createMasterKeyring([next, master]);
    const { rewrapped, failed } = await rewrapAll(db, during, next);
    assert.ok(rewrapped >= 2);
    assert.deepEqual(failed, []);
    assert.deepEqual([...(await countTenantKeysByMasterKey(db)).keys()], [next.id]);
    assert.deepEqual(await rewrapAll(db, during, next), { rewrapped: 0, failed: [] });

    const retired = createMasterKeyring([next]);
    const after = await getTenantKey(db, retired, kept);
    assert.equal(after.id, keptKey.id);
    assert.deepEqual(await open(sealed, { tenantKey: after, objectId: 'kept' }), plaintext);

    const onlyOld = createMasterKeyring([master]);
    assert.equal(await failure(getTenantKey(db, onlyOld, kept)), 'KeyringError:master_key_missing');

    // A backup's copy of a row, restored into today's database, needs the retired key.
    await db('tenant_keys')
      .where({ id: backupRow.id })
      .update({ wrapped_key: backupRow.wrapped_key, master_key_id: backupRow.master_key_id });
    assert.equal(
      await failure(getTenantKey(db, retired, restored)),
      'KeyringError:master_key_missing',
    );

    // Later tests use the original keyring: move everything back under it.
    await rewrapAll(db, createMasterKeyring([next, master]), master);
  });

  it('deleting a tenant deletes its keys', async () => {
    const tenantId = await newTenant(db);
    await getTenantKey(db, keyring, tenantId);
    await db('tenants').where({ id: tenantId }).delete();
    assert.equal((await keyRows(db, tenantId)).length, 0);
  });
});
