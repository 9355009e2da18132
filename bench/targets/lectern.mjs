// The target under test: a whole Lectern with a tenant, an embed key and the local storage
// driver, run as a child of the bench so that the load generator (or the client streaming a
// file) never shares its event loop. It says where its media folder is, so that disk
// baselines can run on the same file system.
import { randomBytes } from 'node:crypto';
import { startLectern } from '../../server/src/index.ts';
import { addPlatform } from '../../server/src/lti/platforms.ts';
import { createScratchDatabase } from '../scratch-database.mjs';
import { cpuUsage, databaseLabel, runAsTarget } from './child.mjs';

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

runAsTarget({
  ready: {
    url: lectern.url,
    database: databaseLabel(scratch),
    storage: lectern.server.context.media.storage.describe(),
    embedKey: { id: embedKey.id, secret: embedKey.secret },
  },
  answers: {
    'cpu-usage': cpuUsage,
    // An LMS for the launch bench, registered by hand as `lectern lti add-platform` does.
    'add-lti-platform': async ({ platform }) => {
      await addPlatform(
        db,
        { tenantId: tenant.id, roleMapping: null, product: 'bench', ...platform },
        'cli',
      );
      return { type: 'lti-platform-added' };
    },
    'count-users': async () => {
      const [row] = await db('users').where({ tenant_id: tenant.id }).count({ count: '*' });
      return { type: 'users', count: Number(row.count) };
    },
  },
  close: async () => {
    try {
      await lectern.stop();
    } finally {
      await scratch?.drop();
    }
  },
});
