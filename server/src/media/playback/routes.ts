import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../http/app-context.ts';
import { authenticate } from '../../http/auth.ts';
import { principalOf } from '../../http/context.ts';
import { LecternError } from '../../http/errors.ts';
import { validate } from '../../http/validation.ts';
import { isUuid } from '../../identity/users.ts';
import { openObject } from '../crypto/index.ts';
import { visibleVideo } from '../library/routes.ts';
import { tenantKeyFor } from '../media-services.ts';
import { unwrapContentKey } from '../processing/content-keys.ts';
import { posterObjectId } from '../processing/poster.ts';
import { isStorageError } from '../storage/storage-error.ts';
import { trackKinds } from '../../db/migrations/0006-text-tracks.ts';
import { findTrack, openTrack, tracksOf, type TrackKind } from '../tracks/text-tracks.ts';
import { trackLanguage } from '../tracks/routes.ts';
import { issuePlaybackToken, playbackKey } from './playback-tokens.ts';
import { masterPlaylist, playbackUrls, rewriteMediaPlaylist, segmentName } from './playlists.ts';
import { posterKeyOf, renditionsOf, type Rendition } from './renditions.ts';
import { currentAccess, tokenAccess } from './viewer-access.ts';

const videoParams = z.object({ videoId: z.string().min(1).max(64) });
const tokenParams = z.object({ token: z.string().min(1).max(1024) });
const renditionParams = tokenParams.extend({
  rendition: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/),
});
const segmentParams = renditionParams.extend({ segment: z.string().regex(segmentName) });
const trackParams = tokenParams.extend({ kind: z.enum(trackKinds), language: trackLanguage });

const playlistType = 'application/vnd.apple.mpegurl';
// Segments are ciphertext and never change; a browser may keep them.
const segmentCaching = 'private, max-age=3600';

/**
 * Playback: a signed-in viewer asks for a video's playback URLs; everything under them
 * (playlists, keys, segments, poster) is opened by the playback token in the path, so that
 * native HLS players, which send no headers, work too.
 */
export function playbackRoutes(context: AppContext): Router {
  const router = Router();
  const signedIn = authenticate(context.db, context.signer);
  const key = playbackKey(context.signer);

  router.get(
    '/videos/:videoId/playback',
    signedIn,
    validate({ params: videoParams }),
    startPlayback(context, key),
  );
  router.get(
    '/playback/:token/master.m3u8',
    validate({ params: tokenParams }),
    async (req, res) => {
      const { video } = await currentAccess(context.db, key, context.signer.issuer, token(req));
      const urls = playbackUrls(context.signer.issuer, token(req));
      const renditions = await renditionsOf(context.db, video);
      if (renditions.length === 0) throw new LecternError('playback.not_ready');
      res.set({ 'Content-Type': playlistType, 'Cache-Control': 'no-store' });
      res.send(masterPlaylist(renditions, urls));
    },
  );
  router.get('/playback/:token/poster.jpg', validate({ params: tokenParams }), async (req, res) => {
    const { video } = await currentAccess(context.db, key, context.signer.issuer, token(req));
    const posterKey = await posterKeyOf(context.db, video);
    if (!posterKey) throw new LecternError('resource.not_found');
    const tenantKey = await tenantKeyFor(context.db, context.media, video.tenantId);
    const poster = await openObject({
      tenantKey,
      objectId: posterObjectId(video.id),
      ciphertext: await stored(context, posterKey),
    });
    res.set({ 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, no-store' });
    await send(req, res, poster);
  });
  router.get(
    '/playback/:token/tracks/:kind/:language',
    validate({ params: trackParams }),
    async (req, res) => {
      // Captions are part of the video: the same live check as its keys.
      const { video } = await currentAccess(context.db, key, context.signer.issuer, token(req));
      const kind = req.params.kind as TrackKind;
      const track = await findTrack(context.db, video, kind, req.params.language as string);
      if (!track) throw new LecternError('resource.not_found');
      res.set({ 'Content-Type': 'text/vtt; charset=utf-8', 'Cache-Control': 'no-store' });
      await send(req, res, await openTrack(context.db, context.media, video, track));
    },
  );
  router.get(
    '/playback/:token/:rendition/index.m3u8',
    validate({ params: renditionParams }),
    async (req, res) => {
      const { video } = await currentAccess(context.db, key, context.signer.issuer, token(req));
      const rendition = await renditionNamed(context, video, req);
      const playlist = await streamText(await stored(context, rendition.playlistKey));
      const urls = playbackUrls(context.signer.issuer, token(req));
      res.set({ 'Content-Type': playlistType, 'Cache-Control': 'no-store' });
      res.send(rewriteMediaPlaylist(playlist, rendition.name, urls));
    },
  );
  router.get(
    '/playback/:token/:rendition/key',
    validate({ params: renditionParams }),
    async (req, res) => {
      // The one answer that turns ciphertext into video: the policy is asked every time.
      const { video } = await currentAccess(context.db, key, context.signer.issuer, token(req));
      const rendition = await renditionNamed(context, video, req);
      const tenantKey = await tenantKeyFor(context.db, context.media, video.tenantId);
      const contentKey = unwrapContentKey(
        tenantKey,
        { videoId: video.id, renditionName: rendition.name },
        Buffer.from(rendition.wrappedContentKey),
      );
      res.set({ 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.send(contentKey);
    },
  );
  router.get(
    '/playback/:token/:rendition/:segment',
    validate({ params: segmentParams }),
    async (req, res) => {
      const grant = tokenAccess(key, context.signer.issuer, token(req));
      const rendition = await renditionNamed(
        context,
        { tenantId: grant.tenantId, id: grant.videoId },
        req,
      );
      const folder = rendition.playlistKey.slice(0, rendition.playlistKey.lastIndexOf('/') + 1);
      // TODO: on S3, answer with a short presigned redirect instead of passing every segment
      // through the API process; today each segment costs the server its bandwidth.
      const segment = await stored(context, `${folder}${req.params.segment as string}`);
      res.set({ 'Content-Type': 'video/mp2t', 'Cache-Control': segmentCaching });
      await send(req, res, segment);
    },
  );
  return router;
}

function startPlayback(context: AppContext, key: ReturnType<typeof playbackKey>) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    // A playback token names a person, whose access is checked again at every key.
    if (principal.kind !== 'user') throw new LecternError('permission.denied');
    const video = await visibleVideo(context, request);
    const renditions = await renditionsOf(context.db, video);
    if (renditions.length === 0 || video.state === 'processing') {
      throw new LecternError('playback.not_ready');
    }

    const issuer = context.signer.issuer;
    const { token, expiresAt } = issuePlaybackToken(key, issuer, {
      userId: principal.id,
      tenantId: principal.tenantId,
      videoId: video.id,
    });
    const urls = playbackUrls(issuer, token);
    const posterKey = await posterKeyOf(context.db, video);
    const tracks = await tracksOf(context.db, video);
    request.log.info({ event: 'playback.started', videoId: video.id });
    response.set('Cache-Control', 'no-store').json({
      playlistUrl: urls.master,
      posterUrl: posterKey ? urls.poster : null,
      expiresAt: expiresAt.toISOString(),
      renditions: renditions.map(({ name, width, height }) => ({ name, width, height })),
      tracks: tracks.map(({ kind, language, label }) => ({
        kind,
        language,
        label,
        url: urls.track(kind, language),
      })),
    });
  };
}

function token(request: Request): string {
  return request.params.token as string;
}

/** A rendition of the video by its name in the renditions table; nothing else is served. */
async function renditionNamed(
  context: AppContext,
  video: { tenantId: string; id: string },
  request: Request,
): Promise<Rendition> {
  if (!isUuid(video.id)) throw new LecternError('resource.not_found');
  const renditions = await renditionsOf(context.db, video);
  const rendition = renditions.find((candidate) => candidate.name === request.params.rendition);
  if (!rendition) throw new LecternError('resource.not_found');
  return rendition;
}

async function stored(context: AppContext, key: string): Promise<Readable> {
  try {
    return await context.media.storage.get(key);
  } catch (error) {
    if (isStorageError(error, 'storage.not_found')) throw new LecternError('resource.not_found');
    throw error;
  }
}

async function streamText(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Streams a body; a viewer who stops watching mid-way is not an error of the server. */
async function send(request: Request, response: Response, body: Readable): Promise<void> {
  try {
    await pipeline(body, response);
  } catch (error) {
    if (!response.headersSent) throw error;
    request.log.debug({ event: 'playback.stream_ended', err: error });
  }
}
