import type { Logger } from '../../http/logger.ts';
import { LocalStorage } from './local-storage.ts';
import type { ObjectStorage } from './object-storage.ts';
import { S3Storage } from './s3-storage.ts';
import type { StorageConfig } from './storage-config.ts';

/** The configured driver: a folder on this machine by default, or an S3 bucket. */
export function createStorage(config: StorageConfig, logger: Logger): ObjectStorage {
  if (config.kind === 'local') return new LocalStorage(config.folder);

  return new S3Storage(config, logger);
}
