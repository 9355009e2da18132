import type { Readable } from 'node:stream';
import { DataStore, Upload } from '@tus/utils';
import type { Knex } from 'knex';
import { LecternError } from '../../http/errors.ts';
import { resumeObjectSealer } from '../crypto/object-sealer.ts';
import {
  mediaKeys,
  originalObjectId,
  tenantKeyFor,
  type MediaServices,
} from '../media-services.ts';
import { writeChunks } from './chunk-writer.ts';
import { findUpload } from './upload-records.ts';
import { removeExpiredUploads, removeUpload } from './upload-maintenance.ts';

/** Plaintext chunks per part object: 64 chunks of 64 KiB make 4 MiB. */
const chunksPerPart = 64;

/**
 * The tus data store: every byte is sealed before it reaches storage, only whole chunks
 * count, and nothing about an upload rests in plaintext (its state is a database row; its
 * parts are ciphertext). Creation happens in the `onUploadCreate` hook, which knows who asks.
 */
export class EncryptingStore extends DataStore {
  readonly db: Knex;
  readonly media: MediaServices;

  constructor(db: Knex, media: MediaServices) {
    super();
    this.db = db;
    this.media = media;
    this.extensions = ['creation', 'creation-with-upload', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    // The row was written by the creation hook, in the transaction that checked the quota.
    if (!(await findUpload(this.db, upload.id))) throw new LecternError('resource.not_found');
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const record = await findUpload(this.db, id);
    if (!record) throw new LecternError('resource.not_found');
    return new Upload({
      id: record.id,
      size: record.length,
      offset: record.committed,
      metadata: record.metadata,
      creation_date: record.createdAt.toISOString(),
    });
  }

  override async write(body: Readable, id: string, offset: number): Promise<number> {
    const upload = await findUpload(this.db, id);
    if (!upload) throw new LecternError('resource.not_found');
    if (upload.committed !== offset) throw new LecternError('upload.offset_mismatch');
    if (upload.committed === upload.length) return upload.committed;

    const sealer = resumeObjectSealer({
      tenantKey: await tenantKeyFor(this.db, this.media, upload.tenantId),
      objectId: originalObjectId(upload.videoId),
      header: upload.header,
      nextChunkIndex: upload.committed / this.media.chunkSize,
    });
    return writeChunks(
      {
        db: this.db,
        storage: this.media.storage,
        upload,
        sealer,
        chunksPerPart,
        partKey: (firstChunk) => mediaKeys.uploadPart(upload.tenantId, upload.id, firstChunk),
      },
      body,
    );
  }

  /** Termination: the parts and the waiting video go; a finished upload is not touched. */
  override async remove(id: string): Promise<void> {
    const upload = await findUpload(this.db, id);
    if (!upload) throw new LecternError('resource.not_found');
    await removeUpload(this.db, this.media, upload);
  }

  override getExpiration(): number {
    return this.media.uploadLifetimeMs;
  }

  /** Removes unfinished uploads past their time, objects first, so that none is orphaned. */
  override async deleteExpired(): Promise<number> {
    return removeExpiredUploads(this.db, this.media);
  }
}
