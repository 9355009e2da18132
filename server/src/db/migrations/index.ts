import type { Knex } from 'knex';
import * as identity from './0001-identity.ts';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Listed in code rather than read from a folder, so that compiled and source runs agree.
const migrations: Migration[] = [{ name: '0001-identity', ...identity }];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};
