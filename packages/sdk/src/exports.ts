// Customer exports as the server answers them (server/src/lifecycle/export/routes.ts).

export const exportStates = ['queued', 'building', 'ready', 'failed', 'expired'] as const;
export type ExportState = (typeof exportStates)[number];

/** One customer export: the archive of everything of the tenant, built by a job. */
export interface TenantExport {
  id: string;
  state: ExportState;
  createdAt: string;
  /** When the archive was complete; null before. */
  readyAt: string | null;
  /** Until when the archive can be downloaded; null until it is ready. */
  expiresAt: string | null;
  /** The archive's size in bytes, once ready. */
  size: number | null;
  /** How many files the archive holds, once ready. */
  entries: number | null;
  /** The error code of a failed export, such as `export.build_failed`. */
  error: string | null;
  /** The path of the download under the server's URL while the export is ready. */
  downloadUrl: string | null;
}

/** The tenant's latest 20 exports, newest first. */
export interface ExportList {
  exports: TenantExport[];
}

/** Which bytes of the archive to ask for, to resume a download cut short. */
export interface ExportDownloadOptions {
  /** The first byte wanted; the download answers from there to the end (206). */
  from?: number;
  /**
   * The archive's ETag from an earlier answer: should the archive be another one by now, the
   * server answers the whole of it (200) instead of the range.
   */
  ifRange?: string;
  signal?: AbortSignal;
}

/** The archive, or the part of it asked for, as it arrives. */
export interface ExportDownload {
  /** 206 for a range, 200 for the whole archive. */
  status: 200 | 206;
  /** Where `body` starts in the archive: 0 for the whole one. */
  start: number;
  /** How many bytes `body` holds. */
  length: number;
  /** The archive's ETag, for `ifRange` when resuming; null where the answer hides it. */
  etag: string | null;
  /** The file name the server suggests, such as `lectern-export-2025-06-01.zip`. */
  filename: string | null;
  body: ReadableStream<Uint8Array>;
}

export function isExportState(value: unknown): value is ExportState {
  return exportStates.includes(value as ExportState);
}
