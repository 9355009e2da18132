import { randomBytes } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import type { Knex } from 'knex';
import yazl from 'yazl';
import type { Logger } from '../../http/logger.ts';
import { findTenant } from '../../identity/tenants.ts';
import { openObject, sealStream, type TenantKey } from '../../media/crypto/index.ts';
import { originalObjectId, tenantKeyFor, type MediaServices } from '../../media/media-services.ts';
import { openTrack } from '../../media/tracks/text-tracks.ts';
import {
  archiveObjectId,
  claimExport,
  completeExport,
  exportKeys,
  failExport,
  type TenantExport,
} from './export-records.ts';
import { exportAttempts, type ExportJob } from './export-queue.ts';
import { metadataEntries, type TextEntry } from './metadata.ts';
import { metadataSchema } from './metadata-schema.ts';
import { exportedVideos } from './tenant-records.ts';

/**
 * Works one `exports.build` job: builds the archive and stores it sealed, then marks the export
 * ready. A failed attempt is thrown so that pg-boss retries it; the last one marks it failed.
 */
export async function runExportJob(
  db: Knex,
  media: MediaServices,
  log: Logger,
  job: ExportJob,
): Promise<TenantExport | undefined> {
  const claimed = await claimExport(db, job.tenantId, job.exportId);
  if (!claimed) return undefined;
  const exportLog = log.child({ tenantId: claimed.tenantId, exportId: claimed.id });

  const started = Date.now();
  try {
    const ready = await buildArchive(db, media, claimed);
    exportLog.info({
      event: 'export.ready',
      entries: ready?.entries,
      bytes: ready?.archiveSize,
      seconds: (Date.now() - started) / 1000,
    });
    return ready;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : 'export.build_failed';
    if (claimed.attempts < exportAttempts) {
      exportLog.warn({
        event: 'export.retry',
        attempt: claimed.attempts,
        code: reason,
        err: error,
      });
      throw error;
    }
    exportLog.error({ event: 'export.failed', code: reason, err: error });
    await failExport(db, claimed, reason);
    return undefined;
  }
}

/**
 * Streams the zip through the sealer into storage; nothing of it is held whole or written in
 * plaintext. Each attempt writes an archive key of its own, and the export names it only once
 * the object is complete, so a killed attempt leaves at most an unnamed object that the
 * completing attempt removes.
 */
export async function buildArchive(
  db: Knex,
  media: MediaServices,
  claimed: TenantExport,
): Promise<TenantExport | undefined> {
  const tenant = await findTenant(db, claimed.tenantId);
  if (!tenant) throw Object.assign(new Error('The tenant is gone.'), { code: 'export.no_tenant' });
  const tenantKey = await tenantKeyFor(db, media, tenant.id);
  const key = exportKeys.archive(tenant.id, claimed.id, randomBytes(8).toString('hex'));

  const zip = new yazl.ZipFile();
  const plaintext = new PassThrough();
  let size = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(null, chunk);
    },
  });
  zip.on('error', (error: Error) => plaintext.destroy(error));
  (zip.outputStream as Readable).on('error', (error) => plaintext.destroy(error));
  zip.outputStream.pipe(counted).pipe(plaintext);

  let entries = 0;
  // The entries' sources open as the zip reaches them; a failed build closes what is open.
  const reading = new Set<Readable>();
  const adding = (async () => {
    const mtime = claimed.createdAt;
    zip.addBuffer(Buffer.from(readme(tenant.slug, claimed)), 'README.txt', { mtime });
    zip.addBuffer(
      Buffer.from(`${JSON.stringify(metadataSchema, null, 2)}\n`),
      'schema/metadata.schema.json',
      { mtime },
    );
    entries += 2;
    const input = { db, tenant, exportId: claimed.id, createdAt: claimed.createdAt };
    for (const entry of metadataEntries(input)) {
      addText(zip, entry, mtime);
      entries += 1;
    }
    for await (const { video, tracks, originalFile } of exportedVideos(db, tenant.id)) {
      if (originalFile && video.originalKey) {
        const originalKey = video.originalKey;
        // Video is compressed already: stored, and its length checked against the row.
        zip.addReadStreamLazy(
          originalFile,
          { compress: false, mtime, size: video.originalSize ?? undefined },
          (done) => handOver(openOriginal(media, tenantKey, video.id, originalKey), reading, done),
        );
        entries += 1;
      }
      for (const track of tracks) {
        zip.addReadStreamLazy(track.file, { compress: true, mtime }, (done) =>
          handOver(openTrack(db, media, video, track), reading, done),
        );
        entries += 1;
      }
    }
    zip.end();
  })().catch((error: unknown) => plaintext.destroy(error as Error));

  const sealed = sealStream(plaintext, {
    tenantKey,
    objectId: archiveObjectId(claimed.id, key),
    chunkSize: media.chunkSize,
  });
  try {
    await media.storage.put(key, sealed);
  } catch (error) {
    plaintext.destroy();
    for (const source of reading) source.destroy();
    await media.storage.delete(key).catch(() => undefined);
    throw error;
  }
  await adding;

  const ready = await completeExport(db, claimed, { key, size, entries });
  if (!ready) {
    // Another attempt finished first, or the export was expired meanwhile: this one is spare.
    await media.storage.delete(key).catch(() => undefined);
    return undefined;
  }
  for await (const stored of media.storage.list(exportKeys.folder(tenant.id, claimed.id))) {
    if (stored.key !== key) await media.storage.delete(stored.key).catch(() => undefined);
  }
  return ready;
}

async function openOriginal(
  media: MediaServices,
  tenantKey: TenantKey,
  videoId: string,
  originalKey: string,
): Promise<Readable> {
  return openObject({
    tenantKey,
    objectId: originalObjectId(videoId),
    ciphertext: await media.storage.get(originalKey),
  });
}

/** Gives yazl the stream once it is open, or the error that kept it shut; tracks it while open. */
function handOver(
  opening: Promise<Readable>,
  reading: Set<Readable>,
  done: (error: unknown, stream: NodeJS.ReadableStream) => void,
): void {
  opening.then(
    (stream) => {
      reading.add(stream);
      stream.once('close', () => reading.delete(stream));
      done(null, stream);
    },
    (error: unknown) => done(error, undefined as unknown as NodeJS.ReadableStream),
  );
}

/** A text entry, deflated; its lines are read only when the zip reaches it. */
function addText(zip: yazl.ZipFile, entry: TextEntry, mtime: Date): void {
  zip.addReadStreamLazy(entry.path, { compress: true, mtime }, (done) =>
    done(null, Readable.from(encoded(entry.lines()))),
  );
}

async function* encoded(lines: AsyncIterable<string>): AsyncGenerator<Buffer> {
  // Lines are small; gathered to about 64 KiB so that the deflater gets useful pieces.
  let pending: string[] = [];
  let length = 0;
  for await (const line of lines) {
    pending.push(line);
    length += line.length;
    if (length >= 65_536) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''), 'utf8');
}

function readme(slug: string, built: TenantExport): string {
  return [
    `Lectern export of "${slug}"`,
    `export ${built.id}, requested ${built.createdAt.toISOString()}`,
    '',
    'metadata.json                 everything but the media, as one JSON document',
    'schema/metadata.schema.json   its JSON Schema (draft 2020-12)',
    'csv/*.csv                     the same records as CSV, one file per kind',
    'videos/<id>/original.*        each video as it was uploaded, byte for byte',
    'videos/<id>/tracks/*.vtt      its captions, subtitles and chapters (WebVTT)',
    '',
    'Users appear as ids and roles only; quiz results name participants by id or pseudonym.',
    '',
  ].join('\n');
}
