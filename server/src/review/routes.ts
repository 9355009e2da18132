import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import { authenticate, authorize } from '../http/auth.ts';
import { actorOf, principalOf } from '../http/context.ts';
import { LecternError } from '../http/errors.ts';
import { validate } from '../http/validation.ts';
import { may } from '../identity/policy.ts';
import { loadTenantSettings } from '../identity/tenant-settings.ts';
import { visibleVideo } from '../media/library/routes.ts';
import { videoView } from '../media/library/video-view.ts';
import { listVideos } from '../media/library/videos.ts';
import { decideReview, moveVideo, stateAfterUpload } from './workflow.ts';

const videoParams = z.object({ videoId: z.string().min(1).max(64) });
const decisionBody = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: z.string().max(2000).default(''),
});

/** The critic's side: what waits for review, and the decisions. */
export function reviewRoutes(context: AppContext): Router {
  const router = Router();
  const signedIn = authenticate(context.db, context.signer);

  router.get('/review-queue', signedIn, authorize('video.review'), showQueue(context));
  router.post(
    '/videos/:videoId/review',
    signedIn,
    authorize('video.review'),
    validate({ params: videoParams, body: decisionBody }),
    review(context),
  );
  router.post(
    '/videos/:videoId/resubmit',
    signedIn,
    authorize('video.edit'),
    validate({ params: videoParams }),
    resubmit(context),
  );
  return router;
}

function showQueue(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const waiting = await listVideos(context.db, principal.tenantId, {
      states: ['in_review'],
      limit: 100,
    });
    // Oldest first: the queue is worked in the order videos arrived.
    const reviewable = waiting.filter((video) => may(principal, 'video.review', video)).reverse();
    response.json({ videos: reviewable.map((video) => videoView(video, principal)) });
  };
}

function review(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const video = await visibleVideo(context, request);
    if (!may(principal, 'video.review', video)) throw new LecternError('permission.denied');
    const decided = await decideReview(
      context.db,
      video,
      principal.id,
      request.body,
      actorOf(request),
    );
    request.log.info({
      event: 'video.reviewed',
      videoId: video.id,
      decision: request.body.decision,
    });
    response.json(videoView(decided, principal));
  };
}

function resubmit(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const video = await visibleVideo(context, request);
    if (!may(principal, 'video.edit', video)) throw new LecternError('permission.denied');
    if (video.state !== 'rejected') throw new LecternError('video.wrong_state');
    const settings = await loadTenantSettings(context.db, principal.tenantId);
    const moved = await moveVideo(
      context.db,
      video,
      stateAfterUpload(settings.review.required),
      actorOf(request),
    );
    response.json(videoView(moved, principal));
  };
}
