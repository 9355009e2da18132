import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import type { Database } from '../../src/db/database.ts';
import { createJobQueue } from '../../src/jobs/boss.ts';
import type { JobQueue, QueuedJob } from '../../src/jobs/boss.ts';
import { forEachDatabase } from '../support/databases.ts';

// pg-boss's smallest polling interval; workers wait this long between fetches.
const polling = { pollingIntervalSeconds: 0.5 };

forEachDatabase('job queue', (open) => {
  let database: Database;
  let queue: JobQueue | undefined;

  before(async () => {
    database = await open();
    queue = await createJobQueue(database);
  });

  after(() => queue?.stop());

  function jobs(): JobQueue {
    assert.ok(queue, 'the job queue did not start');
    return queue;
  }

  it('works a job that was sent and marks it completed', { timeout: 20_000 }, async () => {
    const seen: unknown[] = [];
    await jobs().createQueue('greeting');
    await jobs().work('greeting', async (job) => void seen.push(job.data), polling);

    const id = await jobs().send('greeting', { to: 'trainer' });

    await waitFor(async () => (await jobs().getJob('greeting', id))?.state === 'completed');
    assert.deepEqual(seen, [{ to: 'trainer' }]);
  });

  it(
    'runs a job sent in a committed transaction, never one whose transaction rolled back',
    {
      timeout: 20_000,
    },
    async () => {
      const worked: string[] = [];
      const rolledBack: string[] = [];
      await jobs().createQueue('transcode');
      await jobs().work<{ video: string }>(
        'transcode',
        async (job) => void worked.push(job.data.video),
        polling,
      );

      await assert.rejects(
        database.knex.transaction(async (trx) => {
          rolledBack.push(await jobs().sendInTransaction(trx, 'transcode', { video: 'abandoned' }));
          throw new Error('upload abandoned');
        }),
        /upload abandoned/,
      );
      const committed = await database.knex.transaction((trx) =>
        jobs().sendInTransaction(trx, 'transcode', { video: 'kept' }),
      );

      await waitFor(
        async () => (await jobs().getJob('transcode', committed))?.state === 'completed',
      );
      assert.deepEqual(worked, ['kept']);
      assert.equal(rolledBack.length, 1);
      assert.equal(await jobs().getJob('transcode', rolledBack[0] ?? ''), null);
    },
  );

  it('refuses to enqueue on a transaction that has already ended', async () => {
    const ended: Knex.Transaction[] = [];
    await jobs().createQueue('transcode');
    await database.knex.transaction(async (trx) => void ended.push(trx));

    assert.ok(ended[0]);
    await assert.rejects(
      jobs().sendInTransaction(ended[0], 'transcode', { video: 'late' }),
      /already committed or rolled back/,
    );
  });

  it(
    'fails only the job that threw, not the others fetched with it',
    { timeout: 20_000 },
    async () => {
      await jobs().createQueue('quiz-grading');
      const ids = await Promise.all(
        [1, 2, 3].map((attempt) => jobs().send('quiz-grading', { attempt }, { retryLimit: 0 })),
      );

      await jobs().work<{ attempt: number }>(
        'quiz-grading',
        async (job) => {
          if (job.data.attempt === 2) throw new Error('ungradable attempt');
        },
        { ...polling, batchSize: 3 },
      );

      const states = async () =>
        Promise.all(ids.map(async (id) => (await jobs().getJob('quiz-grading', id))?.state));
      await waitFor(async () =>
        (await states()).every((state) => state !== 'created' && state !== 'active'),
      );
      assert.deepEqual(await states(), ['completed', 'failed', 'completed']);
    },
  );

  it(
    'runs exactly the committed jobs while transactions, workers and sends overlap',
    {
      timeout: 60_000,
    },
    async () => {
      const { knex } = database;
      await knex.schema.createTable('job_probe', (table) => table.integer('row').primary());
      await jobs().createQueue('probe');
      await jobs().createQueue('probe-plain');

      const worked: number[] = [];
      const plain: number[] = [];
      const workProbe = async (job: QueuedJob<{ row: number }>) => {
        // The job commits with its row, so the row is there when the job runs.
        const stored = await knex('job_probe').where({ row: job.data.row }).first();
        assert.ok(stored, `row ${job.data.row} is missing`);
        worked.push(job.data.row);
      };
      await jobs().work('probe', workProbe, { ...polling, batchSize: 4 });
      await jobs().work('probe', workProbe, { ...polling, batchSize: 4 });
      await jobs().work<{ row: number }>(
        'probe-plain',
        async (job) => void plain.push(job.data.row),
        { ...polling, batchSize: 5 },
      );

      const rows = Array.from({ length: 50 }, (_, row) => row);
      const committed = rows.filter((row) => row % 2 === 0);
      const rollback = new Error('rolled back on purpose');

      const outcomes = await Promise.all([
        ...rows.map((row) =>
          knex
            .transaction(async (trx) => {
              await trx('job_probe').insert({ row });
              await jobs().sendInTransaction(trx, 'probe', { row });
              if (row % 2 === 1) throw rollback;
            })
            .then(
              () => 'committed',
              (error: unknown) => {
                if (error !== rollback) throw error;
                return 'rolled back';
              },
            ),
        ),
        ...Array.from({ length: 10 }, (_, row) =>
          jobs()
            .send('probe-plain', { row })
            .then(() => 'sent'),
        ),
      ]);

      assert.equal(outcomes.filter((outcome) => outcome === 'committed').length, 25);
      await waitFor(() => worked.length >= committed.length && plain.length >= 10);
      // Three polling intervals more, for a stray job to show itself.
      await sleep(1_500);

      assert.deepEqual(worked.toSorted(byNumber), committed);
      assert.deepEqual(
        plain.toSorted(byNumber),
        Array.from({ length: 10 }, (_, row) => row),
      );
      assert.deepEqual(await knex('job_probe').orderBy('row').pluck('row'), committed);
    },
  );
});

function byNumber(a: number, b: number): number {
  return a - b;
}

async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Still waiting after ${timeoutMs} ms`);
    await sleep(50);
  }
}
