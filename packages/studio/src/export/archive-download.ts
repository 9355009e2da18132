import { LecternApiError, type LecternClient, type TenantExport } from '@lectern/sdk';

/** A downloaded archive, held by the browser (which may keep a large one on disk). */
export interface DownloadedArchive {
  file: File;
}

export interface DownloadProgress {
  received: number;
  size: number;
  /** True while a dropped connection is being resumed. */
  resuming: boolean;
}

// How often a dropped connection is resumed before the download gives up, and the pauses.
const attempts = 5;
const pauseMs = (attempt: number) => Math.min(500 * 2 ** attempt, 8000);
// Bytes gathered before they are handed to a Blob, so that script memory stays small.
const foldBytes = 8 * 1024 * 1024;

/**
 * Downloads a ready export's archive with the Bearer header, resuming with `Range` and
 * `If-Range` where the connection drops. Should the server answer with a whole archive (it
 * holds another one by now), what came before is dropped and the new one read from its start.
 *
 * TODO: the archive ends up in a Blob, which Chromium keeps on disk when large but other
 * browsers may hold in memory; streaming into `showSaveFilePicker` where it exists would
 * keep memory flat for archives of many gigabytes.
 */
export async function downloadArchive(
  api: LecternClient,
  found: TenantExport,
  onProgress: (progress: DownloadProgress) => void,
  signal: AbortSignal,
): Promise<DownloadedArchive> {
  const size = found.size ?? 0;
  const folded: Blob[] = [];
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let received = 0;
  let etag: string | undefined;
  let filename = `lectern-export-${found.createdAt.slice(0, 10)}.zip`;

  const fold = () => {
    if (pending.length > 0) folded.push(new Blob(pending as BlobPart[]));
    pending = [];
    pendingBytes = 0;
  };

  for (let attempt = 0; ; attempt += 1) {
    try {
      const answer = await api.downloadExport(found.id, {
        from: received,
        ...(etag ? { ifRange: etag } : {}),
        signal,
      });
      if (answer.start !== received) {
        // Another archive answered whole: what was received belongs to the old one.
        folded.length = 0;
        pending = [];
        pendingBytes = 0;
        received = 0;
      }
      etag = answer.etag ?? etag;
      filename = answer.filename ?? filename;

      const reader = answer.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending.push(value);
        pendingBytes += value.length;
        received += value.length;
        if (pendingBytes >= foldBytes) fold();
        onProgress({ received, size, resuming: false });
      }
      fold();
      if (received >= size) break;
      // The stream ended early without an error: resume from where it stopped.
      throw new LecternApiError({
        code: 'network.failed',
        status: 0,
        message: 'The download ended before the whole archive came.',
      });
    } catch (error) {
      if (signal.aborted) throw error;
      if (!isDropped(error)) throw error;
      fold();
      if (attempt + 1 >= attempts) {
        throw new LecternApiError(
          {
            code: 'export.download_incomplete',
            status: 0,
            message: 'The download broke off several times; check the connection and try again.',
          },
          { cause: error },
        );
      }
      onProgress({ received, size, resuming: true });
      await new Promise((resolve) => setTimeout(resolve, pauseMs(attempt)));
    }
  }
  return { file: new File(folded, filename, { type: 'application/zip' }) };
}

/** A connection that dropped (worth resuming), as opposed to a refusal by the server. */
function isDropped(error: unknown): boolean {
  if (error instanceof LecternApiError) return error.code === 'network.failed';
  // A stream cut midway rejects `read()` with a TypeError.
  return error instanceof TypeError;
}
