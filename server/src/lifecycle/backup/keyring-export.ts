import type { Knex } from 'knex';
import {
  listWrappedTenantKeys,
  type MasterKeyring,
  type WrappedTenantKey,
} from '../../media/crypto/index.ts';

/**
 * The live keyring table, as the operator keeps it apart from backups: every live tenant key,
 * still wrapped by its master key. It opens nothing without that master key, and a tenant
 * terminated before the export is not in it. A restore into a fresh instance takes its tenant
 * keys from here, never from the backup.
 */
export interface KeyringExport {
  format: 'lectern-keyring';
  version: 1;
  exportedAt: string;
  /** The master keys that wrap the keys below; the restoring server must hold them. */
  masterKeyIds: string[];
  keys: { id: string; tenantId: string; masterKeyId: string; wrappedKey: string }[];
}

export async function exportKeyring(db: Knex, keyring: MasterKeyring): Promise<KeyringExport> {
  const keys = await listWrappedTenantKeys(db);
  return {
    format: 'lectern-keyring',
    version: 1,
    exportedAt: new Date().toISOString(),
    masterKeyIds: [...new Set(keys.map((key) => key.masterKeyId))].filter((id) =>
      keyring.keys.some((key) => key.id === id),
    ),
    keys: keys.map((key) => ({ ...key, wrappedKey: key.wrappedKey.toString('base64') })),
  };
}

export function parseKeyringExport(text: string): WrappedTenantKey[] {
  const parsed = JSON.parse(text) as KeyringExport;
  if (parsed.format !== 'lectern-keyring' || parsed.version !== 1 || !Array.isArray(parsed.keys)) {
    throw new Error('This is not a Lectern keyring export of version 1.');
  }
  return parsed.keys.map((key) => ({
    id: String(key.id),
    tenantId: String(key.tenantId),
    masterKeyId: String(key.masterKeyId),
    wrappedKey: Buffer.from(String(key.wrappedKey), 'base64'),
  }));
}
