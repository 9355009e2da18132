import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from './config/config.ts';
import { createTenant, type Tenant } from './identity/tenants.ts';
import type { CreatedEmbedKey } from './identity/embed-keys.ts';
import { startServer, type RunningServer, type StartOptions } from './server.ts';

export { loadConfig, type Config } from './config/config.ts';
export { startServer, stopOnSignals, type RunningServer } from './server.ts';
export { openDatabase, migrate, type Database } from './db/database.ts';
export { errorCatalog, LecternError, type ErrorCode } from './http/errors.ts';

export interface EmbeddedLectern {
  url: string;
  server: RunningServer;
  tenants: {
    create(input: {
      slug: string;
      name: string;
    }): Promise<{ tenant: Tenant; embedKey: CreatedEmbedKey }>;
  };
  stop(): Promise<void>;
}

/**
 * Starts a throwaway Lectern for tests and examples: in-memory PGlite, a random loopback
 * port, a fresh session secret, and quiet logs unless `env` says otherwise.
 */
export async function startLectern(
  options: { env?: Record<string, string>; port?: number; jobs?: StartOptions['jobs'] } = {},
) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-'));
  const env: Record<string, string> = {
    LECTERN_HOST: '127.0.0.1',
    LECTERN_PORT: String(options.port ?? 0),
    LECTERN_LOG_LEVEL: 'silent',
    LECTERN_SESSION_SECRET: randomBytes(32).toString('base64url'),
    LECTERN_MASTER_KEY: randomBytes(32).toString('base64'),
    // Media lands here; the database lives in memory. Removed when it stops.
    LECTERN_DATA_DIR: dataDir,
    ...options.env,
  };
  const config = loadConfig(env);
  const server = await startServer({
    config,
    ...(env.DATABASE_URL ? {} : { database: { kind: 'pglite', dataDir: 'memory' } as const }),
    ...(options.jobs ? { jobs: options.jobs } : {}),
  });
  const embedded: EmbeddedLectern = {
    url: server.url,
    server,
    tenants: { create: (input) => createTenant(server.database.knex, input, 'cli') },
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return embedded;
}
