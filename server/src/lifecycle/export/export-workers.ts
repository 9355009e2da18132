import type { Knex } from 'knex';
import type { Logger } from '../../http/logger.ts';
import type { WorkerDefinition } from '../../jobs/workers.ts';
import type { MediaServices } from '../../media/media-services.ts';
import { runExportJob } from './build-export.ts';
import {
  exportsPastLifetime,
  exportsWaitingForJob,
  failAbandonedExports,
  markExpired,
  sendBuild,
  exportKeys,
} from './export-records.ts';
import {
  exportBuildQueue,
  exportMaintainQueue,
  exportSendOptions,
  type ExportJob,
} from './export-queue.ts';

/** The export's queues: building archives, and an hourly pass that expires and revives them. */
export function exportWorkers(context: {
  db: Knex;
  media: MediaServices;
  log: Logger;
}): WorkerDefinition[] {
  return [
    {
      // Retries and their timing are set where the job is sent (exportSendOptions).
      queue: exportBuildQueue,
      options: { batchSize: 1 },
      handler: async (job) => {
        await runExportJob(context.db, context.media, context.log.child({ jobId: job.id }), {
          tenantId: (job.data as ExportJob).tenantId,
          exportId: (job.data as ExportJob).exportId,
        });
      },
    },
    {
      queue: exportMaintainQueue,
      schedule: '47 * * * *',
      handler: async (_job, queue) => {
        const expired = await expireExports(context.db, context.media);
        // Requested where no queue ran: sent now, by a process that has one.
        for (const waiting of await exportsWaitingForJob(context.db, 30 * 60)) {
          await sendBuild(queue, waiting);
        }
        const abandoned = await failAbandonedExports(
          context.db,
          exportSendOptions.expireInSeconds + 3600,
        );
        if (expired + abandoned > 0) {
          context.log.info({ event: 'exports.maintained', expired, abandoned });
        }
      },
    },
  ];
}

/** Removes the archives of exports past their lifetime, objects first; answers how many. */
export async function expireExports(db: Knex, media: MediaServices): Promise<number> {
  let count = 0;
  for (const due of await exportsPastLifetime(db)) {
    await media.storage.deletePrefix(exportKeys.folder(due.tenantId, due.id));
    await markExpired(db, due);
    count += 1;
  }
  return count;
}
