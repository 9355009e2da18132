import type { Knex } from 'knex';

/** One quality of a transcoded video, as the transcoder recorded it. */
export interface Rendition {
  id: string;
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  codecs: string;
  /** Storage key of the media playlist; its segments lie in the same folder. */
  playlistKey: string;
  /** The AES-128 content key, wrapped by the tenant key. */
  wrappedContentKey: Uint8Array;
}

interface RenditionRow {
  id: string;
  name: string;
  width: number;
  height: number;
  bandwidth: number;
  codecs: string;
  playlist_key: string;
  content_key: Uint8Array;
}

/** The video's renditions, lowest bandwidth first (players start with the first one listed). */
export async function renditionsOf(
  db: Knex,
  video: { tenantId: string; id: string },
): Promise<Rendition[]> {
  const rows = (await db('renditions')
    .where({ tenant_id: video.tenantId, video_id: video.id })
    .orderBy([{ column: 'bandwidth' }, { column: 'name' }])
    .select(
      'id',
      'name',
      'width',
      'height',
      'bandwidth',
      'codecs',
      'playlist_key',
      'content_key',
    )) as RenditionRow[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    width: row.width,
    height: row.height,
    bandwidth: row.bandwidth,
    codecs: row.codecs,
    playlistKey: row.playlist_key,
    wrappedContentKey: row.content_key,
  }));
}

/** The storage key of the video's sealed poster, if the transcoder made one. */
export async function posterKeyOf(
  db: Knex,
  video: { tenantId: string; id: string },
): Promise<string | null> {
  const row = (await db('videos')
    .where({ id: video.id, tenant_id: video.tenantId })
    .first('poster_key')) as { poster_key: string | null } | undefined;
  return row?.poster_key ?? null;
}
