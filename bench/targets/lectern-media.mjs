// The upload target: a whole Lectern with the local storage driver, run as a child of the bench
// so that the client streaming the file never shares its event loop. It says where its media
// folder is, so that the baselines can run on the same file system.
import { randomBytes } from 'node:crypto';
import { startLectern } from '../../server/src/index.ts';
import { createScratchDatabase } from '../scratch-database.mjs';

const adminUrl = process.env.DATABASE_URL;
const scratch = adminUrl ? await createScratchDatabase(adminUrl) : undefined;
const lectern = await startLectern({
  env: scratch
    ? { DATABASE_URL: scratch.url, LECTERN_SESSION_SECRET: randomBytes(32).toString('base64url') }
    : {},
}).catch(async (error) => {
  await scratch?.drop();
  throw error;
});
const { embedKey } = await lectern.tenants.create({ slug: 'bench', name: 'Bench' });
const storage = lectern.server.context.media.storage.describe();
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
      await lectern.stop();
    } finally {
      await scratch?.drop();
    }
    process.exit(0);
  })();
  return stopping;
}

process.send({
  type: 'ready',
  url: lectern.url,
  database: scratch
    ? `PostgreSQL (scratch database ${scratch.name})`
    : 'PGlite (in memory, inside the Lectern process)',
  storage,
  embedKey: { id: embedKey.id, secret: embedKey.secret },
});
