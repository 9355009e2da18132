import { loadConfig, type Config } from '../config/config.ts';
import { migrate, openDatabase, type Database } from '../db/database.ts';

/** Runs one command against the configured database, migrated, and closes it afterwards. */
export async function withDatabase<T>(
  work: (database: Database, config: Config) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = openDatabase(config.database);
  try {
    await migrate(database);
    return await work(database, config);
  } finally {
    await database.close();
  }
}
