import type { TenantExport, Translator } from '@lectern/sdk';
import type { LoadState } from '../studio-element.js';
import type { DownloadProgress } from './archive-download.js';
import { formatBytes, formatMoment } from './export-format.js';
import type { ExportMessageKey } from './messages.js';

/** What the export element is doing, as far as its status line tells. */
export interface ExportActivity {
  loadState: LoadState;
  /** The export shown. */
  current: TenantExport | undefined;
  requesting: boolean;
  progress: DownloadProgress | undefined;
  /** The export whose archive was last saved, and the file's name. */
  saved: { exportId: string; file: File } | undefined;
  downloading: boolean;
}

/** The polite live region's sentence: what is under way, or how the export shown stands. */
export function exportStatus(t: Translator<ExportMessageKey>, activity: ExportActivity): string {
  const found = activity.current;
  if (activity.loadState === 'loading') return t('export.loading');
  if (activity.requesting) return t('export.requesting');
  if (activity.progress?.resuming) return t('export.resuming');
  if (activity.saved && activity.saved.exportId === found?.id && !activity.downloading) {
    return t('export.downloaded', { file: activity.saved.file.name });
  }
  if (!found) return '';
  switch (found.state) {
    case 'queued':
      return t('export.queued');
    case 'building':
      return t('export.building');
    case 'ready':
      return t('export.ready', {
        date: formatMoment(found.createdAt, t.lang),
        size: formatBytes(found.size ?? 0, t.lang),
        entries: found.entries ?? 0,
      });
    case 'failed':
      return t('export.failed', { code: found.error ?? 'export.failed' });
    case 'expired':
      return t('export.expiredNote');
  }
}
