import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Knex } from 'knex';
import { createApiKey } from '../identity/api-keys.ts';
import { createTenant, findTenant } from '../identity/tenants.ts';

interface DemoCredentials {
  tenant: { id: string; slug: string; name: string };
  embedKey: { id: string; algorithm: 'HS256'; secret: string };
  apiKey: string;
}

/**
 * The demo tenant and its credentials, made on the first start and kept beside the data
 * (owner-readable only), since secrets are shown once and cannot be read back.
 */
export async function ensureDemoTenant(db: Knex, dataDir: string): Promise<DemoCredentials> {
  const file = path.join(dataDir, 'demo-credentials.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
    if (await findTenant(db, saved.tenant.id)) return saved;
  }

  const { tenant, embedKey } = await createTenant(
    db,
    { slug: 'demo', name: 'Demo Company' },
    'cli',
  );
  const apiKey = await createApiKey(db, tenant.id, 'demo', 'cli');
  const credentials: DemoCredentials = {
    tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
    embedKey: { id: embedKey.id, algorithm: 'HS256', secret: embedKey.secret as string },
    apiKey: apiKey.key,
  };
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/** What a person needs to try the demo: where it runs and how to get a session. */
export function describeDemo(url: string, credentials: DemoCredentials, dataDir: string): string {
  const adminToken = jwt.sign(
    { sub: 'demo-admin', roles: ['admin'] },
    credentials.embedKey.secret,
    {
      algorithm: 'HS256',
      keyid: credentials.embedKey.id,
      audience: url,
      expiresIn: 600,
    },
  );
  return [
    '',
    `Lectern demo is running at ${url}`,
    `  health:         ${url}/healthz`,
    `  tenant:         ${credentials.tenant.slug} (${credentials.tenant.id})`,
    `  embed key:      ${credentials.embedKey.id} (HS256)`,
    `  embed secret:   ${credentials.embedKey.secret}`,
    `  API key:        ${credentials.apiKey}`,
    `  saved in:       ${path.join(dataDir, 'demo-credentials.json')}`,
    '',
    'Start a session as the demo admin (this embed token is valid for 10 minutes):',
    `  curl -s -X POST ${url}/api/v1/sessions -H 'content-type: application/json' \\`,
    `    -d '{"token":"${adminToken}"}'`,
    'Or call the API with the API key:',
    `  curl -s ${url}/api/v1/users -H 'authorization: Bearer ${credentials.apiKey}'`,
    '',
  ].join('\n');
}
