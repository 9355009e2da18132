import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import { migrationNames } from '../../db/migrations/index.ts';
import { sealStream, type TenantKey } from '../../media/crypto/index.ts';
import { mediaKeys, tenantKeyFor, type MediaServices } from '../../media/media-services.ts';
import { readTenantSchema, tenantRows, type TenantSchema } from '../tenant-tables.ts';
import type { BackupTarget } from './backup-target.ts';
import {
  backupKeys,
  hashing,
  newBackupId,
  rowsObjectId,
  type BackupManifest,
  type TenantBackup,
} from './manifest.ts';

const pageSize = 500;

/**
 * Backs up every tenant: its rows as JSON lines sealed under its own tenant key, and its media
 * objects copied as the ciphertext they are. The rows are read in one repeatable-read
 * snapshot, so they agree with each other. The manifest is written last: a backup without one
 * was cut short and is never restored. The keyring is not in it (see docs/lifecycle.md).
 */
export async function createBackup(
  db: Knex,
  media: MediaServices,
  target: BackupTarget,
  options: { now?: Date } = {},
): Promise<BackupManifest> {
  const id = newBackupId(options.now);
  const schema = await readTenantSchema(db);
  // Keys first, outside the snapshot: a tenant without one gets it now (PGlite has one
  // connection, so nothing else may use the pool while the snapshot is open).
  const keys = new Map<string, TenantKey>();
  for (const { id: tenantId } of (await db('tenants').select('id')) as { id: string }[]) {
    keys.set(tenantId, await tenantKeyFor(db, media, tenantId));
  }

  const tenants = await db.transaction(
    async (trx) => {
      const backups: TenantBackup[] = [];
      const ids = ((await trx('tenants').orderBy('id').select('id')) as { id: string }[]).map(
        (row) => row.id,
      );
      for (const tenantId of ids) {
        const tenantKey = keys.get(tenantId);
        if (!tenantKey) continue; // Created after the keys were fetched: the next backup has it.
        const rows = await writeRows(trx, schema, target, id, tenantKey);
        backups.push({ tenantId, tenantKeyId: tenantKey.id, rows, objects: [] });
      }
      return backups;
    },
    { isolationLevel: 'repeatable read' },
  );

  for (const tenant of tenants)
    tenant.objects = await copyObjects(media, target, id, tenant.tenantId);

  const manifest: BackupManifest = {
    format: 'lectern-backup',
    version: 1,
    id,
    createdAt: (options.now ?? new Date()).toISOString(),
    schema: migrationNames,
    tenants,
  };
  await target.storage.put(
    backupKeys.manifest(target.prefix, id),
    Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`),
  );
  return manifest;
}

async function writeRows(
  trx: Knex.Transaction,
  schema: TenantSchema,
  target: BackupTarget,
  backupId: string,
  tenantKey: TenantKey,
): Promise<TenantBackup['rows']> {
  const counts: Record<string, number> = {};
  async function* lines(): AsyncGenerator<Buffer> {
    for (const table of schema.tables) {
      counts[table.name] = 0;
      for (let offset = 0; ; offset += pageSize) {
        // ctid orders the rows the same way on every page of one snapshot.
        const page = (await tenantRows(trx, schema, table, tenantKey.tenantId)
          .select('*')
          .orderByRaw('ctid')
          .offset(offset)
          .limit(pageSize)) as Record<string, unknown>[];
        if (page.length === 0) break;
        counts[table.name] = (counts[table.name] ?? 0) + page.length;
        const text = page.map((row) => JSON.stringify({ table: table.name, row: encodeRow(row) }));
        yield Buffer.from(`${text.join('\n')}\n`);
        if (page.length < pageSize) break;
      }
    }
  }

  const key = backupKeys.rows(target.prefix, backupId, tenantKey.tenantId);
  const digest = hashing();
  const sealed = sealStream(lines(), {
    tenantKey,
    objectId: rowsObjectId(backupId, tenantKey.tenantId),
  });
  await Promise.all([target.storage.put(key, digest), pipeline(sealed, digest)]);
  return { key: key.slice(target.prefix.length), ...digest.digest(), counts };
}

/** Byte columns travel as base64; everything else as JSON gives it (dates as ISO strings). */
function encodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const encoded: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    encoded[column] = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
  }
  return encoded;
}

async function copyObjects(
  media: MediaServices,
  target: BackupTarget,
  backupId: string,
  tenantId: string,
): Promise<TenantBackup['objects']> {
  const objects: TenantBackup['objects'] = [];
  const listed: string[] = [];
  for await (const { key } of media.storage.list(mediaKeys.tenant(tenantId))) listed.push(key);
  for (const key of listed.sort()) {
    const digest = hashing();
    const source = await media.storage.get(key).catch(() => undefined);
    // Deleted since it was listed (an expired upload): nothing refers to it any more.
    if (!source) continue;
    const copy = backupKeys.object(target.prefix, backupId, key);
    await Promise.all([target.storage.put(copy, digest), pipeline(source, digest)]);
    objects.push({ key: copy.slice(target.prefix.length), ...digest.digest() });
  }
  return objects;
}
