import { pipeline } from 'node:stream/promises';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { trackKinds } from '../../db/migrations/0006-text-tracks.ts';
import type { AppContext } from '../../http/app-context.ts';
import { authenticate, authorize } from '../../http/auth.ts';
import { actorOf, principalOf } from '../../http/context.ts';
import { LecternError } from '../../http/errors.ts';
import { validate } from '../../http/validation.ts';
import { may } from '../../identity/policy.ts';
import { visibleVideo } from '../library/routes.ts';
import { checkWebVtt } from './webvtt.ts';
import {
  deleteTrack,
  findTrack,
  openTrack,
  saveTrack,
  tracksOf,
  type TextTrack,
  type TrackKind,
} from './text-tracks.ts';

/** A WebVTT file of this many characters is hours of dense captions. */
export const maxTrackCharacters = 1_048_576;

/** A BCP 47 tag as players use it (`de`, `en-GB`, `zh-Hant-TW`), in its canonical case. */
export const trackLanguage = z
  .string()
  .regex(/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,2}$/, 'use a language tag such as de or en-GB')
  .transform((tag, context) => {
    try {
      return Intl.getCanonicalLocales(tag)[0] as string;
    } catch {
      context.addIssue({ code: 'custom', message: 'use a language tag such as de or en-GB' });
      return z.NEVER;
    }
  });

const trackParams = z.object({
  videoId: z.string().min(1).max(64),
  kind: z.enum(trackKinds),
  language: trackLanguage,
});
const videoParams = z.object({ videoId: z.string().min(1).max(64) });
const trackBody = z.strictObject({
  vtt: z.string().min(1).max(maxTrackCharacters),
  label: z.string().trim().min(1).max(80).optional(),
});

/**
 * Captions, subtitles and chapters: WebVTT files an author adds to a video, one per kind and
 * language, stored sealed like everything else of the video. Players get them through the
 * playback token (see playback routes); these routes are for the people who manage them.
 */
export function trackRoutes(context: AppContext): Router {
  const router = Router();
  const signedIn = authenticate(context.db, context.signer);
  // Its own body limit: a long video's captions outgrow the API's default for JSON.
  const body = express.json({ limit: maxTrackCharacters * 2, strict: true });

  router.get('/videos/:videoId/tracks', signedIn, validate({ params: videoParams }), list(context));
  router.get(
    '/videos/:videoId/tracks/:kind/:language',
    signedIn,
    validate({ params: trackParams }),
    download(context),
  );
  router.put(
    '/videos/:videoId/tracks/:kind/:language',
    signedIn,
    authorize('video.edit'),
    body,
    validate({ params: trackParams, body: trackBody }),
    save(context),
  );
  router.delete(
    '/videos/:videoId/tracks/:kind/:language',
    signedIn,
    authorize('video.edit'),
    validate({ params: trackParams }),
    remove(context),
  );
  return router;
}

/** What a track looks like in the API; where it is stored stays inside. */
export function trackView(track: TextTrack) {
  return {
    kind: track.kind,
    language: track.language,
    label: track.label,
    cues: track.cues,
    bytes: track.bytes,
    updatedAt: track.updatedAt.toISOString(),
  };
}

function list(context: AppContext) {
  return async (request: Request, response: Response) => {
    const video = await visibleVideo(context, request);
    response.json({ tracks: (await tracksOf(context.db, video)).map(trackView) });
  };
}

function download(context: AppContext) {
  return async (request: Request, response: Response) => {
    const video = await visibleVideo(context, request);
    const { kind, language } = trackOf(request);
    const track = await findTrack(context.db, video, kind, language);
    if (!track) throw new LecternError('resource.not_found');
    const text = await openTrack(context.db, context.media, video, track);
    response.set({ 'Content-Type': 'text/vtt; charset=utf-8', 'Cache-Control': 'no-store' });
    await pipeline(text, response);
  };
}

function save(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const video = await visibleVideo(context, request);
    if (!may(principal, 'video.edit', video)) throw new LecternError('permission.denied');
    const { kind, language } = trackOf(request);
    const { vtt, label } = request.body as z.infer<typeof trackBody>;

    const checked = checkWebVtt(vtt);
    if (!checked.ok) {
      throw new LecternError('track.invalid_webvtt', {
        message: `The WebVTT file is not valid: ${checked.problem.reason} (line ${checked.problem.line}).`,
        details: checked.problem,
      });
    }
    const existed = (await findTrack(context.db, video, kind, language)) !== undefined;
    const track = await saveTrack(
      context.db,
      context.media,
      video,
      {
        kind,
        language,
        label: label ?? defaultLabel(language),
        text: checked.text,
        cues: checked.cues.length,
      },
      actorOf(request),
    );
    request.log.info({ event: 'video.track_saved', videoId: video.id, kind, language });
    response.status(existed ? 200 : 201).json(trackView(track));
  };
}

function remove(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const video = await visibleVideo(context, request);
    if (!may(principal, 'video.edit', video)) throw new LecternError('permission.denied');
    const { kind, language } = trackOf(request);
    const removed = await deleteTrack(
      context.db,
      context.media,
      video,
      kind,
      language,
      actorOf(request),
    );
    if (!removed) throw new LecternError('resource.not_found');
    response.status(204).end();
  };
}

function trackOf(request: Request): { kind: TrackKind; language: string } {
  return {
    kind: request.params.kind as TrackKind,
    language: request.params.language as string,
  };
}

/** The language's own name, as a menu of languages shows it: "Deutsch", "English (UK)". */
function defaultLabel(language: string): string {
  const name = new Intl.DisplayNames([language], { type: 'language' }).of(language) ?? language;
  return name.charAt(0).toLocaleUpperCase(language) + name.slice(1);
}
