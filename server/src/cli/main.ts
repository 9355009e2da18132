#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError } from '../config/config.ts';
import { registerAdminCommands } from './admin-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerExportCommands } from './export-commands.ts';
import { registerLifecycleCommands } from './lifecycle-commands.ts';
import { registerLtiCommands } from './lti-commands.ts';
import { registerServerCommands } from './server-commands.ts';

const program = new Command('lectern')
  .description('Lectern: training videos for the systems your people already use.')
  .showHelpAfterError();

registerServerCommands(program);
registerAdminCommands(program);
registerLtiCommands(program);
registerLifecycleCommands(program);
registerExportCommands(program);
registerAuditCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (process.env.LECTERN_DEBUG) console.error(error);
  console.error(`lectern: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof ConfigError ? 78 : 1);
}
