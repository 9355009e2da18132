import type { Command } from 'commander';
import { expectedPublicUrl, loadConfig } from '../config/config.ts';
import { migrate, openDatabase } from '../db/database.ts';
import { createLogger } from '../http/logger.ts';
import { createJobQueue } from '../jobs/boss.ts';
import { startWorkers, workerDefinitions } from '../jobs/workers.ts';
import { openLti } from '../lti/services.ts';
import { openMedia, startServer, stopOnSignals } from '../server.ts';
import { withDatabase } from './database-session.ts';
import { describeDemo, ensureDemoTenant } from './demo.ts';

/** Long-running processes and the schema: serve, worker, migrate. */
export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the API (migrations run first)')
    .option('--demo', 'create a demo tenant on first start and print its credentials')
    .option('--no-worker', 'only enqueue jobs; leave working them to `lectern worker` processes')
    .action(async (options: { demo?: boolean; worker: boolean }) => {
      const config = loadConfig();
      const log = createLogger(config.logLevel);
      const jobs = options.worker ? 'queue-and-workers' : 'queue';
      const running = await startServer({ config, log, jobs });
      stopOnSignals(running, log);
      if (options.demo) {
        const credentials = await ensureDemoTenant(running.database.knex, config.dataDir);
        // Printed for the person at the terminal, deliberately outside the JSON log.
        console.log(describeDemo(running.context.signer.issuer, credentials, config.dataDir));
      }
    });

  program
    .command('migrate')
    .description('bring the database schema up to date and exit')
    .action(() =>
      withDatabase(async () => {
        // withDatabase has migrated already; say what the schema is now.
        console.log('database schema is up to date');
      }),
    );

  program
    .command('worker')
    .description('run background jobs only, without serving HTTP (for scale-out)')
    .action(async () => {
      const config = loadConfig();
      const log = createLogger(config.logLevel);
      const database = openDatabase(config.database);
      await migrate(database);
      const queue = await createJobQueue(database, {
        onError: (error) => log.error({ event: 'jobs.error', err: error }),
      });
      const media = openMedia(config, log);
      // Grade passback signs its requests to the LMS with the tool's keys, kept by ltijs.
      const lti = await openLti(database.knex, config.sessionSecret);
      await startWorkers(
        queue,
        log,
        workerDefinitions({
          db: database.knex,
          media,
          log,
          lti,
          config,
          instanceUrl: () => expectedPublicUrl(config),
        }),
      );
      log.info({ event: 'worker.started', kind: database.kind });
      stopOnSignals(
        {
          stop: async () => {
            await queue.stop({ graceful: true });
            await lti.close();
            await database.close();
          },
        },
        log,
      );
    });
}
