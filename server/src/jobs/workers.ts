import type { Logger } from '../http/logger.ts';
import type { JobHandler, JobQueue, WorkOptions } from './boss.ts';

/** A queue and the function that works its jobs; each domain contributes its own. */
export interface WorkerDefinition<T extends object = object> {
  queue: string;
  handler: JobHandler<T>;
  options?: WorkOptions;
}

/**
 * Every domain's workers. Processing, lifecycle and grade passback add theirs here; until
 * then a worker process runs pg-boss's own maintenance (expiry and archiving) only.
 */
export const workerDefinitions: WorkerDefinition[] = [];

/** Creates each queue and starts its worker; logs a line per job outcome with ids only. */
export async function startWorkers(
  queue: JobQueue,
  log: Logger,
  definitions: WorkerDefinition[] = workerDefinitions,
): Promise<void> {
  for (const definition of definitions) {
    await queue.createQueue(definition.queue);
    await queue.work(
      definition.queue,
      async (job) => {
        const jobLog = log.child({ queue: job.queue, jobId: job.id });
        try {
          await definition.handler(job);
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
