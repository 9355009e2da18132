import type { Knex } from 'knex';

export interface AuditEntry {
  tenantId: string | null;
  /** `user:<id>`, `apikey:<id>` or `cli`: an id, never a name. */
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

/** Writes one change of state; call it inside the transaction that makes the change. */
export async function recordAudit(db: Knex, entry: AuditEntry): Promise<void> {
  await db('audit_log').insert({
    tenant_id: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    subject_type: entry.subjectType,
    subject_id: entry.subjectId,
    details: JSON.stringify(entry.details ?? {}),
  });
}
