import { createHash, randomBytes, type Hash } from 'node:crypto';
import { Transform } from 'node:stream';

/**
 * What a backup holds, in plaintext beside the sealed parts: ids, key ids, object names,
 * sizes and hashes. No name, title or person: those are inside each tenant's sealed rows.
 */
export interface BackupManifest {
  format: 'lectern-backup';
  version: 1;
  id: string;
  createdAt: string;
  /** The migrations applied when it was made; a server that lacks one cannot restore it. */
  schema: string[];
  tenants: TenantBackup[];
}

export interface TenantBackup {
  tenantId: string;
  /** The tenant key that seals the rows and the objects; restore needs this key, live. */
  tenantKeyId: string;
  rows: { key: string; size: number; sha256: string; counts: Record<string, number> };
  /** Media objects, already ciphertext, copied as they are (key relative to the backup). */
  objects: { key: string; size: number; sha256: string }[];
}

export const manifestName = 'manifest.json';

/** The id the rows of a tenant are sealed under; a rows object moved elsewhere does not open. */
export const rowsObjectId = (backupId: string, tenantId: string) =>
  `backup:${backupId}:rows:${tenantId}`;

export const backupKeys = {
  manifest: (prefix: string, backupId: string) => `${prefix}${backupId}/${manifestName}`,
  rows: (prefix: string, backupId: string, tenantId: string) =>
    `${prefix}${backupId}/tenants/${tenantId}/rows`,
  object: (prefix: string, backupId: string, storageKey: string) =>
    `${prefix}${backupId}/objects/${storageKey}`,
};

/** A new backup's id: sortable by time, valid as a storage key segment. */
export function newBackupId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'z')
    .toLowerCase();
  return `backup-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Passes bytes through while hashing and counting them. */
export function hashing(): Transform & { digest(): { sha256: string; size: number } } {
  const hash: Hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return Object.assign(stream, { digest: () => ({ sha256: hash.digest('hex'), size }) });
}

/** Refuses anything but a manifest this server can read. */
export function parseManifest(text: string): BackupManifest {
  const manifest = JSON.parse(text) as BackupManifest;
  if (manifest.format !== 'lectern-backup' || manifest.version !== 1) {
    throw new Error('This is not a Lectern backup manifest of version 1.');
  }
  if (!Array.isArray(manifest.tenants) || !Array.isArray(manifest.schema)) {
    throw new Error('The backup manifest lacks its tenants or its schema.');
  }
  return manifest;
}
