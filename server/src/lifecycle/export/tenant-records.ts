import type { Knex } from 'knex';
import { listUsers } from '../../identity/users.ts';
import { listVideos, type Video } from '../../media/library/videos.ts';
import { tracksOf, type TextTrack } from '../../media/tracks/text-tracks.ts';
import { reviewsOf } from '../../review/workflow.ts';

// Pages keep memory flat whatever the tenant's size; each domain is read through its own
// functions.
const pageSize = 200;

/** A video with its captions and where its files lie in the archive. */
export interface ExportedVideo {
  video: Video;
  tracks: (TextTrack & { file: string })[];
  originalFile: string | null;
}

/** Every video of the tenant with its tracks, newest first (as the library lists them). */
export async function* exportedVideos(db: Knex, tenantId: string): AsyncGenerator<ExportedVideo> {
  let before: string | undefined;
  for (;;) {
    const page = await listVideos(db, tenantId, { limit: pageSize, before });
    for (const video of page) {
      const tracks = await tracksOf(db, video);
      yield {
        video,
        originalFile: video.originalKey ? originalFile(video) : null,
        tracks: tracks.map((track) => ({
          ...track,
          file: `videos/${video.id}/tracks/${track.kind}.${track.language}.vtt`,
        })),
      };
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    before = last.cursor;
  }
}

/** The original's place in the archive, with an extension from the container ffprobe saw. */
function originalFile(video: Video): string {
  const container = video.container ?? '';
  const extension = container.includes('mp4')
    ? 'mp4'
    : container.includes('matroska')
      ? container.includes('webm')
        ? 'webm'
        : 'mkv'
      : container.includes('avi')
        ? 'avi'
        : 'bin';
  return `videos/${video.id}/original.${extension}`;
}

/** The tenant's users reduced to what an export needs: ids, where they come from, roles. */
export async function exportedUsers(db: Knex, tenantId: string) {
  const users = await listUsers(db, tenantId);
  return users.map((user) => ({ id: user.id, source: user.source, roles: user.roles }));
}

/** Every review decision of every video, per video. */
export async function* exportedReviews(db: Knex, tenantId: string) {
  for await (const { video } of exportedVideos(db, tenantId)) {
    // A video is reviewed a handful of times; ten thousand is beyond any real workflow.
    for (const review of await reviewsOf(db, video, 10_000)) {
      yield { videoId: video.id, ...review };
    }
  }
}
