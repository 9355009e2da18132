import type { Knex } from 'knex';

/** An upload as the database keeps it. */
export interface UploadRecord {
  id: string;
  tenantId: string;
  videoId: string;
  ownerId: string | null;
  length: number;
  committed: number;
  header: Buffer;
  metadata: Record<string, string>;
  pendingFrom: number | null;
  pendingHashes: Buffer | null;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

interface UploadRow {
  id: string;
  tenant_id: string;
  video_id: string;
  owner_id: string | null;
  length: string | number;
  committed: string | number;
  header: Uint8Array;
  metadata: Record<string, string>;
  pending_from: string | number | null;
  pending_hashes: Uint8Array | null;
  created_at: Date;
  expires_at: Date;
  completed_at: Date | null;
}

function toRecord(row: UploadRow): UploadRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    videoId: row.video_id,
    ownerId: row.owner_id,
    length: Number(row.length),
    committed: Number(row.committed),
    header: Buffer.from(row.header),
    metadata: row.metadata,
    pendingFrom: row.pending_from === null ? null : Number(row.pending_from),
    pendingHashes: row.pending_hashes && Buffer.from(row.pending_hashes),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    completedAt: row.completed_at,
  };
}

export async function insertUpload(
  db: Knex,
  upload: Omit<
    UploadRecord,
    'committed' | 'pendingFrom' | 'pendingHashes' | 'createdAt' | 'completedAt'
  >,
): Promise<void> {
  await db('uploads').insert({
    id: upload.id,
    tenant_id: upload.tenantId,
    video_id: upload.videoId,
    owner_id: upload.ownerId,
    length: upload.length,
    header: upload.header,
    metadata: JSON.stringify(upload.metadata),
    expires_at: upload.expiresAt,
  });
}

export async function findUpload(db: Knex, id: string): Promise<UploadRecord | undefined> {
  const row = (await db('uploads').where({ id }).first()) as UploadRow | undefined;
  return row && toRecord(row);
}

/**
 * Records the chunks about to leave the process, if nobody moved the upload since `seen` was
 * read. Answers false when another writer got there first.
 */
export async function reservePending(
  db: Knex,
  seen: UploadRecord,
  pendingFrom: number,
  hashes: Buffer,
): Promise<boolean> {
  const updated = await db('uploads')
    .where({ id: seen.id, committed: seen.committed })
    .whereRaw('pending_from is not distinct from ?', [seen.pendingFrom])
    .whereRaw('pending_hashes is not distinct from ?', [seen.pendingHashes])
    .update({ pending_from: pendingFrom, pending_hashes: hashes });
  return updated === 1;
}

/** Makes a stored part count: the committed offset moves on, the reservation is spent. */
export async function commitPart(
  db: Knex,
  seen: { id: string; committed: number; pendingHashes: Buffer },
  part: {
    firstChunk: number;
    chunkCount: number;
    storageKey: string;
    size: number;
    committed: number;
  },
  leftoverHashes: Buffer | null,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const updated = await trx('uploads')
      .where({ id: seen.id, committed: seen.committed })
      .whereRaw('pending_hashes = ?', [seen.pendingHashes])
      .update({
        committed: part.committed,
        pending_from: leftoverHashes ? part.firstChunk + part.chunkCount : null,
        pending_hashes: leftoverHashes,
      });
    if (updated !== 1) return false;
    await trx('upload_parts')
      .insert({
        upload_id: seen.id,
        first_chunk: part.firstChunk,
        chunk_count: part.chunkCount,
        storage_key: part.storageKey,
        size: part.size,
      })
      .onConflict(['upload_id', 'first_chunk'])
      .merge();
    return true;
  });
}

export interface StoredPart {
  firstChunk: number;
  chunkCount: number;
  storageKey: string;
  size: number;
}

export async function partsOf(db: Knex, uploadId: string): Promise<StoredPart[]> {
  const rows = (await db('upload_parts').where({ upload_id: uploadId }).orderBy('first_chunk')) as {
    first_chunk: string | number;
    chunk_count: number;
    storage_key: string;
    size: string | number;
  }[];
  return rows.map((row) => ({
    firstChunk: Number(row.first_chunk),
    chunkCount: row.chunk_count,
    storageKey: row.storage_key,
    size: Number(row.size),
  }));
}

/** Bytes a tenant has stored or promised to upload, for the quota. */
export async function tenantUsage(db: Knex, tenantId: string): Promise<number> {
  const [stored] = (await db('videos')
    .where({ tenant_id: tenantId })
    .sum({ total: 'original_size' })) as { total: string | null }[];
  const [pending] = (await db('uploads')
    .where({ tenant_id: tenantId })
    .whereNull('completed_at')
    .sum({ total: 'length' })) as { total: string | null }[];
  return Number(stored?.total ?? 0) + Number(pending?.total ?? 0);
}

export async function expiredUploads(db: Knex, now: Date): Promise<UploadRecord[]> {
  const rows = (await db('uploads')
    .whereNull('completed_at')
    .where('expires_at', '<', now)
    .limit(100)) as UploadRow[];
  return rows.map(toRecord);
}
