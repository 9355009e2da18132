import type { Config } from '../config/config.ts';
import type { MediaServices } from '../media/media-services.ts';
import type { StorageLocation } from '../media/storage/object-storage.ts';
import { describeBackupTarget, type BackupTargetLocation } from './backup/backup-target.ts';

/** Where each kind of data lives, for a customer's records. Never holds a credential. */
export interface DataLocation {
  /** The operator's own words for the place (LECTERN_DATA_LOCATION), if given. */
  label: string | null;
  database:
    | { kind: 'pglite'; folder: string }
    | { kind: 'postgres'; host: string; port: number; database: string; tls: string };
  storage: StorageLocation & { serverSideEncryption?: string };
  backups: BackupTargetLocation | null;
  /** Every stored byte of media and every backed-up row is encrypted by Lectern itself. */
  encryption: string;
}

export function dataLocation(config: Config, media: MediaServices): DataLocation {
  return {
    label: config.dataLocationLabel ?? null,
    database: databaseLocation(config.database),
    storage: {
      ...media.storage.describe(),
      ...(config.storage.kind === 's3' && config.storage.serverSideEncryption
        ? { serverSideEncryption: config.storage.serverSideEncryption }
        : {}),
    },
    backups: config.backupTarget ? describeBackupTarget(config.backupTarget, config) : null,
    encryption: 'AES-256-GCM per object and per tenant backup, under per-tenant keys',
  };
}

function databaseLocation(database: Config['database']): DataLocation['database'] {
  if (database.kind === 'pglite') return { kind: 'pglite', folder: database.dataDir };
  // Host, port and database name only: the user name and password stay out.
  let url: URL | undefined;
  try {
    url = new URL(database.url);
  } catch {
    url = undefined;
  }
  return {
    kind: 'postgres',
    host: url?.hostname || '(from the PG* environment)',
    port: Number(url?.port || 5432),
    database: decodeURIComponent(url?.pathname.slice(1) ?? '') || '(default)',
    tls: database.ssl,
  };
}
