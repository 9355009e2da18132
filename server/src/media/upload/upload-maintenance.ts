import type { Knex } from 'knex';
import type { Logger } from '../../http/logger.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import { isLecternError } from '../../http/errors.ts';
import { mediaKeys, type MediaServices } from '../media-services.ts';
import { finalizeUpload } from './finalize.ts';
import { expiredUploads, findUpload, type UploadRecord } from './upload-records.ts';

/** Removes an unfinished upload: its parts first, then the waiting video and the row. */
export async function removeUpload(db: Knex, media: MediaServices, upload: UploadRecord) {
  await media.storage.deletePrefix(mediaKeys.upload(upload.tenantId, upload.id));
  await db('videos')
    .where({ id: upload.videoId, tenant_id: upload.tenantId, state: 'uploading' })
    .delete();
  await db('uploads').where({ id: upload.id }).delete();
}

/** Removes every unfinished upload past its time; answers how many went. */
export async function removeExpiredUploads(db: Knex, media: MediaServices, now = new Date()) {
  let removed = 0;
  for (
    let batch = await expiredUploads(db, now);
    batch.length > 0;
    batch = await expiredUploads(db, now)
  ) {
    for (const upload of batch) await removeUpload(db, media, upload);
    removed += batch.length;
  }
  return removed;
}

/**
 * Finishes uploads whose bytes all arrived but whose finishing step never ran to its end
 * (the process died in between): the client saw its last PATCH fail and may never return.
 */
export async function finishAbandonedUploads(
  db: Knex,
  media: MediaServices,
  jobs: JobQueue,
  log: Logger,
) {
  const rows = (await db('uploads')
    .whereNull('completed_at')
    .whereRaw('committed = length')
    .where('created_at', '<', db.raw("now() - interval '5 minutes'"))
    .limit(20)
    .select('id')) as { id: string }[];
  for (const { id } of rows) {
    const upload = await findUpload(db, id);
    if (!upload) continue;
    try {
      const video = await finalizeUpload(db, media, jobs, log, upload, 'system:uploads');
      log.info({ event: 'upload.finished_late', uploadId: id, videoId: video.id });
    } catch (error) {
      // A file that is no video was removed by finalizeUpload; anything else is retried later.
      if (!isLecternError(error)) throw error;
      log.info({ event: 'upload.refused_late', uploadId: id, code: error.code });
    }
  }
}
