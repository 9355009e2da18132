import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';
import { createEmbedKey, type CreatedEmbedKey } from './embed-keys.ts';

export interface Tenant {
  id: string;
  slug: string;
  name: string;
  createdAt: string;
}

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  created_at: Date;
}

function toTenant(row: TenantRow): Tenant {
  return { id: row.id, slug: row.slug, name: row.name, createdAt: row.created_at.toISOString() };
}

/** Creates a tenant with its first HS256 embed key; the key's secret is returned once. */
export async function createTenant(
  db: Knex,
  input: { slug: string; name: string },
  actor: string,
): Promise<{ tenant: Tenant; embedKey: CreatedEmbedKey }> {
  try {
    return await insertTenant(db, input, actor);
  } catch (error) {
    // Two creations racing for one slug: the unique index decides, the loser hears why.
    if ((error as { code?: string }).code === '23505') throw new LecternError('tenant.slug_taken');
    throw error;
  }
}

async function insertTenant(
  db: Knex,
  input: { slug: string; name: string },
  actor: string,
): Promise<{ tenant: Tenant; embedKey: CreatedEmbedKey }> {
  return db.transaction(async (trx) => {
    const taken = await trx('tenants').where({ slug: input.slug }).first('id');
    if (taken) throw new LecternError('tenant.slug_taken');

    const [row] = (await trx('tenants')
      .insert({ id: randomUUID(), slug: input.slug, name: input.name })
      .returning('*')) as TenantRow[];
    const tenant = toTenant(row as TenantRow);
    await recordAudit(trx, {
      tenantId: tenant.id,
      actor,
      action: 'tenant.create',
      subjectType: 'tenant',
      subjectId: tenant.id,
    });

    const embedKey = await createEmbedKey(trx, tenant.id, { algorithm: 'HS256' }, actor);
    return { tenant, embedKey };
  });
}

export async function listTenants(db: Knex): Promise<Tenant[]> {
  const rows = (await db('tenants').orderBy('created_at')) as TenantRow[];
  return rows.map(toTenant);
}

export async function findTenant(db: Knex, idOrSlug: string): Promise<Tenant | undefined> {
  const column = /^[0-9a-f-]{36}$/i.test(idOrSlug) ? 'id' : 'slug';
  const row = (await db('tenants').where(column, idOrSlug).first()) as TenantRow | undefined;
  return row ? toTenant(row) : undefined;
}
