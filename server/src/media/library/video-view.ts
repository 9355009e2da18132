import type { Principal } from '../../identity/policy.ts';
import type { ReviewRecord } from '../../review/workflow.ts';
import type { Video } from './videos.ts';

/** A video as the API shows it: no storage keys, no owner names (none are stored). */
export function videoView(video: Video, principal: Principal, reviews?: ReviewRecord[]) {
  return {
    id: video.id,
    title: video.title,
    description: video.description,
    state: video.state,
    ownerId: video.ownerId,
    mine: video.ownerId === principal.id,
    size: video.originalSize,
    durationSeconds: video.durationSeconds,
    createdAt: video.createdAt,
    updatedAt: video.updatedAt,
    publishedAt: video.publishedAt,
    ...(reviews ? { reviews } : {}),
  };
}
