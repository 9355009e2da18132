// The playback target: a whole Lectern that also works its jobs (transcoding on pg-boss), run
// as a child of the bench so that the browser or the load generator never shares its event
// loop. `startLectern` runs no job queue, and without one an upload skips transcoding and has
// nothing to play; so this starts the server as `lectern serve` does, with the same throwaway
// settings as `startLectern` otherwise (PGlite in memory, a temp data folder, quiet logs).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, startServer } from '../../server/src/index.ts';
import { createTenant } from '../../server/src/identity/tenants.ts';
import { createScratchDatabase } from '../scratch-database.mjs';
import { cpuUsage, databaseLabel, runAsTarget } from './child.mjs';

const adminUrl = process.env.DATABASE_URL;
const scratch = adminUrl ? await createScratchDatabase(adminUrl) : undefined;
const dataDir = mkdtempSync(path.join(tmpdir(), 'lectern-'));
const config = loadConfig({
  LECTERN_HOST: '127.0.0.1',
  LECTERN_PORT: '0',
  LECTERN_LOG_LEVEL: 'silent',
  LECTERN_SESSION_SECRET: randomBytes(32).toString('base64url'),
  LECTERN_MASTER_KEY: randomBytes(32).toString('base64'),
  LECTERN_DATA_DIR: dataDir,
  ...(scratch ? { DATABASE_URL: scratch.url } : {}),
});
const server = await startServer({
  config,
  ...(scratch ? {} : { database: { kind: 'pglite', dataDir: 'memory' } }),
  jobs: 'queue-and-workers',
}).catch(async (error) => {
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
  throw error;
});
const { embedKey } = await createTenant(
  server.database.knex,
  { slug: 'bench', name: 'Bench' },
  'cli',
);
runAsTarget({
  ready: {
    url: server.url,
    database: databaseLabel(scratch),
    storage: server.context.media.storage.describe(),
    embedKey: { id: embedKey.id, secret: embedKey.secret },
  },
  answers: { 'cpu-usage': cpuUsage },
  close: async () => {
    try {
      await server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await scratch?.drop();
    }
  },
});
