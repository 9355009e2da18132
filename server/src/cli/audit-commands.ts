import type { Command } from 'commander';
import { withDatabase } from './database-session.ts';
import { createLogger } from '../http/logger.ts';
import { openMedia, startServer } from '../server.ts';
import {
  formatSecurityCheck,
  listSecurityChecks,
  runSecurityCheck,
} from '../audit/security-check.ts';

/**
 * `lectern audit`: runs the security check now, prints it, and exits 1 when a check failed.
 * The live probes go to `--url` when given, else to an instance this command starts from the
 * same configuration and database on a loopback port for the length of the run.
 */
export function registerAuditCommands(program: Command): void {
  program
    .command('audit')
    .description('run the security check (dependencies, configuration, live authorization)')
    .option('--url <url>', 'probe a running instance at this URL instead of starting one')
    .option('--list', 'print the latest stored runs instead of running the check')
    .option('--json', 'print the run as JSON')
    .action((options: { url?: string; list?: boolean; json?: boolean }) =>
      withDatabase(async (database, config) => {
        if (options.list) {
          const runs = await listSecurityChecks(database.knex, 10);
          if (options.json) console.log(JSON.stringify(runs, null, 2));
          for (const run of options.json ? [] : runs) {
            console.log(
              `${run.startedAt}  ${run.state.padEnd(7)} ${run.failed} failed, ${run.skipped} skipped  ${run.trigger}  ${run.id}`,
            );
          }
          return;
        }

        const log = createLogger('warn');
        const transient = options.url
          ? undefined
          : await startServer({
              config: { ...config, host: '127.0.0.1', port: 0 },
              database,
              log,
              jobs: 'off',
            });
        try {
          const url = options.url?.replace(/\/+$/, '') ?? (transient?.url as string);
          const run = await runSecurityCheck({
            db: database.knex,
            config,
            storage: openMedia(config, log).storage,
            log,
            trigger: 'cli',
            instance: {
              url,
              audience: transient?.context.signer.issuer ?? config.publicUrl ?? url,
            },
          });
          console.log(options.json ? JSON.stringify(run, null, 2) : formatSecurityCheck(run));
          if (run.state === 'failed') process.exitCode = 1;
        } finally {
          await transient?.stop();
        }
      }),
    );
}
