import type { Knex } from 'knex';
import { securityCheckWorkers } from '../audit/security-check-worker.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../http/logger.ts';
import { exportWorkers } from '../lifecycle/export/export-workers.ts';
import { purgeExpiredLtiRecords } from '../lti/maintenance.ts';
import type { LtiServices } from '../lti/services.ts';
import { resumeStalledTerminations } from '../lifecycle/termination/terminate-tenant.ts';
import type { MediaServices } from '../media/media-services.ts';
import {
  gradePostQueue,
  gradeSweepQueue,
  postGrade,
  sweepGradePosts,
  type GradePostJob,
} from '../quizzes/grade-posts.ts';
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
  /** For work that talks to an LMS: quiz grades. */
  lti: LtiServices;
  /** The configuration; the security check runs on its schedule only where it is given. */
  config?: Config;
  /** Where the running instance answers HTTP, for the security check's live probes. */
  instanceUrl?: () => string;
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
      // Retries and their timing are set where the job is sent (queueGradePosts).
      queue: gradePostQueue,
      handler: (job) =>
        postGrade(
          { db: context.db, lti: context.lti },
          context.log.child({ jobId: job.id }),
          job.data as GradePostJob,
        ),
    },
    {
      // A termination whose process died midway is finished, not left half-done.
      queue: 'tenant.terminations-resume',
      schedule: '*/10 * * * *',
      handler: async () => {
        const finished = await resumeStalledTerminations(context.db, context.media, context.log);
        if (finished.length > 0) {
          context.log.info({ event: 'tenant.terminations_resumed', count: finished.length });
        }
      },
    },
    {
      queue: gradeSweepQueue,
      schedule: '41 * * * *',
      handler: async (_job, queue) => {
        const queued = await sweepGradePosts(context.db, queue);
        if (queued > 0) context.log.info({ event: 'quiz.grades_requeued', queued });
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
    ...exportWorkers(context),
    ...securityCheckWorkers(context),
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
