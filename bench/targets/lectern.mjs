// The target under test: a whole Lectern, run as a child of the bench so that the load
// generator never shares its event loop.
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
const { tenant, embedKey } = await lectern.tenants.create({ slug: 'bench', name: 'Bench' });
const db = lectern.server.database.knex;
let stopping;

process.on('message', async (message) => {
  if (message.type === 'count-users') {
    const [row] = await db('users').where({ tenant_id: tenant.id }).count({ count: '*' });
    process.send({ type: 'users', count: Number(row.count) });
  } else if (message.type === 'stop') {
    await stop();
  }
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
  database: scratch ? `PostgreSQL (scratch database ${scratch.name})` : 'PGlite (in memory)',
  embedKey: { id: embedKey.id, secret: embedKey.secret },
});
