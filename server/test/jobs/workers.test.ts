import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import { pino } from 'pino';
import { createJobQueue, type JobQueue } from '../../src/jobs/boss.ts';
import { startWorkers } from '../../src/jobs/workers.ts';
import { forEachDatabase } from '../support/databases.ts';

forEachDatabase('workers', (openDatabase) => {
  let queue: JobQueue;
  const lines: string[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );

  before(async () => {
    queue = await createJobQueue(await openDatabase());
  });
  after(() => queue.stop({ graceful: false }));

  it('work each queue, retry a failed job, and log outcomes by id without job data', async () => {
    const seen: string[] = [];
    let attempts = 0;
    await startWorkers(queue, log, [
      {
        queue: 'test-flaky',
        options: { pollingIntervalSeconds: 0.5 },
        handler: async (job) => {
          attempts += 1;
          if (attempts === 1) throw new Error('first attempt fails');
          seen.push((job.data as { note: string }).note);
        },
      },
    ]);

    const id = await queue.send(
      'test-flaky',
      { note: 'private-note' },
      { retryLimit: 2, retryDelay: 0 },
    );
    // The handler returns before pg-boss records the job as completed, so wait for the state.
    let state: string | undefined;
    for (let waited = 0; waited < 20_000 && state !== 'completed'; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = (await queue.getJob('test-flaky', id))?.state;
    }

    assert.equal(state, 'completed');
    assert.deepEqual(seen, ['private-note']);
    assert.equal(attempts, 2);
    const written = lines.join('');
    assert.match(written, new RegExp(`"jobId":"${id}".*"event":"job.failed"`));
    assert.match(written, new RegExp(`"jobId":"${id}".*"event":"job.completed"`));
    assert.ok(!written.includes('private-note'), 'job data reached the log');
  });
});
