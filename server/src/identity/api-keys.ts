import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';
import type { Principal } from './policy.ts';
import { loadPolicy } from './tenant-policy.ts';

/** API keys read `lk_<id>_<secret>`; only a hash of the secret is kept. */
export const apiKeyPrefix = 'lk_';

function hashSecret(secret: string): string {
  // The secret is 32 random bytes, so a fast hash cannot be brute-forced; no salt is needed.
  return createHash('sha256').update(secret).digest('hex');
}

export async function createApiKey(
  db: Knex,
  tenantId: string,
  label: string,
  actor: string,
): Promise<{ id: string; label: string; key: string }> {
  const id = randomBytes(9).toString('base64url').replaceAll(/[-_]/g, 'x');
  const secret = randomBytes(32).toString('base64url');
  await db('api_keys').insert({ id, tenant_id: tenantId, label, secret_hash: hashSecret(secret) });
  await recordAudit(db, {
    tenantId,
    actor,
    action: 'api_key.create',
    subjectType: 'api_key',
    subjectId: id,
  });
  return { id, label, key: `${apiKeyPrefix}${id}_${secret}` };
}

/** A tenant's backend acting with an API key holds the admin role of that tenant. */
export async function authenticateApiKey(db: Knex, key: string): Promise<Principal> {
  const match = /^lk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/.exec(key);
  if (!match) throw new LecternError('api_key.invalid');
  const [, id, secret] = match as unknown as [string, string, string];

  const row = (await db('api_keys').where({ id }).whereNull('revoked_at').first()) as
    { tenant_id: string; secret_hash: string } | undefined;
  const expected = Buffer.from(row?.secret_hash ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(hashSecret(secret), 'hex');
  if (!row || !timingSafeEqual(expected, actual)) throw new LecternError('api_key.invalid');

  await db('api_keys').where({ id }).update({ last_used_at: db.fn.now() });
  return {
    kind: 'service',
    id,
    tenantId: row.tenant_id,
    roles: ['admin'],
    policy: await loadPolicy(db, row.tenant_id),
  };
}

export async function listApiKeys(db: Knex, tenantId: string) {
  const rows = (await db('api_keys')
    .where({ tenant_id: tenantId })
    .whereNull('revoked_at')
    .orderBy('created_at')) as {
    id: string;
    label: string;
    created_at: Date;
    last_used_at: Date | null;
  }[];
  return rows.map((row) => ({
    id: row.id,
    label: row.label,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  }));
}

export async function revokeApiKey(
  db: Knex,
  tenantId: string,
  id: string,
  actor: string,
): Promise<void> {
  const updated = await db('api_keys')
    .where({ id, tenant_id: tenantId })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now() });
  if (updated === 0) throw new LecternError('resource.not_found');
  await recordAudit(db, {
    tenantId,
    actor,
    action: 'api_key.revoke',
    subjectType: 'api_key',
    subjectId: id,
  });
}
