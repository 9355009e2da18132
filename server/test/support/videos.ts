import type { Knex } from 'knex';
import {
  createVideo,
  requireVideo,
  type Video,
  type VideoState,
} from '../../src/media/library/videos.ts';

/**
 * A video in the given state, as if it had been uploaded and moved there, for tests of what
 * comes after the upload.
 */
export async function makeVideo(
  db: Knex,
  input: { tenantId: string; ownerId: string; state: VideoState; title?: string },
): Promise<Video> {
  const video = await createVideo(
    db,
    { tenantId: input.tenantId, ownerId: input.ownerId, title: input.title ?? 'Fire safety' },
    'cli',
  );
  await db('videos')
    .where({ id: video.id })
    .update({
      state: input.state,
      ...(input.state === 'published' ? { published_at: db.fn.now() } : {}),
    });
  return requireVideo(db, input.tenantId, video.id);
}
