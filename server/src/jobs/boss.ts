import type { Knex } from 'knex';
import PgBoss from 'pg-boss';
import type { Database } from '../db/database.ts';
import { poolExecutor, transactionExecutor } from './sql-adapter.ts';

/** A job as its handler sees it. */
export interface QueuedJob<T> {
  id: string;
  queue: string;
  data: T;
}

/** Does one job; throwing fails that job alone, which pg-boss then retries per its options. */
export type JobHandler<T> = (job: QueuedJob<T>) => Promise<void>;

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** A job as the queue stores it. */
export interface StoredJob {
  id: string;
  queue: string;
  state: JobState;
  data: unknown;
}

export interface SendOptions {
  /** Not before this time (or this many seconds from now). */
  startAfter?: Date | number;
  /** Higher runs first. */
  priority?: number;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  /** How long one attempt may run before it counts as failed. */
  expireInSeconds?: number;
}

export interface WorkOptions {
  /** How long an idle worker waits before it asks again; at least 0.5. */
  pollingIntervalSeconds?: number;
  /** Jobs fetched at once; a worker waits the polling interval between fetches. */
  batchSize?: number;
}

export interface JobQueueOptions {
  /** PostgreSQL schema of the queue's tables; `pgboss` unless set. */
  schema?: string;
  /** Receives background failures (a poll, maintenance); they never reject a caller's call. */
  onError?: (error: Error) => void;
}

export interface JobQueue {
  /** Creates the queue if it does not exist yet; jobs can only be sent to existing queues. */
  createQueue(name: string): Promise<void>;
  /**
   * Enqueues on a connection of its own. On PGlite that connection is the only one: never
   * await this inside an open knex transaction (deadlock), use `sendInTransaction` there.
   */
  send<T extends object>(queue: string, data: T, options?: SendOptions): Promise<string>;
  /** Enqueues on the transaction's connection: the job commits or rolls back with it. */
  sendInTransaction<T extends object>(
    trx: Knex.Transaction,
    queue: string,
    data: T,
    options?: SendOptions,
  ): Promise<string>;
  /** Starts a worker that polls the queue until `stop`; answers the worker's id. */
  work<T extends object>(
    queue: string,
    handler: JobHandler<T>,
    options?: WorkOptions,
  ): Promise<string>;
  getJob(queue: string, id: string): Promise<StoredJob | null>;
  /** Stops the workers; a graceful stop lets running jobs finish. Close the database after. */
  stop(options?: { graceful?: boolean }): Promise<void>;
}

/** Starts pg-boss on the same database as knex, installing or migrating its schema. */
export async function createJobQueue(
  database: Database,
  options: JobQueueOptions = {},
): Promise<JobQueue> {
  const executor = poolExecutor(database.knex, database.kind);
  const boss = new PgBoss({ db: executor as PgBoss.Db, schema: options.schema });
  boss.on('error', options.onError ?? reportError);
  await boss.start();

  const runningBatches = new Set<Promise<void>>();
  let stopped = false;

  function assertRunning(): void {
    if (stopped) throw new Error('The job queue is stopped');
  }

  async function runBatch<T>(queue: string, jobs: PgBoss.Job<T>[], handler: JobHandler<T>) {
    // Each job settles on its own; pg-boss then completes the ones that are still active.
    for (const job of jobs) {
      try {
        await handler({ id: job.id, queue, data: job.data });
      } catch (error) {
        await boss.fail(queue, job.id, error instanceof Error ? error : { value: String(error) });
      }
    }
  }

  return {
    async createQueue(name) {
      assertRunning();
      await boss.createQueue(name);
    },

    async send(queue, data, sendOptions = {}) {
      assertRunning();
      return expectId(await boss.send(queue, data, { ...sendOptions }), queue);
    },

    async sendInTransaction(trx, queue, data, sendOptions = {}) {
      assertRunning();
      const db = transactionExecutor(trx, database.kind);
      return expectId(await boss.send(queue, data, { ...sendOptions, db }), queue);
    },

    async work<T extends object>(queue: string, handler: JobHandler<T>, workOptions = {}) {
      assertRunning();
      return boss.work<T>(queue, { batchSize: 1, ...workOptions }, (jobs) => {
        const batch = runBatch(queue, jobs, handler);
        runningBatches.add(batch);
        return batch.finally(() => runningBatches.delete(batch));
      });
    },

    async getJob(queue, id) {
      const job = await boss.getJobById<unknown>(queue, id);
      return job ? { id: job.id, queue: job.name, state: job.state, data: job.data } : null;
    },

    async stop({ graceful = true } = {}) {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful, wait: true });

      // pg-boss neither awaits a batch fetched while stopping nor the completion that follows.
      do {
        if (graceful) await Promise.allSettled(runningBatches);
        await executor.idle();
      } while (graceful && runningBatches.size > 0);
      executor.close();
    },
  };
}

/** pg-boss answers null when the queue does not exist (or a singleton queue is taken). */
function expectId(id: string | null, queue: string): string {
  if (id === null) throw new Error(`No job was queued: is queue "${queue}" created?`);
  return id;
}

function reportError(error: Error): void {
  console.error('lectern-jobs: background failure', error);
}
