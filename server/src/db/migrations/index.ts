import type { Knex } from 'knex';
import * as identity from './0001-identity.ts';
import * as keyring from './0002-keyring.ts';
import * as media from './0003-media.ts';
import * as uploads from './0004-uploads.ts';
import * as renditions from './0005-renditions.ts';
import * as textTracks from './0006-text-tracks.ts';
import * as ltiStore from './0007-lti-store.ts';
import * as ltiPlatforms from './0008-lti-platforms.ts';
import * as ltiResourceLinks from './0009-lti-resource-links.ts';
import * as quizzes from './0010-quizzes.ts';
import * as ltiLearners from './0011-lti-learners.ts';
import * as tenantTerminations from './0012-tenant-terminations.ts';
import * as tenantExports from './0014-tenant-exports.ts';
import * as securityChecks from './0015-security-checks.ts';

interface Migration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

// Listed in code rather than read from a folder, so that compiled and source runs agree.
const migrations: Migration[] = [
  { name: '0001-identity', ...identity },
  { name: '0002-keyring', ...keyring },
  { name: '0003-media', ...media },
  { name: '0004-uploads', ...uploads },
  { name: '0005-renditions', ...renditions },
  { name: '0006-text-tracks', ...textTracks },
  { name: '0007-lti-store', ...ltiStore },
  { name: '0008-lti-platforms', ...ltiPlatforms },
  { name: '0009-lti-resource-links', ...ltiResourceLinks },
  { name: '0010-quizzes', ...quizzes },
  { name: '0011-lti-learners', ...ltiLearners },
  { name: '0012-tenant-terminations', ...tenantTerminations },
  { name: '0014-tenant-exports', ...tenantExports },
  { name: '0015-security-checks', ...securityChecks },
];

export const migrationNames = migrations.map((migration) => migration.name);

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};
