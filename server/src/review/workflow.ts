import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';
import { toVideo, type Video, type VideoState } from '../media/library/videos.ts';

/** Where a video may go from each state; anything else is refused with video.wrong_state. */
const transitions: Record<VideoState, readonly VideoState[]> = {
  uploading: ['processing', 'in_review', 'published', 'failed'],
  processing: ['in_review', 'published', 'failed'],
  in_review: ['published', 'rejected'],
  rejected: ['in_review', 'published'],
  published: [],
  failed: [],
};

/**
 * Moves a video to another state, only from the state the caller saw: a concurrent change
 * (two critics deciding at once) makes the second one fail instead of overwriting.
 */
export async function moveVideo(
  db: Knex,
  video: Video,
  to: VideoState,
  actor: string,
): Promise<Video> {
  if (!transitions[video.state].includes(to)) throw new LecternError('video.wrong_state');
  const [row] = await db('videos')
    .where({ id: video.id, tenant_id: video.tenantId, state: video.state })
    .update({
      state: to,
      updated_at: db.fn.now(),
      ...(to === 'published' ? { published_at: db.fn.now() } : {}),
    })
    .returning('*');
  if (!row) throw new LecternError('video.wrong_state');
  await recordAudit(db, {
    tenantId: video.tenantId,
    actor,
    action: 'video.state',
    subjectType: 'video',
    subjectId: video.id,
    details: { from: video.state, to },
  });
  return toVideo(row);
}

/** Where a finished upload goes: to the critics, or straight out when the tenant says so. */
export function stateAfterUpload(reviewRequired: boolean): VideoState {
  return reviewRequired ? 'in_review' : 'published';
}

export interface ReviewDecision {
  decision: 'approve' | 'reject';
  comment: string;
}

/** A critic's decision: the video is published or sent back, and the decision is kept. */
export async function decideReview(
  db: Knex,
  video: Video,
  reviewerId: string,
  input: ReviewDecision,
  actor: string,
): Promise<Video> {
  if (input.decision === 'reject' && input.comment.trim() === '') {
    throw new LecternError('review.comment_required');
  }
  return db.transaction(async (trx) => {
    if (video.state !== 'in_review') throw new LecternError('video.wrong_state');
    const moved = await moveVideo(
      trx,
      video,
      input.decision === 'approve' ? 'published' : 'rejected',
      actor,
    );
    await trx('reviews').insert({
      tenant_id: video.tenantId,
      video_id: video.id,
      reviewer_id: reviewerId,
      decision: input.decision === 'approve' ? 'approved' : 'rejected',
      comment: input.comment.trim(),
    });
    return moved;
  });
}

export interface ReviewRecord {
  decision: 'approved' | 'rejected';
  comment: string;
  reviewerId: string | null;
  at: string;
}

/** The video's latest reviews, newest first; an export asks for all of them. */
export async function reviewsOf(
  db: Knex,
  video: Pick<Video, 'id' | 'tenantId'>,
  limit = 20,
): Promise<ReviewRecord[]> {
  const rows = (await db('reviews')
    .where({ video_id: video.id, tenant_id: video.tenantId })
    .orderBy('created_at', 'desc')
    .limit(limit)) as {
    decision: 'approved' | 'rejected';
    comment: string;
    reviewer_id: string | null;
    created_at: Date;
  }[];
  return rows.map((row) => ({
    decision: row.decision,
    comment: row.comment,
    reviewerId: row.reviewer_id,
    at: row.created_at.toISOString(),
  }));
}
