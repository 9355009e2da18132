import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';
import { effectivePolicy, fixedPolicy, type Permission, type Policy, type Role } from './policy.ts';

export async function loadPolicy(db: Knex, tenantId: string): Promise<Policy> {
  const rows = (await db('tenant_policies').where({ tenant_id: tenantId })) as {
    permission: string;
    roles: string[];
  }[];
  return effectivePolicy(rows.map((row) => [row.permission, row.roles]));
}

/** Changes which roles hold a permission in one tenant; the fixed floors refuse any change. */
export async function setPermissionRoles(
  db: Knex,
  tenantId: string,
  permission: Permission,
  granted: Role[],
  actor: string,
): Promise<Policy> {
  const fixed = fixedPolicy[permission];
  const wanted = [...new Set(granted)].sort();
  if (fixed) {
    if (wanted.join() !== [...fixed].sort().join()) throw new LecternError('policy.fixed');
    return loadPolicy(db, tenantId);
  }

  return db.transaction(async (trx) => {
    await trx('tenant_policies')
      .insert({ tenant_id: tenantId, permission, roles: wanted })
      .onConflict(['tenant_id', 'permission'])
      .merge({ roles: wanted });
    await recordAudit(trx, {
      tenantId,
      actor,
      action: 'policy.change',
      subjectType: 'permission',
      subjectId: permission,
      details: { roles: wanted },
    });
    return loadPolicy(trx, tenantId);
  });
}
