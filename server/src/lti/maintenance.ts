import type { Knex } from 'knex';
import { createLtijsDatabase } from './ltijs-database.ts';
import { purgeLogins } from './logins.ts';

/**
 * Deletes what LTI keeps only for a while: logins past their 10 minutes, and ltijs's nonces,
 * states, id and context tokens and access tokens past their lifetimes (already invisible,
 * still taking room).
 */
export async function purgeExpiredLtiRecords(
  db: Knex,
): Promise<{ logins: number; records: number }> {
  return {
    logins: await purgeLogins(db),
    records: await createLtijsDatabase(db).purgeExpired(),
  };
}
