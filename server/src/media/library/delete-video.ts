import type { Knex } from 'knex';
import { recordAudit } from '../../audit/audit-log.ts';
import { mediaKeys, type MediaServices } from '../media-services.ts';
import type { Video } from './videos.ts';

/**
 * Removes a video: its objects first, then its rows, so that a crash in between leaves a
 * video that a second delete finishes, never an object nobody knows of.
 */
export async function deleteVideo(
  db: Knex,
  media: MediaServices,
  video: Video,
  actor: string,
): Promise<void> {
  const uploads = (await db('uploads').where({ video_id: video.id }).select('id')) as {
    id: string;
  }[];
  for (const upload of uploads) {
    await media.storage.deletePrefix(mediaKeys.upload(video.tenantId, upload.id));
  }
  await media.storage.deletePrefix(mediaKeys.video(video.tenantId, video.id));

  await db.transaction(async (trx) => {
    await trx('videos').where({ id: video.id, tenant_id: video.tenantId }).delete();
    await recordAudit(trx, {
      tenantId: video.tenantId,
      actor,
      action: 'video.delete',
      subjectType: 'video',
      subjectId: video.id,
    });
  });
}
