import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { recordAudit } from '../../audit/audit-log.ts';
import type { trackKinds } from '../../db/migrations/0006-text-tracks.ts';
import { LecternError } from '../../http/errors.ts';
import { openObject, sealStream } from '../crypto/index.ts';
import { mediaKeys, tenantKeyFor, type MediaServices } from '../media-services.ts';
import { isStorageError } from '../storage/storage-error.ts';

export type TrackKind = (typeof trackKinds)[number];

/** A WebVTT file of a video: captions or subtitles in one language, or its chapters. */
export interface TextTrack {
  kind: TrackKind;
  language: string;
  label: string;
  cues: number;
  bytes: number;
  updatedAt: Date;
  objectKey: string;
}

interface TrackRow {
  kind: TrackKind;
  language: string;
  label: string;
  cues: number;
  bytes: number;
  updated_at: Date | string;
  object_key: string;
}

type VideoRef = { tenantId: string; id: string };

/** Enough for every language a video is likely to be captioned in, with chapters in each. */
export const maxTracksPerVideo = 40;

/** The id a track's file is sealed under: one per version, named in its object key. */
const trackObjectId = (videoId: string, objectKey: string) =>
  `video:${videoId}:track:${objectKey.slice(objectKey.lastIndexOf('/') + 1)}`;

export async function tracksOf(db: Knex, video: VideoRef): Promise<TextTrack[]> {
  const rows = (await db('text_tracks')
    .where({ tenant_id: video.tenantId, video_id: video.id })
    .orderBy([{ column: 'kind' }, { column: 'language' }])
    .select(
      'kind',
      'language',
      'label',
      'cues',
      'bytes',
      'updated_at',
      'object_key',
    )) as TrackRow[];
  return rows.map((row) => ({
    kind: row.kind,
    language: row.language,
    label: row.label,
    cues: row.cues,
    bytes: row.bytes,
    updatedAt: new Date(row.updated_at),
    objectKey: row.object_key,
  }));
}

export async function findTrack(
  db: Knex,
  video: VideoRef,
  kind: TrackKind,
  language: string,
): Promise<TextTrack | undefined> {
  return (await tracksOf(db, video)).find(
    (track) => track.kind === kind && track.language === language,
  );
}

/**
 * Stores a checked WebVTT file sealed under a fresh key, then points the track's row at it
 * in one transaction; the version it replaces is removed only after that. A crash in
 * between leaves at most an unnamed object in the video's folder, which goes with the video.
 */
export async function saveTrack(
  db: Knex,
  media: MediaServices,
  video: VideoRef,
  input: { kind: TrackKind; language: string; label: string; text: string; cues: number },
  actor: string,
): Promise<TextTrack> {
  const existing = await tracksOf(db, video);
  const previous = existing.find(
    (track) => track.kind === input.kind && track.language === input.language,
  );
  if (!previous && existing.length >= maxTracksPerVideo) {
    throw new LecternError('track.too_many');
  }

  const objectKey = `${mediaKeys.video(video.tenantId, video.id)}tracks/${randomUUID()}.vtt`;
  const plaintext = Buffer.from(input.text, 'utf8');
  const tenantKey = await tenantKeyFor(db, media, video.tenantId);
  await media.storage.put(
    objectKey,
    sealStream(plaintext, { tenantKey, objectId: trackObjectId(video.id, objectKey) }),
  );

  try {
    await db.transaction(async (trx) => {
      await trx('text_tracks')
        .insert({
          id: randomUUID(),
          tenant_id: video.tenantId,
          video_id: video.id,
          kind: input.kind,
          language: input.language,
          label: input.label,
          object_key: objectKey,
          cues: input.cues,
          bytes: plaintext.length,
        })
        .onConflict(['video_id', 'kind', 'language'])
        .merge(['label', 'object_key', 'cues', 'bytes', 'updated_at']);
      await recordAudit(trx, {
        tenantId: video.tenantId,
        actor,
        action: 'video.track_saved',
        subjectType: 'video',
        subjectId: video.id,
        details: { kind: input.kind, language: input.language, cues: input.cues },
      });
    });
  } catch (error) {
    await media.storage.delete(objectKey).catch(() => undefined);
    // The video went away meanwhile (its rows cascade): nothing is left to caption.
    if (isForeignKeyViolation(error)) throw new LecternError('resource.not_found');
    throw error;
  }
  if (previous) await media.storage.delete(previous.objectKey).catch(() => undefined);

  const saved = await findTrack(db, video, input.kind, input.language);
  if (!saved) throw new LecternError('resource.not_found');
  return saved;
}

/** Removes a track's row, then its file; answers whether there was one. */
export async function deleteTrack(
  db: Knex,
  media: MediaServices,
  video: VideoRef,
  kind: TrackKind,
  language: string,
  actor: string,
): Promise<boolean> {
  const track = await findTrack(db, video, kind, language);
  if (!track) return false;
  await db.transaction(async (trx) => {
    await trx('text_tracks')
      .where({ tenant_id: video.tenantId, video_id: video.id, kind, language })
      .delete();
    await recordAudit(trx, {
      tenantId: video.tenantId,
      actor,
      action: 'video.track_deleted',
      subjectType: 'video',
      subjectId: video.id,
      details: { kind, language },
    });
  });
  await media.storage.delete(track.objectKey).catch(() => undefined);
  return true;
}

/** The track's WebVTT text, opened from its sealed file. */
export async function openTrack(
  db: Knex,
  media: MediaServices,
  video: VideoRef,
  track: TextTrack,
): Promise<Readable> {
  const tenantKey = await tenantKeyFor(db, media, video.tenantId);
  let ciphertext: Readable;
  try {
    ciphertext = await media.storage.get(track.objectKey);
  } catch (error) {
    if (isStorageError(error, 'storage.not_found')) throw new LecternError('resource.not_found');
    throw error;
  }
  return openObject({
    tenantKey,
    objectId: trackObjectId(video.id, track.objectKey),
    ciphertext,
  });
}

function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23503';
}
