import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { migrationNames } from '../../db/migrations/index.ts';
import {
  insertWrappedTenantKey,
  KeyringError,
  listWrappedTenantKeys,
  openObject,
  openWrappedTenantKey,
  type TenantKey,
  type WrappedTenantKey,
} from '../../media/crypto/index.ts';
import { mediaKeys, type MediaServices } from '../../media/media-services.ts';
import { isTerminated } from '../termination/receipts.ts';
import { readTenantSchema, type TenantSchema, type TenantTable } from '../tenant-tables.ts';
import type { BackupTarget } from './backup-target.ts';
import {
  backupKeys,
  hashing,
  manifestName,
  parseManifest,
  rowsObjectId,
  type BackupManifest,
  type TenantBackup,
} from './manifest.ts';

export type SkipReason = 'exists' | 'terminated' | 'no_live_key' | 'key_does_not_open';

export interface RestoreReport {
  backupId: string;
  restored: { tenantId: string; rows: number; objects: number }[];
  skipped: { tenantId: string; reason: SkipReason }[];
}

export interface RestoreOptions {
  /** The backup to restore; the newest complete one when absent. */
  backupId?: string;
  /**
   * Tenant keys from the operator's keyring export of the live system (see keyring-export.ts),
   * besides those in this database's own keyring table. Each must open under this server's
   * master keyring; the backup itself holds no key.
   */
  keys?: WrappedTenantKey[];
}

/**
 * Restores the tenants of a backup that this database does not have: their objects first,
 * then their rows in one transaction each. Only the live keyring opens them: a tenant whose
 * key is destroyed, unknown, or wrapped by a retired master key is skipped, and so is a
 * tenant this database recorded as terminated.
 */
export async function restoreBackup(
  db: Knex,
  media: MediaServices,
  target: BackupTarget,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const manifest = await readManifest(target, options.backupId ?? (await newestBackup(target)));
  const unknown = manifest.schema.filter((name) => !migrationNames.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `The backup was made by a newer Lectern (migration ${unknown[0]}); upgrade first.`,
    );
  }
  const schema = await readTenantSchema(db);
  const liveKeys = [...(await listWrappedTenantKeys(db)), ...(options.keys ?? [])];
  const report: RestoreReport = { backupId: manifest.id, restored: [], skipped: [] };

  for (const tenant of manifest.tenants) {
    const skip = (reason: SkipReason) => report.skipped.push({ tenantId: tenant.tenantId, reason });
    if (await db('tenants').where({ id: tenant.tenantId }).first('id')) {
      skip('exists');
      continue;
    }
    if (await isTerminated(db, tenant.tenantId)) {
      skip('terminated');
      continue;
    }
    const wrapped = liveKeys.find(
      (key) => key.tenantId === tenant.tenantId && key.id === tenant.tenantKeyId,
    );
    if (!wrapped) {
      skip('no_live_key');
      continue;
    }
    let tenantKey: TenantKey;
    try {
      tenantKey = openWrappedTenantKey(media.keyring, wrapped);
    } catch (error) {
      if (!(error instanceof KeyringError)) throw error;
      skip('key_does_not_open');
      continue;
    }

    await copyObjectsBack(media, target, tenant);
    try {
      const rows = await restoreRows(db, schema, target, manifest, tenant, tenantKey, wrapped);
      report.restored.push({ tenantId: tenant.tenantId, rows, objects: tenant.objects.length });
    } catch (error) {
      // The rows rolled back: take the objects away again, so that no orphan stays behind.
      await media.storage.deletePrefix(mediaKeys.tenant(tenant.tenantId));
      throw error;
    }
  }
  await moveSequencesPastRestoredRows(db, schema);
  return report;
}

/** The backups in a target, oldest first; only those whose manifest was written. */
export async function listBackups(target: BackupTarget): Promise<string[]> {
  const ids: string[] = [];
  for await (const { key } of target.storage.list(target.prefix)) {
    const rest = key.slice(target.prefix.length);
    if (rest.endsWith(`/${manifestName}`) && rest.split('/').length === 2) {
      ids.push(rest.split('/')[0] as string);
    }
  }
  return ids.sort();
}

async function newestBackup(target: BackupTarget): Promise<string> {
  const newest = (await listBackups(target)).at(-1);
  if (!newest) throw new Error('The backup target holds no complete backup.');
  return newest;
}

async function readManifest(target: BackupTarget, backupId: string): Promise<BackupManifest> {
  const chunks: Buffer[] = [];
  for await (const chunk of await target.storage.get(
    backupKeys.manifest(target.prefix, backupId),
  )) {
    chunks.push(chunk as Buffer);
  }
  const manifest = parseManifest(Buffer.concat(chunks).toString('utf8'));
  if (manifest.id !== backupId)
    throw new Error(`The manifest of ${backupId} names another backup.`);
  return manifest;
}

async function copyObjectsBack(
  media: MediaServices,
  target: BackupTarget,
  tenant: TenantBackup,
): Promise<void> {
  for (const object of tenant.objects) {
    const storageKey = object.key.slice(object.key.indexOf('/objects/') + '/objects/'.length);
    if (!storageKey.startsWith(mediaKeys.tenant(tenant.tenantId))) {
      throw new Error(`The backup lists ${object.key} under another tenant.`);
    }
    const digest = hashing();
    const source = await target.storage.get(`${target.prefix}${object.key}`);
    await Promise.all([media.storage.put(storageKey, digest), pipeline(source, digest)]);
    const { sha256, size } = digest.digest();
    if (sha256 !== object.sha256 || size !== object.size) {
      await media.storage.delete(storageKey);
      throw new Error(`The backup's copy of ${storageKey} differs from its manifest.`);
    }
  }
}

async function restoreRows(
  db: Knex,
  schema: TenantSchema,
  target: BackupTarget,
  manifest: BackupManifest,
  tenant: TenantBackup,
  tenantKey: TenantKey,
  wrapped: WrappedTenantKey,
): Promise<number> {
  const tables = new Map(schema.tables.map((table) => [table.name, table]));
  const digest = hashing();
  const source = await target.storage.get(`${target.prefix}${tenant.rows.key}`);
  const plaintext = await openObject({
    tenantKey,
    objectId: rowsObjectId(manifest.id, tenant.tenantId),
    ciphertext: source.pipe(digest),
  });

  return db.transaction(async (trx) => {
    let restored = 0;
    let batch: { table: TenantTable; rows: Record<string, unknown>[] } | undefined;
    const flush = async () => {
      if (!batch || batch.rows.length === 0) return;
      await trx(batch.table.name).insert(batch.rows);
      restored += batch.rows.length;
      if (batch.table.name === 'tenants') await insertWrappedTenantKey(trx, wrapped);
      batch = undefined;
    };

    for await (const line of jsonLines(plaintext)) {
      const { table: name, row } = line as { table: string; row: Record<string, unknown> };
      const table = tables.get(name);
      // A table this server no longer has: its rows have nowhere to go.
      if (!table) continue;
      const decoded = decodeRow(table, row, tenant.tenantId);
      if (batch?.table !== table || batch.rows.length >= 200) await flush();
      batch ??= { table, rows: [] };
      batch.rows.push(decoded);
    }
    await flush();

    const { sha256 } = digest.digest();
    if (sha256 !== tenant.rows.sha256) {
      throw new Error(`The rows of tenant ${tenant.tenantId} differ from the backup's manifest.`);
    }
    return restored;
  });
}

function decodeRow(
  table: TenantTable,
  row: Record<string, unknown>,
  tenantId: string,
): Record<string, unknown> {
  const owner =
    table.name === 'tenants' ? row.id : table.scope.kind === 'column' ? row.tenant_id : tenantId;
  if (owner !== tenantId) throw new Error(`A row of ${table.name} names another tenant.`);
  const decoded: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const type = table.columns[column];
    // A column dropped since the backup was made: its value has nowhere to go.
    if (type === undefined) continue;
    if (value === null) decoded[column] = null;
    else if (type === 'bytes') decoded[column] = Buffer.from(String(value), 'base64');
    else if (type === 'json') decoded[column] = JSON.stringify(value);
    else decoded[column] = value;
  }
  return decoded;
}

async function* jsonLines(stream: AsyncIterable<Buffer>): AsyncGenerator<unknown> {
  let pending = '';
  for await (const chunk of stream) {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line) yield JSON.parse(line);
  }
  if (pending) yield JSON.parse(pending);
}

/** Restored rows carry their own serial ids: move each sequence past the highest. */
async function moveSequencesPastRestoredRows(db: Knex, schema: TenantSchema): Promise<void> {
  for (const table of schema.tables) {
    for (const column of table.serialColumns) {
      await db.raw(
        `select setval(pg_get_serial_sequence(?, ?), greatest(1,
           (select max(??) from ??),
           (select last_value from pg_sequences where schemaname = current_schema()
              and sequencename = split_part(pg_get_serial_sequence(?, ?), '.', 2))), true)`,
        [table.name, column, column, table.name, table.name, column],
      );
    }
  }
}
