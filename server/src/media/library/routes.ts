import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { videoStates } from '../../db/migrations/0003-media.ts';
import type { AppContext } from '../../http/app-context.ts';
import { authenticate, authorize } from '../../http/auth.ts';
import { actorOf, principalOf } from '../../http/context.ts';
import { LecternError } from '../../http/errors.ts';
import { validate, validQuery } from '../../http/validation.ts';
import { may, type Principal } from '../../identity/policy.ts';
import { reviewsOf } from '../../review/workflow.ts';
import { deleteVideo } from './delete-video.ts';
import { videoView } from './video-view.ts';
import {
  cursorPattern,
  listVideos,
  requireVideo,
  updateVideoDetails,
  type Video,
  type VideoState,
} from './videos.ts';

const videoParams = z.object({ videoId: z.string().min(1).max(64) });
const listQuery = z.strictObject({
  state: z.enum(videoStates).optional(),
  mine: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  before: z.string().regex(cursorPattern, 'use the next cursor of the page before').optional(),
});
export const videoTitle = z.string().trim().min(1).max(200);
export const videoDescription = z.string().trim().max(5000);
const detailsBody = z
  .strictObject({ title: videoTitle.optional(), description: videoDescription.optional() })
  .refine((body) => body.title !== undefined || body.description !== undefined, {
    message: 'send a title, a description, or both',
  });

/** The library: the videos a principal may see, and their details. */
export function libraryRoutes(context: AppContext): Router {
  const router = Router();
  const signedIn = authenticate(context.db, context.signer);

  router.get('/videos', signedIn, validate({ query: listQuery }), listVisible(context));
  router.get('/videos/:videoId', signedIn, validate({ params: videoParams }), showVideo(context));
  router.patch(
    '/videos/:videoId',
    signedIn,
    authorize('video.edit'),
    validate({ params: videoParams, body: detailsBody }),
    editVideo(context),
  );
  router.delete(
    '/videos/:videoId',
    signedIn,
    authorize('video.edit'),
    validate({ params: videoParams }),
    removeVideo(context),
  );
  return router;
}

/** Loads a video the principal may see; one they may not see does not exist for them. */
export async function visibleVideo(context: AppContext, request: Request): Promise<Video> {
  const principal = principalOf(request);
  const video = await requireVideo(
    context.db,
    principal.tenantId,
    request.params.videoId as string,
  );
  if (!may(principal, 'video.view', video)) throw new LecternError('resource.not_found');
  return video;
}

/**
 * Narrows the query to what a principal could see: their own videos, and the states their
 * permissions open. Only a pre-filter: the policy function still decides each video.
 */
function visibilityFilter(principal: Principal) {
  if (may(principal, 'tenant.manage')) return undefined;
  const states: VideoState[] = [];
  if (may(principal, 'video.view')) states.push('published');
  if (may(principal, 'video.review')) states.push('in_review', 'rejected');
  return { userId: principal.id, states };
}

function listVisible(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const query = validQuery<z.infer<typeof listQuery>>(response);
    const visibleTo = visibilityFilter(principal);
    const videos = await listVideos(context.db, principal.tenantId, {
      ...(query.state ? { states: [query.state] } : {}),
      ...(visibleTo ? { visibleTo } : {}),
      ...(query.mine === 'true' ? { ownerId: principal.id } : {}),
      limit: query.limit,
      ...(query.before ? { before: query.before } : {}),
    });
    const visible = videos.filter((video) => may(principal, 'video.view', video));
    response.json({
      videos: visible.map((video) => videoView(video, principal)),
      // The cursor follows what was read, so a page thinned by visibility still moves on.
      next: videos.length === query.limit ? (videos.at(-1) as { cursor: string }).cursor : null,
    });
  };
}

function showVideo(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const video = await visibleVideo(context, request);
    const seesReviews =
      video.ownerId === principal.id ||
      may(principal, 'video.review') ||
      may(principal, 'tenant.manage');
    response.json(
      videoView(video, principal, seesReviews ? await reviewsOf(context.db, video) : undefined),
    );
  };
}

function editVideo(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const video = await visibleVideo(context, request);
    if (!may(principal, 'video.edit', video)) throw new LecternError('permission.denied');
    const updated = await updateVideoDetails(context.db, video, request.body, actorOf(request));
    response.json(videoView(updated, principal));
  };
}

function removeVideo(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const video = await visibleVideo(context, request);
    if (!may(principal, 'video.edit', video)) throw new LecternError('permission.denied');
    await deleteVideo(context.db, context.media, video, actorOf(request));
    request.log.info({ event: 'video.deleted', videoId: video.id });
    response.status(204).end();
  };
}
