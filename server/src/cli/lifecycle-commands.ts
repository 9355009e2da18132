import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/database.ts';
import { LecternError } from '../http/errors.ts';
import { createLogger } from '../http/logger.ts';
import { openBackupTarget } from '../lifecycle/backup/backup-target.ts';
import { createBackup } from '../lifecycle/backup/create-backup.ts';
import { exportKeyring, parseKeyringExport } from '../lifecycle/backup/keyring-export.ts';
import { restoreBackup } from '../lifecycle/backup/restore-backup.ts';
import { dataLocation } from '../lifecycle/location.ts';
import { findReceipt, unfinishedTerminations } from '../lifecycle/termination/receipts.ts';
import { runTermination, terminateTenant } from '../lifecycle/termination/terminate-tenant.ts';
import type { DeletionReceipt } from '../lifecycle/termination/receipts.ts';
import { findTenant } from '../identity/tenants.ts';
import { openMedia } from '../server.ts';
import { withDatabase } from './database-session.ts';

/** Backup and restore, the keyring export, termination and the data location. */
export function registerLifecycleCommands(program: Command): void {
  program
    .command('backup')
    .description("back up every tenant: rows sealed under each tenant's key, media as stored")
    .option('--to <target>', 'a folder or s3://bucket/prefix (default: LECTERN_BACKUP_TARGET)')
    .action((options: { to?: string }) =>
      withServices(async (database, config, media) => {
        const target = openBackupTarget(requireTarget(options.to, config), config, logOf(config));
        const manifest = await createBackup(database.knex, media, target);
        const objects = manifest.tenants.reduce((sum, tenant) => sum + tenant.objects.length, 0);
        console.log(
          `backup ${manifest.id}: ${manifest.tenants.length} tenant(s), ${objects} object(s)`,
        );
      }),
    );

  program
    .command('restore')
    .description('restore the tenants of a backup that this database lacks, with the live keyring')
    .option('--from <target>', 'a folder or s3://bucket/prefix (default: LECTERN_BACKUP_TARGET)')
    .option('--backup <id>', 'which backup (default: the newest complete one)')
    .option('--keys <file>', 'a keyring export of the live system (`lectern keyring export`)')
    .action((options: { from?: string; backup?: string; keys?: string }) =>
      withServices(async (database, config, media) => {
        const target = openBackupTarget(requireTarget(options.from, config), config, logOf(config));
        const report = await restoreBackup(database.knex, media, target, {
          backupId: options.backup,
          keys: options.keys ? parseKeyringExport(readFileSync(options.keys, 'utf8')) : [],
        });
        console.log(JSON.stringify(report, null, 2));
      }),
    );

  program
    .command('keyring')
    .description('the tenant keys, wrapped by the master key, for restoring into a fresh instance')
    .command('export')
    .description('write every live tenant key, still wrapped, to a file kept apart from backups')
    .requiredOption('--to <file>', 'the file to write (mode 0600)')
    .action((options: { to: string }) =>
      withServices(async (database, _config, media) => {
        const exported = await exportKeyring(database.knex, media.keyring);
        writeFileSync(options.to, `${JSON.stringify(exported, null, 2)}\n`, { mode: 0o600 });
        console.log(`${exported.keys.length} tenant key(s) written to ${options.to}`);
      }),
    );

  program
    .command('data-location')
    .description('where the database, the media, and the backups live, for the records')
    .action(() =>
      withServices(async (_database, config, media) => {
        console.log(JSON.stringify(dataLocation(config, media), null, 2));
      }),
    );

  const tenant =
    program.commands.find((command) => command.name() === 'tenant') ??
    program.command('tenant').description('tenants');
  tenant
    .command('terminate')
    .description('delete every row and object of a tenant, destroy its key, rotate the master key')
    .argument('<tenant>', 'tenant slug or id (the id resumes a termination cut short)')
    .requiredOption('--confirm <name>', "the tenant's name, typed exactly")
    .action((reference: string, options: { confirm: string }) =>
      withServices(async (database, config, media) => {
        const found = await findTenant(database.knex, reference);
        const receipt = await terminateTenant(
          database.knex,
          media,
          { tenantId: found?.id ?? reference, confirm: options.confirm, requestedBy: 'cli' },
          { log: logOf(config) },
        );
        printReceipt(receipt);
      }),
    );
  tenant
    .command('terminations')
    .description('terminations not yet finished; --resume runs each to its end')
    .option('--resume', 'finish them')
    .action((options: { resume?: boolean }) =>
      withServices(async (database, config, media) => {
        for (const receipt of await unfinishedTerminations(database.knex)) {
          printReceipt(
            options.resume
              ? await runTermination(database.knex, media, receipt, { log: logOf(config) })
              : receipt,
          );
        }
      }),
    );
  tenant
    .command('receipt')
    .description("print a termination's deletion receipt")
    .argument('<id>', 'the tenant id or the termination id')
    .action((id: string) =>
      withServices(async (database) => {
        const receipt = await findReceipt(database.knex, id);
        if (!receipt)
          throw new LecternError('resource.not_found', { message: `No receipt ${id}.` });
        printReceipt(receipt);
      }),
    );
}

function withServices(
  work: (database: Database, config: Config, media: ReturnType<typeof openMedia>) => Promise<void>,
): Promise<void> {
  return withDatabase((database, config) =>
    work(database, config, openMedia(config, logOf(config))),
  );
}

function logOf(config: Config) {
  return createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
}

function requireTarget(given: string | undefined, config: Config): string {
  const target = given ?? config.backupTarget;
  if (!target) throw new Error('Say where backups are: --to/--from or LECTERN_BACKUP_TARGET.');
  return target;
}

/** The receipt as JSON, then what the operator has left to do, if anything. */
function printReceipt(receipt: DeletionReceipt): void {
  console.log(JSON.stringify(receipt, null, 2));
  if (receipt.status === 'awaiting_master_key') {
    console.error(`lectern: ${receipt.lastError?.replace(/^awaiting_master_key: /, '')}`);
  } else if (receipt.status === 'completed' && receipt.masterKey.retiredKeyIds.length > 0) {
    console.error(
      `lectern: master key(s) ${receipt.masterKey.retiredKeyIds.join(', ')} are retired: make ` +
        'sure no process still has them (LECTERN_MASTER_KEY) and destroy every copy (old key ' +
        'files, secrets stores, their backups).',
    );
  }
}
