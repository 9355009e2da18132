import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';
import type { RoleMapping } from './roles.ts';

/** An LMS registration as Lectern keeps it: one issuer and client id, bound to one tenant. */
export interface LtiPlatform {
  id: string;
  tenantId: string;
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  deploymentIds: string[];
  roleMapping: RoleMapping | null;
  product: string;
}

export type NewPlatform = Omit<LtiPlatform, 'id'>;

interface PlatformRow {
  id: string;
  tenant_id: string;
  issuer: string;
  client_id: string;
  auth_url: string;
  token_url: string;
  jwks_url: string;
  deployment_ids: string[] | string;
  role_mapping: RoleMapping | string | null;
  product: string;
}

const registrationTokenTtlMs = 24 * 60 * 60 * 1000;

/** Registers a platform for a tenant; the same issuer and client id twice is refused. */
export async function addPlatform(
  db: Knex,
  input: NewPlatform,
  actor: string,
): Promise<LtiPlatform> {
  const id = randomUUID();
  try {
    await db.transaction(async (trx) => {
      await trx('lti_platforms').insert({
        id,
        tenant_id: input.tenantId,
        issuer: input.issuer,
        client_id: input.clientId,
        auth_url: input.authUrl,
        token_url: input.tokenUrl,
        jwks_url: input.jwksUrl,
        deployment_ids: JSON.stringify(input.deploymentIds),
        role_mapping: input.roleMapping === null ? null : JSON.stringify(input.roleMapping),
        product: input.product,
      });
      await recordAudit(trx, {
        tenantId: input.tenantId,
        actor,
        action: 'lti.platform_add',
        subjectType: 'lti_platform',
        subjectId: id,
      });
    });
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw new LecternError('lti.platform_exists');
    throw error;
  }
  return { id, ...input };
}

export async function findPlatform(
  db: Knex,
  issuer: string,
  clientId: string | undefined,
): Promise<LtiPlatform | undefined> {
  const query = db('lti_platforms').where({ issuer });
  // Without a client id (some platforms omit it at login), the issuer must name one registration.
  const rows = (await (clientId ? query.andWhere({ client_id: clientId }) : query).limit(
    2,
  )) as PlatformRow[];
  return rows.length === 1 ? toPlatform(rows[0] as PlatformRow) : undefined;
}

export async function platformById(db: Knex, id: string): Promise<LtiPlatform | undefined> {
  const row = (await db('lti_platforms').where({ id }).first()) as PlatformRow | undefined;
  return row && toPlatform(row);
}

export async function listPlatforms(db: Knex, tenantId: string): Promise<LtiPlatform[]> {
  const rows = (await db('lti_platforms')
    .where({ tenant_id: tenantId })
    .orderBy('created_at')) as PlatformRow[];
  return rows.map(toPlatform);
}

/** A one-time secret for a registration URL; only its hash is kept. */
export async function createRegistrationToken(
  db: Knex,
  tenantId: string,
  actor: string,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + registrationTokenTtlMs);
  const id = randomUUID();
  await db.transaction(async (trx) => {
    await trx('lti_registration_tokens').insert({
      id,
      tenant_id: tenantId,
      token_hash: hashed(token),
      expires_at: expiresAt,
    });
    await recordAudit(trx, {
      tenantId,
      actor,
      action: 'lti.registration_url_create',
      subjectType: 'lti_registration',
      subjectId: id,
    });
  });
  return { token, expiresAt };
}

/** The tenant a registration token belongs to, while it is unused and unexpired. */
export async function registrationTenant(db: Knex, token: string): Promise<string> {
  const row = (await db('lti_registration_tokens')
    .where({ token_hash: hashed(token) })
    .whereNull('used_at')
    .andWhere('expires_at', '>', db.fn.now())
    .first('tenant_id')) as { tenant_id: string } | undefined;
  if (!row) throw new LecternError('lti.registration_invalid');
  return row.tenant_id;
}

/**
 * Marks a registration token used, in one statement so that two registrations racing on one
 * URL cannot both succeed. Call it in the transaction that adds the platform.
 */
export async function redeemRegistrationToken(trx: Knex, token: string): Promise<void> {
  const used = await trx('lti_registration_tokens')
    .where({ token_hash: hashed(token) })
    .whereNull('used_at')
    .andWhere('expires_at', '>', trx.fn.now())
    .update({ used_at: trx.fn.now() });
  if (used !== 1) throw new LecternError('lti.registration_invalid');
}

export function hashed(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function toPlatform(row: PlatformRow): LtiPlatform {
  const json = <T>(value: T | string): T =>
    typeof value === 'string' ? (JSON.parse(value) as T) : value;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    issuer: row.issuer,
    clientId: row.client_id,
    authUrl: row.auth_url,
    tokenUrl: row.token_url,
    jwksUrl: row.jwks_url,
    deploymentIds: json(row.deployment_ids),
    roleMapping: row.role_mapping === null ? null : json(row.role_mapping),
    product: row.product,
  };
}
