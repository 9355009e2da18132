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
let stopping;

process.on('message', async (message) => {
  // CPU time tells work from waiting: on a shared machine it is steadier than wall time.
  if (message.type === 'cpu-usage') process.send({ type: 'cpu', usage: process.cpuUsage() });
  else if (message.type === 'stop') await stop();
});
// An orphan or a Ctrl-C would otherwise leave a scratch database behind on PostgreSQL.
process.once('disconnect', stop);
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

function stop() {
  stopping ??= (async () => {
    try {
      await server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await scratch?.drop();
    }
    process.exit(0);
  })();
  return stopping;
}

process.send({
  type: 'ready',
  url: server.url,
  database: scratch
    ? `PostgreSQL (scratch database ${scratch.name})`
    : 'PGlite (in memory, inside the Lectern process)',
  storage: server.context.media.storage.describe(),
  embedKey: { id: embedKey.id, secret: embedKey.secret },
});
