import type { Knex } from 'knex';
import type { MasterKeyring } from './crypto/master-keyring.ts';
import type { MasterKeySource } from './crypto/live-master-keyring.ts';
import { getTenantKey, type TenantKey } from './crypto/tenant-keys.ts';
import type { ObjectStorage } from './storage/object-storage.ts';

/** What the media domain works with: where objects go, and the keys that seal them. */
export interface MediaServices {
  storage: ObjectStorage;
  keyring: MasterKeyring;
  /** Where the keyring comes from; a file source follows rotations (live-master-keyring.ts). */
  masterKeySource?: MasterKeySource;
  /** Plaintext bytes per chunk of new objects (64 KiB unless a test says otherwise). */
  chunkSize: number;
  /** How long an unfinished upload is kept. */
  uploadLifetimeMs: number;
}

export function tenantKeyFor(db: Knex, media: MediaServices, tenantId: string): Promise<TenantKey> {
  return getTenantKey(db, media.keyring, tenantId);
}

/** Storage keys: one folder per tenant, so that a tenant's objects can be found and removed. */
export const mediaKeys = {
  tenant: (tenantId: string) => `tenants/${tenantId}/`,
  video: (tenantId: string, videoId: string) => `tenants/${tenantId}/videos/${videoId}/`,
  original: (tenantId: string, videoId: string) => `tenants/${tenantId}/videos/${videoId}/original`,
  upload: (tenantId: string, uploadId: string) => `tenants/${tenantId}/uploads/${uploadId}/`,
  uploadPart: (tenantId: string, uploadId: string, firstChunk: number) =>
    `tenants/${tenantId}/uploads/${uploadId}/part-${String(firstChunk).padStart(10, '0')}`,
};

/** The id an original is sealed under; opening needs the same. */
export const originalObjectId = (videoId: string) => `video:${videoId}:original`;
