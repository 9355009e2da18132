import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../../audit/audit-log.ts';
import type { videoStates } from '../../db/migrations/0003-media.ts';
import { LecternError } from '../../http/errors.ts';
import { isUuid } from '../../identity/users.ts';

export type VideoState = (typeof videoStates)[number];

export interface Video {
  id: string;
  tenantId: string;
  ownerId: string | null;
  title: string;
  description: string;
  state: VideoState;
  originalKey: string | null;
  originalSize: number | null;
  container: string | null;
  durationSeconds: number | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

interface VideoRow {
  id: string;
  tenant_id: string;
  owner_id: string | null;
  title: string;
  description: string;
  state: VideoState;
  original_key: string | null;
  original_size: string | number | null;
  container: string | null;
  duration_seconds: number | null;
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
}

export function toVideo(row: VideoRow): Video {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    title: row.title,
    description: row.description,
    state: row.state,
    originalKey: row.original_key,
    originalSize: row.original_size === null ? null : Number(row.original_size),
    container: row.container,
    durationSeconds: row.duration_seconds,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    publishedAt: row.published_at?.toISOString() ?? null,
  };
}

/** A new video, waiting for its upload. */
export async function createVideo(
  db: Knex,
  input: { id?: string; tenantId: string; ownerId: string; title: string; description?: string },
  actor: string,
): Promise<Video> {
  const [row] = (await db('videos')
    .insert({
      id: input.id ?? randomUUID(),
      tenant_id: input.tenantId,
      owner_id: input.ownerId,
      title: input.title,
      description: input.description ?? '',
      state: 'uploading',
    })
    .returning('*')) as VideoRow[];
  const video = toVideo(row as VideoRow);
  await recordAudit(db, {
    tenantId: video.tenantId,
    actor,
    action: 'video.create',
    subjectType: 'video',
    subjectId: video.id,
  });
  return video;
}

/** A video of the tenant, or nothing; another tenant's video is nothing too. */
export async function findVideo(db: Knex, tenantId: string, videoId: string) {
  if (!isUuid(videoId)) return undefined;
  const row = (await db('videos').where({ id: videoId, tenant_id: tenantId }).first()) as
    VideoRow | undefined;
  return row && toVideo(row);
}

/** The tenant's videos among these ids, by id, in one query (for lists that name videos). */
export async function findVideos(
  db: Knex,
  tenantId: string,
  videoIds: readonly string[],
): Promise<Map<string, Video>> {
  const ids = [...new Set(videoIds)].filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = (await db('videos').where({ tenant_id: tenantId }).whereIn('id', ids)) as VideoRow[];
  return new Map(rows.map((row) => [row.id, toVideo(row)]));
}

export async function requireVideo(db: Knex, tenantId: string, videoId: string): Promise<Video> {
  const video = await findVideo(db, tenantId, videoId);
  if (!video) throw new LecternError('resource.not_found');
  return video;
}

/** The tenant's videos, newest first; the caller filters by what the principal may see. */
export async function listVideos(
  db: Knex,
  tenantId: string,
  filter: {
    states?: VideoState[];
    ownerId?: string;
    /** Only videos in these states, or owned by this user. */
    visibleTo?: { userId: string; states: VideoState[] };
    limit: number;
    /** A cursor from `pageCursor`: only videos listed after that one. */
    before?: string;
  },
): Promise<(Video & { cursor: string })[]> {
  const query = db('videos')
    .where({ tenant_id: tenantId })
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
  if (filter.states) query.whereIn('state', filter.states);
  if (filter.ownerId) query.where({ owner_id: filter.ownerId });
  const visibleTo = filter.visibleTo;
  if (visibleTo) {
    query.where((inner) =>
      inner.whereIn('state', visibleTo.states).orWhere('owner_id', visibleTo.userId),
    );
  }
  const cursor = filter.before ? parseCursor(filter.before) : undefined;
  if (cursor) {
    // Microseconds and the id together: videos made in the same instant are neither lost nor repeated.
    query.whereRaw("(created_at, id) < (timestamptz 'epoch' + ? * interval '1 microsecond', ?)", [
      cursor.micros,
      cursor.id,
    ]);
  }
  query.select(
    '*',
    db.raw('(extract(epoch from created_at) * 1000000)::bigint::text as created_micros'),
  );
  const rows = (await query.limit(filter.limit)) as (VideoRow & { created_micros: string })[];
  return rows.map((row) => ({ ...toVideo(row), cursor: `${row.created_micros}.${row.id}` }));
}

/** Where a listing stopped, to go on from there; opaque to clients. */
export const cursorPattern =
  /^\d{1,20}\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function parseCursor(cursor: string): { micros: string; id: string } | undefined {
  if (!cursorPattern.test(cursor)) return undefined;
  const [micros, id] = cursor.split('.') as [string, string];
  return { micros, id };
}

export async function updateVideoDetails(
  db: Knex,
  video: Video,
  changes: { title?: string; description?: string },
  actor: string,
): Promise<Video> {
  return db.transaction(async (trx) => {
    const [row] = (await trx('videos')
      .where({ id: video.id, tenant_id: video.tenantId })
      .update({ ...changes, updated_at: trx.fn.now() })
      .returning('*')) as VideoRow[];
    if (!row) throw new LecternError('resource.not_found');
    await recordAudit(trx, {
      tenantId: video.tenantId,
      actor,
      action: 'video.edit',
      subjectType: 'video',
      subjectId: video.id,
      details: { fields: Object.keys(changes) },
    });
    return toVideo(row);
  });
}
