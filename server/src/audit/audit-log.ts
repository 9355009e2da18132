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

const pageSize = 200;

interface AuditRow {
  id: string | number;
  at: Date;
  actor: string;
  action: string;
  subject_type: string;
  subject_id: string;
  details: unknown;
}

/** The tenant's audit log, oldest first, a page at a time: for the customer export. */
export async function* auditEntries(db: Knex, tenantId: string) {
  let after = '0';
  for (;;) {
    const rows = (await db('audit_log')
      .where({ tenant_id: tenantId })
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)) as AuditRow[];
    for (const row of rows) {
      yield {
        id: String(row.id),
        at: new Date(row.at).toISOString(),
        actor: row.actor,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as
          Record<string, unknown> | undefined,
      };
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = String(last.id);
  }
}
