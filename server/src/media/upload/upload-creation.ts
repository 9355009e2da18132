import path from 'node:path';
import type { Upload } from '@tus/utils';
import type { Knex } from 'knex';
import { LecternError } from '../../http/errors.ts';
import type { Principal } from '../../identity/policy.ts';
import { loadTenantSettings } from '../../identity/tenant-settings.ts';
import { createObjectSealer } from '../crypto/object-sealer.ts';
import { createVideo } from '../library/videos.ts';
import { originalObjectId, tenantKeyFor, type MediaServices } from '../media-services.ts';
import { insertUpload, tenantUsage } from './upload-records.ts';

/**
 * Starts an upload for a principal: checks size and quota, creates the waiting video and
 * the upload row with its sealed header, all in one transaction so that two uploads cannot
 * squeeze past the quota together.
 */
export async function createUpload(
  db: Knex,
  media: MediaServices,
  principal: Principal,
  upload: Upload,
  videoId: string,
  actor: string,
): Promise<Record<string, string>> {
  if (upload.size === undefined) throw new LecternError('upload.length_required');
  if (upload.size === 0) throw new LecternError('upload.empty');
  const size = upload.size;
  const metadata = cleanMetadata(upload.metadata ?? {});

  const settings = await loadTenantSettings(db, principal.tenantId);
  if (size > settings.upload.maxFileBytes) throw new LecternError('upload.too_large');
  // Fetched before the transaction: on PGlite's one connection it may create the key itself.
  const tenantKey = await tenantKeyFor(db, media, principal.tenantId);

  await db.transaction(async (trx) => {
    await trx('tenants').where({ id: principal.tenantId }).forUpdate().first('id');
    const used = await tenantUsage(trx, principal.tenantId);
    if (used + size > settings.upload.quotaBytes) throw new LecternError('upload.quota_exceeded');

    await createVideo(
      trx,
      { id: videoId, tenantId: principal.tenantId, ownerId: principal.id, title: metadata.title },
      actor,
    );
    const sealer = createObjectSealer({
      tenantKey,
      objectId: originalObjectId(videoId),
      chunkSize: media.chunkSize,
    });
    await insertUpload(trx, {
      id: upload.id,
      tenantId: principal.tenantId,
      videoId,
      ownerId: principal.id,
      length: size,
      header: sealer.header(),
      metadata,
      expiresAt: new Date(Date.now() + media.uploadLifetimeMs),
    });
  });
  return metadata;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const controlCharacters = /[\u0000-\u001f\u007f]/g;

/**
 * Keeps the file's own name (never a path: it is not used to store anything) and a title,
 * from the metadata or from the name.
 */
export function cleanMetadata(raw: Record<string, string | null>): {
  filename: string;
  filetype: string;
  title: string;
} {
  const rawName = (raw.filename ?? '').replaceAll('\\', '/');
  const filename = path.posix.basename(rawName).replace(controlCharacters, '').trim().slice(0, 255);
  const filetype = (raw.filetype ?? '').replace(controlCharacters, '').trim();
  const title = (raw.title ?? filename.replace(/\.[^.]+$/, ''))
    .replace(controlCharacters, ' ')
    .trim();
  if (title.length === 0 || title.length > 200 || filetype.length > 100) {
    throw new LecternError('upload.metadata_invalid');
  }
  return { filename, filetype, title };
}
