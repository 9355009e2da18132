import { randomBytes, randomUUID, createSecretKey, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { KeyringError, type KeyringReason } from './errors.ts';
import { associatedData, keyLength, unwrapKey, wrapKey, wrappedKeyLength } from './key-wrap.ts';
import { findMasterKey, type MasterKey, type MasterKeyring } from './master-keyring.ts';

/**
 * A tenant's key, unwrapped. It wraps the data key of every object the tenant owns.
 *
 * Unwrapped keys are not cached: a lookup is one indexed select and one AES-GCM operation, and
 * a cache would let other processes keep decrypting after `destroyTenantKey` until it expired.
 * A caller that opens one object many times (the ffmpeg range reader) fetches the key once.
 */
export interface TenantKey {
  readonly id: string;
  readonly tenantId: string;
  readonly key: KeyObject;
}

interface TenantKeyRow {
  id: string;
  tenant_id: string;
  wrapped_key: Uint8Array;
  master_key_id: string | null;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Binds a wrapped tenant key to its tenant, its own id and the master key that wraps it. */
function tenantKeyData(tenantId: string, keyId: string, masterKeyId: string): Buffer {
  return associatedData('lectern tenant key v1', tenantId.toLowerCase(), keyId, masterKeyId);
}

/**
 * The tenant's live key, made on first use. Callers racing to make it all receive the same key:
 * a unique index allows one live key per tenant and the losers read the winner's.
 */
export async function getTenantKey(
  db: Knex,
  keyring: MasterKeyring,
  tenantId: string,
): Promise<TenantKey> {
  if (!uuid.test(tenantId)) throw new KeyringError('tenant_not_found', 'No such tenant.');
  const row = (await liveKeyRow(db, tenantId)) ?? (await createKeyRow(db, keyring, tenantId));
  return unwrapKeyRow(keyring, row);
}

async function liveKeyRow(db: Knex, tenantId: string): Promise<TenantKeyRow | undefined> {
  return (await db('tenant_keys')
    .where({ tenant_id: tenantId })
    .whereNull('destroyed_at')
    .first('id', 'tenant_id', 'wrapped_key', 'master_key_id')) as TenantKeyRow | undefined;
}

async function createKeyRow(
  db: Knex,
  keyring: MasterKeyring,
  tenantId: string,
): Promise<TenantKeyRow> {
  return db.transaction(async (trx) => {
    // A share lock: creators run side by side, but never beside destroyTenantKey's update lock.
    const tenant = await trx('tenants').where({ id: tenantId }).forShare().first('id');
    if (!tenant) throw new KeyringError('tenant_not_found', 'No such tenant.');
    const destroyed = await trx('tenant_keys')
      .where({ tenant_id: tenantId })
      .whereNotNull('destroyed_at')
      .first('id');
    if (destroyed) throw destroyedError();

    const id = randomUUID();
    const key = randomBytes(keyLength);
    const master = keyring.current;
    const wrapped = wrapKey(master.key, key, tenantKeyData(tenantId, id, master.id));
    key.fill(0);
    await trx('tenant_keys')
      .insert({ id, tenant_id: tenantId, wrapped_key: wrapped, master_key_id: master.id })
      .onConflict()
      .ignore();

    const row = await liveKeyRow(trx, tenantId);
    if (!row) throw new Error('A tenant key was neither created nor found.');
    return row;
  });
}

function unwrapKeyRow(keyring: MasterKeyring, row: TenantKeyRow): TenantKey {
  const master = row.master_key_id ? findMasterKey(keyring, row.master_key_id) : undefined;
  if (!master) {
    throw new KeyringError(
      'master_key_missing',
      `The tenant key is wrapped by master key ${row.master_key_id ?? '(none)'}, which this keyring does not hold.`,
    );
  }
  const key = unwrapKey(
    master.key,
    row.wrapped_key,
    tenantKeyData(row.tenant_id, row.id, master.id),
  );
  if (!key) {
    throw new KeyringError(
      'unwrap_failed',
      `The tenant key ${row.id} does not unwrap: it was altered or copied from another row.`,
    );
  }
  const tenantKey = { id: row.id, tenantId: row.tenant_id, key: createSecretKey(key) };
  key.fill(0);
  return tenantKey;
}

function destroyedError(): KeyringError {
  return new KeyringError('destroyed', "The tenant's key has been destroyed; its data is gone.");
}

/**
 * Destroys the tenant's key: the wrapped bytes are overwritten with zeros and the row is kept,
 * marked, so that no new key is made for the tenant afterwards. Objects sealed under it no
 * longer open. PostgreSQL keeps old row versions until vacuum (and in WAL and backups): what
 * makes those copies useless is the master-key rotation that termination runs next.
 */
export async function destroyTenantKey(
  db: Knex,
  tenantId: string,
): Promise<{ tenantKeyIds: string[] }> {
  if (!uuid.test(tenantId)) return { tenantKeyIds: [] };
  return db.transaction(async (trx) => {
    await trx('tenants').where({ id: tenantId }).forUpdate().first('id');
    const rows = (await trx('tenant_keys')
      .where({ tenant_id: tenantId })
      .whereNull('destroyed_at')
      .update({
        wrapped_key: Buffer.alloc(wrappedKeyLength),
        master_key_id: null,
        destroyed_at: trx.fn.now(),
      })
      .returning('id')) as { id: string }[];

    if (rows.length === 0) {
      // A tenant that never had a key gets a tombstone, so that none is made after termination.
      const tenant = await trx('tenants').where({ id: tenantId }).first('id');
      if (tenant) {
        await trx('tenant_keys').insert({
          id: randomUUID(),
          tenant_id: tenantId,
          wrapped_key: Buffer.alloc(wrappedKeyLength),
          master_key_id: null,
          destroyed_at: trx.fn.now(),
        });
      }
    }
    return { tenantKeyIds: rows.map((row) => row.id) };
  });
}

export interface RewrapResult {
  rewrapped: number;
  /** Keys left where they were: their master key is not in `from`, or they do not unwrap. */
  failed: { tenantKeyId: string; tenantId: string; reason: KeyringReason }[];
}

/**
 * Re-wraps every live tenant key not yet under `to`, unwrapping with `from`, in one pass by id;
 * it can be run again after an interruption. Make `to` the current key of every process first,
 * so that no key is made under an old one meanwhile. A key that fails is reported, not fatal:
 * one damaged row must not keep every other tenant's key under a master key being retired.
 * Retire an old master key once `countTenantKeysByMasterKey` shows no key left on it.
 */
export async function rewrapAll(
  db: Knex,
  from: MasterKeyring,
  to: MasterKey,
): Promise<RewrapResult> {
  const result: RewrapResult = { rewrapped: 0, failed: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await db('tenant_keys')
      .whereNull('destroyed_at')
      .whereNot('master_key_id', to.id)
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .select('id', 'tenant_id', 'wrapped_key', 'master_key_id')) as TenantKeyRow[];
    const last = rows.at(-1);
    if (!last) return result;
    after = last.id;

    for (const row of rows) {
      let key: Buffer;
      try {
        key = unwrapKeyRow(from, row).key.export();
      } catch (error) {
        if (!(error instanceof KeyringError)) throw error;
        result.failed.push({ tenantKeyId: row.id, tenantId: row.tenant_id, reason: error.reason });
        continue;
      }
      const wrapped = wrapKey(to.key, key, tenantKeyData(row.tenant_id, row.id, to.id));
      key.fill(0);
      // Guarded by the old id: a row destroyed or re-wrapped meanwhile is left as it is.
      result.rewrapped += await db('tenant_keys')
        .where({ id: row.id, master_key_id: row.master_key_id })
        .whereNull('destroyed_at')
        .update({ wrapped_key: wrapped, master_key_id: to.id });
    }
  }
}

/** How many live tenant keys each master key wraps; a key with none left can be retired. */
export async function countTenantKeysByMasterKey(db: Knex): Promise<Map<string, number>> {
  const rows = (await db('tenant_keys')
    .whereNull('destroyed_at')
    .groupBy('master_key_id')
    .select('master_key_id')
    .count({ count: '*' })) as { master_key_id: string; count: string | number }[];
  return new Map(rows.map((row) => [row.master_key_id, Number(row.count)]));
}

/** A live tenant key as the keyring table holds it: wrapped by a master key, never in clear. */
export interface WrappedTenantKey {
  id: string;
  tenantId: string;
  masterKeyId: string;
  wrappedKey: Buffer;
}

/** Every live tenant key, wrapped, for a keyring export the operator keeps apart from backups. */
export async function listWrappedTenantKeys(db: Knex): Promise<WrappedTenantKey[]> {
  const rows = (await db('tenant_keys')
    .whereNull('destroyed_at')
    .orderBy('id')
    .select('id', 'tenant_id', 'wrapped_key', 'master_key_id')) as TenantKeyRow[];
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    masterKeyId: row.master_key_id as string,
    wrappedKey: Buffer.from(row.wrapped_key),
  }));
}

/**
 * Unwraps a tenant key brought from outside the database (a keyring export) with the live
 * master keyring; a key wrapped by a retired master key, or altered, does not open.
 */
export function openWrappedTenantKey(keyring: MasterKeyring, key: WrappedTenantKey): TenantKey {
  if (!uuid.test(key.tenantId) || !uuid.test(key.id)) {
    throw new KeyringError('unwrap_failed', 'A tenant key needs a tenant id and a key id.');
  }
  return unwrapKeyRow(keyring, {
    id: key.id,
    tenant_id: key.tenantId,
    wrapped_key: key.wrappedKey,
    master_key_id: key.masterKeyId,
  });
}

/**
 * Puts a tenant key that `openWrappedTenantKey` has opened into the keyring table, for a tenant
 * being restored; the tenant's row must exist. A tenant with a key already keeps its own.
 */
export async function insertWrappedTenantKey(db: Knex, key: WrappedTenantKey): Promise<void> {
  await db('tenant_keys')
    .insert({
      id: key.id,
      tenant_id: key.tenantId,
      wrapped_key: key.wrappedKey,
      master_key_id: key.masterKeyId,
    })
    .onConflict()
    .ignore();
}
