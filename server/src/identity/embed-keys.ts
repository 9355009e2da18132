import { createPublicKey, randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';

export type EmbedAlgorithm = 'HS256' | 'RS256' | 'ES256';

export interface EmbedKey {
  id: string;
  tenantId: string;
  algorithm: EmbedAlgorithm;
  /** The HS256 secret, or the PEM public key for RS256 and ES256. */
  material: string;
}

export interface CreatedEmbedKey {
  id: string;
  algorithm: EmbedAlgorithm;
  /** Shown once, for HS256 keys only. */
  secret?: string;
}

export type EmbedKeyInput =
  { algorithm: 'HS256' } | { algorithm: 'RS256' | 'ES256'; publicKey: string };

interface EmbedKeyRow {
  id: string;
  tenant_id: string;
  algorithm: EmbedAlgorithm;
  secret: string | null;
  public_key: string | null;
  created_at: Date;
}

/** Creates an HS256 secret, or registers a public key whose type must match its algorithm. */
export async function createEmbedKey(
  db: Knex,
  tenantId: string,
  input: EmbedKeyInput,
  actor: string,
): Promise<CreatedEmbedKey> {
  const id = `ek_${randomBytes(9).toString('base64url')}`;
  const secret = input.algorithm === 'HS256' ? randomBytes(32).toString('base64url') : undefined;
  const publicKey = input.algorithm === 'HS256' ? undefined : checkedPublicKey(input);

  await db('embed_keys').insert({
    id,
    tenant_id: tenantId,
    algorithm: input.algorithm,
    secret: secret ?? null,
    public_key: publicKey ?? null,
  });
  await recordAudit(db, {
    tenantId,
    actor,
    action: 'embed_key.create',
    subjectType: 'embed_key',
    subjectId: id,
    details: { algorithm: input.algorithm },
  });
  return secret ? { id, algorithm: input.algorithm, secret } : { id, algorithm: input.algorithm };
}

function checkedPublicKey(input: { algorithm: 'RS256' | 'ES256'; publicKey: string }): string {
  let key;
  try {
    key = createPublicKey(input.publicKey);
  } catch {
    throw new LecternError('request.invalid', { message: 'publicKey is not a PEM public key.' });
  }
  const expected = input.algorithm === 'RS256' ? 'rsa' : 'ec';
  const curveOk =
    input.algorithm !== 'ES256' || key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  const sizeOk =
    input.algorithm !== 'RS256' || (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  if (key.asymmetricKeyType !== expected || !curveOk || !sizeOk) {
    throw new LecternError('request.invalid', {
      message: `publicKey must be ${input.algorithm === 'RS256' ? 'an RSA key of 2048 bits or more' : 'a P-256 EC key'}.`,
    });
  }
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** The live key a token names, or nothing when it is unknown or revoked. */
export async function findEmbedKey(db: Knex, id: string): Promise<EmbedKey | undefined> {
  const row = (await db('embed_keys').where({ id }).whereNull('revoked_at').first()) as
    EmbedKeyRow | undefined;
  if (!row) return undefined;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    algorithm: row.algorithm,
    material: (row.algorithm === 'HS256' ? row.secret : row.public_key) ?? '',
  };
}

export async function listEmbedKeys(db: Knex, tenantId: string) {
  const rows = (await db('embed_keys')
    .where({ tenant_id: tenantId })
    .whereNull('revoked_at')
    .orderBy('created_at')) as EmbedKeyRow[];
  return rows.map((row) => ({
    id: row.id,
    algorithm: row.algorithm,
    createdAt: row.created_at.toISOString(),
  }));
}

export async function revokeEmbedKey(
  db: Knex,
  tenantId: string,
  id: string,
  actor: string,
): Promise<void> {
  const updated = await db('embed_keys')
    .where({ id, tenant_id: tenantId })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now() });
  if (updated === 0) throw new LecternError('resource.not_found');
  await recordAudit(db, {
    tenantId,
    actor,
    action: 'embed_key.revoke',
    subjectType: 'embed_key',
    subjectId: id,
  });
}
