import type { SendOptions } from '../../jobs/boss.ts';

export const exportBuildQueue = 'exports.build';
export const exportMaintainQueue = 'exports.maintain';

/** What an `exports.build` job carries: ids only. */
export interface ExportJob {
  tenantId: string;
  exportId: string;
}

/**
 * Three retries with growing pauses; the heartbeat brings a job whose worker died back within
 * a minute or two. An attempt may run for hours: a tenant's originals can be large.
 */
export const exportSendOptions = {
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 6 * 60 * 60,
  heartbeatSeconds: 10,
} satisfies SendOptions;

export const exportAttempts = exportSendOptions.retryLimit + 1;
