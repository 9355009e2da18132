import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { withDatabase } from './database-session.ts';
import { requireTenant } from './admin-commands.ts';
import { LecternError } from '../http/errors.ts';
import { createLogger } from '../http/logger.ts';
import { openMedia } from '../server.ts';
import { runExportJob } from '../lifecycle/export/build-export.ts';
import { downloadableArchive, openArchive } from '../lifecycle/export/download.ts';
import { findExport, requestExport } from '../lifecycle/export/export-records.ts';

/** `lectern tenant export <tenant> --out file.zip`: builds the export here and saves it. */
export function registerExportCommands(program: Command): void {
  const tenant =
    program.commands.find((command) => command.name() === 'tenant') ??
    program.command('tenant').description('create and list tenants');
  tenant
    .command('export')
    .description("build a tenant's export (videos, captions, metadata, quiz results) into a zip")
    .argument('<tenant>', 'tenant slug or id')
    .requiredOption('--out <file>', 'where to write the zip archive')
    .action((tenantRef: string, options: { out: string }) =>
      withDatabase(async ({ knex }, config) => {
        const found = await requireTenant(knex, tenantRef);
        const log = createLogger('warn');
        const media = openMedia(config, log);
        const { export: requested } = await requestExport(
          knex,
          undefined,
          { tenantId: found.id, lifetimeSeconds: Math.round(config.exportLifetimeMs / 1000) },
          'cli',
        );
        console.error(`building export ${requested.id} of ${found.slug}…`);
        // A worker may be building the same export: either finishing first is as good.
        await runExportJob(knex, media, log, { tenantId: found.id, exportId: requested.id });
        const built = await findExport(knex, found.id, requested.id);
        if (!built) throw new LecternError('resource.not_found');
        const archive = downloadableArchive(built);

        const out = path.resolve(options.out);
        const partial = `${out}.part`;
        try {
          await pipeline(
            await openArchive(knex, media, built, archive, undefined),
            createWriteStream(partial, { mode: 0o600 }),
          );
          await rename(partial, out);
        } catch (error) {
          await rm(partial, { force: true });
          throw error;
        }
        console.log(
          `${out}: ${archive.size} bytes, ${built.entries} entries (export ${built.id}, ` +
            `downloadable until ${archive.expiresAt.toISOString()})`,
        );
      }),
    );
}
