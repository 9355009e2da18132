import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Creates an empty database beside the one `adminUrl` names, so that a run never touches
 * existing data; `drop()` removes it again.
 */
export async function createScratchDatabase(adminUrl) {
  const name = `lectern_bench_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));

  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    // FORCE: a pool connection the server left open must not keep the database alive.
    drop: () =>
      withClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
      ),
  };
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
