import type { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { LecternError } from '../../http/errors.ts';
import { openRange, type ByteRange, type PlaintextStream } from '../../media/crypto/index.ts';
import { tenantKeyFor, type MediaServices } from '../../media/media-services.ts';
import { isStorageError } from '../../media/storage/storage-error.ts';
import { archiveObjectId, type TenantExport } from './export-records.ts';

/** A ready export's archive, or the error a client gets for an export in any other state. */
export function downloadableArchive(found: TenantExport, now = new Date()) {
  if (found.state === 'queued' || found.state === 'building') {
    throw new LecternError('export.not_ready');
  }
  if (found.state === 'failed') throw new LecternError('export.failed');
  const { archiveKey, archiveSize, etag, expiresAt } = found;
  if (found.state === 'expired' || !archiveKey || !expiresAt || expiresAt <= now) {
    throw new LecternError('export.expired');
  }
  return { key: archiveKey, size: archiveSize ?? 0, etag: `"${etag ?? found.id}"`, expiresAt };
}

/**
 * Which bytes to send for a Range header (RFC 9110): undefined for the whole archive. A
 * header that does not parse, or asks for several ranges, is ignored (a whole answer is
 * always allowed); one that lies wholly past the end is refused with 416. `If-Range` with
 * anything but the current ETag means the client holds another archive: the whole one then.
 */
export function requestedRange(
  header: string | undefined,
  ifRange: string | undefined,
  size: number,
  etag: string,
): ByteRange | undefined {
  if (!header) return undefined;
  if (ifRange !== undefined && ifRange !== etag) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;

  const [, first = '', last = ''] = match;
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) throw unsatisfiable(size);
    return { start: Math.max(size - length, 0), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || (last !== '' && Number(last) < start)) return undefined;
  if (start >= size) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): LecternError {
  return new LecternError('export.range_not_satisfiable', { details: { size } });
}

/** The archive's plaintext (or the range of it), decrypted chunk by chunk as it is read. */
export async function openArchive(
  db: Knex,
  media: MediaServices,
  found: TenantExport,
  archive: { key: string; size: number },
  range: ByteRange | undefined,
): Promise<PlaintextStream> {
  const tenantKey = await tenantKeyFor(db, media, found.tenantId);
  try {
    return await openRange({
      tenantKey,
      objectId: archiveObjectId(found.id, archive.key),
      plaintextLength: archive.size,
      range,
      readCiphertext: (start, end): Promise<Readable> =>
        media.storage.get(archive.key, { start, end }),
    });
  } catch (error) {
    // Removed between the row's read and this one: the expiry pass got there first.
    if (isStorageError(error, 'storage.not_found')) throw new LecternError('export.expired');
    throw error;
  }
}
