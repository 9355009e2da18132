import type { Knex } from 'knex';
import type { Logger } from '../http/logger.ts';
import { purgeExpiredLtiRecords } from '../lti/maintenance.ts';
import type { MediaServices } from '../media/media-services.ts';
import {
  transcodeQueue,
  transcodeVideo,
  type TranscodeJob,
} from '../media/processing/transcode-video.ts';
import {
  finishAbandonedUploads,
  removeExpiredUploads,
} from '../media/upload/upload-maintenance.ts';
import type { JobQueue, QueuedJob, WorkOptions } from './boss.ts';

/**
 * A queue and the function that works its jobs; each domain contributes its own. The handler
 * gets the queue too, for work that enqueues more work.
 */
export interface WorkerDefinition<T extends object = object> {
  queue: string;
  handler: (job: QueuedJob<T>, queue: JobQueue) => Promise<void>;
  options?: WorkOptions;
  /** A cron line (UTC) when the queue's work is periodic. */
  schedule?: string;
}

/** What workers work with. */
export interface WorkerContext {
  db: Knex;
  media: MediaServices;
  log: Logger;
}

/** Every domain's workers; processing, lifecycle and grade passback add theirs here. */
export function workerDefinitions(context: WorkerContext): WorkerDefinition[] {
  return [
    {
      // Unfinished uploads past their lifetime go, objects first; finished ones left half-done
      // by a dying process are completed.
      queue: 'uploads.maintain',
      schedule: '*/5 * * * *',
      handler: async (_job, queue) => {
        const removed = await removeExpiredUploads(context.db, context.media);
        if (removed > 0) context.log.info({ event: 'uploads.expired', removed });
        await finishAbandonedUploads(context.db, context.media, queue, context.log);
      },
    },
    {
      queue: 'lti.maintain',
      schedule: '17 * * * *',
      handler: async () => {
        const purged = await purgeExpiredLtiRecords(context.db);
        context.log.info({ event: 'lti.purged', ...purged });
      },
    },
    {
      // Retries and their timing are set where the job is sent (transcodeSendOptions).
      queue: transcodeQueue,
      options: { batchSize: 1 },
      handler: (job) =>
        transcodeVideo(context.db, context.media, context.log.child({ jobId: job.id }), {
          tenantId: (job.data as TranscodeJob).tenantId,
          videoId: (job.data as TranscodeJob).videoId,
        }),
    },
  ];
}

/** Creates each queue and starts its worker; logs a line per job outcome with ids only. */
export async function startWorkers(
  queue: JobQueue,
  log: Logger,
  definitions: WorkerDefinition[],
): Promise<void> {
  for (const definition of definitions) {
    await queue.createQueue(definition.queue);
    if (definition.schedule) await queue.schedule(definition.queue, definition.schedule);
    await queue.work(
      definition.queue,
      async (job) => {
        const jobLog = log.child({ queue: job.queue, jobId: job.id });
        try {
          await definition.handler(job, queue);
          jobLog.info({ event: 'job.completed' });
        } catch (error) {
          jobLog.warn({ event: 'job.failed', err: error });
          throw error;
        }
      },
      definition.options,
    );
  }
  log.info({ event: 'workers.started', queues: definitions.map((d) => d.queue) });
}
