import type { Knex } from 'knex';
import { PgBoss } from 'pg-boss';
import type { Job, JobResult } from 'pg-boss';
import type { Database } from '../db/database.ts';
import { poolExecutor, transactionExecutor } from './sql-adapter.ts';

/** A job as its handler sees it. */
export interface QueuedJob<T> {
  id: string;
  queue: string;
  data: T;
}

/** Does one job; throwing fails that job alone, and pg-boss retries it as its options say. */
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
  /** The worker confirms it is alive this often (10 or more); a silent job is retried early. */
  heartbeatSeconds?: number;
}

export interface WorkOptions {
  /** How long a worker waits between fetches; at least 0.5, 2 unless set. */
  pollingIntervalSeconds?: number;
  /** Jobs fetched at once; each still succeeds or fails on its own. */
  batchSize?: number;
}

export interface JobQueueOptions {
  /** PostgreSQL schema of the queue's tables; `pgboss` unless set. */
  schema?: string;
  /** Receives background failures (a poll, maintenance); they never reject a caller's call. */
  onError?: (error: Error) => void;
}

export interface JobQueue {
  /** Creates the queue unless it exists; sending to a queue that does not exist fails. */
  createQueue(name: string): Promise<void>;
  /**
   * Enqueues on a pooled connection of its own. On PGlite that is the only connection: never
   * await this inside an open knex transaction (deadlock); use `sendInTransaction` there.
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
  /** Sends a job to the queue on a cron schedule (UTC), once across all processes. */
  schedule(queue: string, cron: string): Promise<void>;
  /** Stops every worker; a graceful stop lets running jobs finish. Close the database after. */
  stop(options?: { graceful?: boolean }): Promise<void>;
}

/** Starts pg-boss on the same database as knex, installing or migrating its schema. */
export async function createJobQueue(
  database: Database,
  options: JobQueueOptions = {},
): Promise<JobQueue> {
  const boss = new PgBoss({
    db: poolExecutor(database.knex, database.kind),
    backend: database.kind,
    schema: options.schema,
  });
  boss.on('error', options.onError ?? reportError);
  await boss.start();

  return {
    async createQueue(name) {
      await boss.createQueue(name);
    },

    async send(queue, data, sendOptions = {}) {
      return expectId(await boss.send(queue, data, sendOptions), queue);
    },

    async sendInTransaction(trx, queue, data, sendOptions = {}) {
      const db = transactionExecutor(trx, database.kind);
      return expectId(await boss.send(queue, data, { ...sendOptions, db }), queue);
    },

    async work<T extends object>(queue: string, handler: JobHandler<T>, workOptions = {}) {
      const perJob = { ...workOptions, perJobResults: true } as const;
      return boss.work<T>(queue, perJob, async (jobs) => {
        const results: JobResult[] = [];
        for (const job of jobs) results.push(await settle(job, handler));
        return results;
      });
    },

    async getJob(queue, id) {
      const job = await boss.getJobById<unknown>(queue, id);
      return job && { id: job.id, queue: job.name, state: job.state, data: job.data };
    },

    async schedule(queue, cron) {
      await boss.schedule(queue, cron, {}, { tz: 'UTC' });
    },

    async stop({ graceful = true } = {}) {
      await boss.stop({ graceful, close: false });
    },
  };
}

/** Runs one job of a batch; its outcome is its own, so one failure does not fail the others. */
async function settle<T>(job: Job<T>, handler: JobHandler<T>): Promise<JobResult> {
  try {
    await handler({ id: job.id, queue: job.name, data: job.data });
    return { id: job.id, status: 'completed' };
  } catch (error) {
    return { id: job.id, status: 'failed', output: error };
  }
}

/** pg-boss answers null only when a singleton or throttling rule refused the job. */
function expectId(id: string | null, queue: string): string {
  if (id === null) throw new Error(`Queue "${queue}" refused the job as a duplicate`);
  return id;
}

function reportError(error: Error): void {
  console.error('lectern-jobs: background failure', error);
}
