import path from 'node:path';
import type { Config } from '../../config/config.ts';
import type { Logger } from '../../http/logger.ts';
import { isValidKey } from '../../media/storage/keys.ts';
import { LocalStorage } from '../../media/storage/local-storage.ts';
import type { ObjectStorage } from '../../media/storage/object-storage.ts';
import { S3Storage } from '../../media/storage/s3-storage.ts';

/** Where backups go: a folder, or a bucket and a prefix inside it. */
export interface BackupTarget {
  storage: ObjectStorage;
  /** Prepended to every key of a backup; ends in `/` (`backups/` in a folder). */
  prefix: string;
  location: BackupTargetLocation;
}

export type BackupTargetLocation =
  | { kind: 'folder'; folder: string }
  | { kind: 's3'; endpoint: string; region: string; bucket: string; prefix: string };

const s3Url = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/**
 * Opens a backup target: `s3://bucket/prefix` (over the storage's own S3 endpoint and
 * credentials when storage is S3, otherwise the AWS SDK's defaults), or a folder path.
 */
export function openBackupTarget(target: string, config: Config, log: Logger): BackupTarget {
  const location = describeBackupTarget(target, config);
  if (location.kind === 'folder') {
    return { storage: new LocalStorage(location.folder), prefix: 'backups/', location };
  }
  const s3 = config.storage.kind === 's3' ? config.storage : undefined;
  const storage = new S3Storage(
    {
      endpoint: s3?.endpoint,
      region: location.region,
      bucket: location.bucket,
      forcePathStyle: s3?.forcePathStyle ?? false,
      accessKeyId: s3?.accessKeyId,
      secretAccessKey: s3?.secretAccessKey,
      caFile: s3?.caFile,
      serverSideEncryption: s3?.serverSideEncryption,
    },
    log,
  );
  return { storage, prefix: `${location.prefix || 'backups'}/`, location };
}

/** The target as data-location reports it: no credential. Refuses a malformed target. */
export function describeBackupTarget(target: string, config: Config): BackupTargetLocation {
  if (!target.startsWith('s3:')) return { kind: 'folder', folder: path.resolve(target) };
  const match = s3Url.exec(target);
  const prefix = (match?.[2] ?? '').replace(/\/+$/, '');
  if (!match || (prefix !== '' && !isValidKey(prefix))) {
    throw new Error(
      `The backup target ${target} is not s3://bucket/prefix with a lowercase prefix ` +
        "of letters, digits, '_', '.' and '-' between slashes.",
    );
  }
  const s3 = config.storage.kind === 's3' ? config.storage : undefined;
  const region = s3?.region ?? process.env.AWS_REGION ?? 'us-east-1';
  return {
    kind: 's3',
    endpoint: s3?.endpoint ?? `https://s3.${region}.amazonaws.com`,
    region,
    bucket: match[1] as string,
    prefix,
  };
}
