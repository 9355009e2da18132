import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';

/** The steps of a termination, in order; each is recorded once it is done. */
export const terminationSteps = [
  'requested',
  'counted',
  'key_destroyed',
  'objects_deleted',
  'records_deleted',
  'rows_deleted',
  'master_key_rotated',
  'completed',
] as const;

export type TerminationStep = (typeof terminationSteps)[number];

/** What was deleted, per kind: never a name, a title or a person. */
export interface DeletionCounts {
  /** Rows per table. */
  rows?: Record<string, number>;
  objects?: number;
  objectBytes?: number;
  /** Queued, finished and failed background jobs that named the tenant. */
  jobs?: number;
  /** ltijs records of the tenant's LMS platforms. */
  ltiRecords?: number;
  tenantKeysDestroyed?: number;
}

/**
 * The deletion receipt: kept after the tenant is gone, for the customer's records and the
 * operator's. It holds the tenant's id, times and counts, and nothing personal.
 */
export interface DeletionReceipt {
  terminationId: string;
  tenantId: string;
  requestedBy: 'tenant_admin' | 'cli';
  status: 'in_progress' | 'awaiting_master_key' | 'completed';
  step: TerminationStep;
  counts: DeletionCounts;
  masterKey: { newKeyId: string | null; retiredKeyIds: string[] };
  requestedAt: string;
  completedAt: string | null;
  /** Why the last run stopped, when it did; for the operator. */
  lastError: string | null;
}

interface TerminationRow {
  id: string;
  tenant_id: string;
  requested_by: 'tenant_admin' | 'cli';
  step: TerminationStep;
  counts: DeletionCounts | string;
  new_master_key_id: string | null;
  retired_master_key_ids: string[] | string;
  last_error: string | null;
  requested_at: Date;
  completed_at: Date | null;
}

const table = 'tenant_terminations';

/** Records that the tenant is to be terminated; a second request finds the first. */
export async function recordTermination(
  db: Knex,
  tenantId: string,
  requestedBy: DeletionReceipt['requestedBy'],
  retiring: string[],
): Promise<DeletionReceipt> {
  await db(table)
    .insert({
      id: randomUUID(),
      tenant_id: tenantId,
      requested_by: requestedBy,
      step: 'requested',
      retired_master_key_ids: JSON.stringify(retiring),
    })
    .onConflict('tenant_id')
    .ignore();
  return (await findReceipt(db, tenantId)) as DeletionReceipt;
}

/** The receipt by termination id or tenant id. */
export async function findReceipt(db: Knex, id: string): Promise<DeletionReceipt | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const row = (await db(table).where({ id }).orWhere({ tenant_id: id }).first()) as
    TerminationRow | undefined;
  return row && toReceipt(row);
}

/** Terminations that a process left before their end. */
export async function unfinishedTerminations(db: Knex): Promise<DeletionReceipt[]> {
  const rows = (await db(table)
    .whereNull('completed_at')
    .orderBy('requested_at')) as TerminationRow[];
  return rows.map(toReceipt);
}

/**
 * Unfinished terminations that no step has moved for `idleMs`: left behind by a process that
 * died, not one still running (each step records itself, which moves `updated_at`).
 */
export async function stalledTerminations(db: Knex, idleMs: number): Promise<DeletionReceipt[]> {
  const rows = (await db(table)
    .whereNull('completed_at')
    .andWhere('updated_at', '<', new Date(Date.now() - idleMs))
    .orderBy('requested_at')) as TerminationRow[];
  return rows.map(toReceipt);
}

/** Whether a tenant id was terminated (or is being): its data must never come back. */
export async function isTerminated(db: Knex, tenantId: string): Promise<boolean> {
  return (await db(table).where({ tenant_id: tenantId }).first('id')) !== undefined;
}

/** Records a finished step with what it counted; counts merge into those recorded before. */
export async function recordStep(
  db: Knex,
  receipt: DeletionReceipt,
  step: TerminationStep,
  changes: { counts?: DeletionCounts; newKeyId?: string; retiredKeyIds?: string[] } = {},
): Promise<DeletionReceipt> {
  const counts = { ...receipt.counts, ...changes.counts };
  const retired = changes.retiredKeyIds ?? receipt.masterKey.retiredKeyIds;
  await db(table)
    .where({ id: receipt.terminationId })
    .update({
      step,
      counts: JSON.stringify(counts),
      retired_master_key_ids: JSON.stringify(retired),
      last_error: null,
      updated_at: db.fn.now(),
      ...(changes.newKeyId ? { new_master_key_id: changes.newKeyId } : {}),
      ...(step === 'completed' ? { completed_at: db.fn.now() } : {}),
    });
  return (await findReceipt(db, receipt.terminationId)) as DeletionReceipt;
}

export async function recordNewMasterKey(db: Knex, terminationId: string, masterKeyId: string) {
  await db(table).where({ id: terminationId }).update({ new_master_key_id: masterKeyId });
}

/** Notes why a run stopped; the step stays where it was, for the rerun. */
export async function recordStop(db: Knex, terminationId: string, reason: string): Promise<void> {
  await db(table)
    .where({ id: terminationId })
    .update({ last_error: reason.slice(0, 2000), updated_at: db.fn.now() });
}

function toReceipt(row: TerminationRow): DeletionReceipt {
  const json = <T>(value: T | string): T =>
    typeof value === 'string' ? (JSON.parse(value) as T) : value;
  const step = row.step;
  return {
    terminationId: row.id,
    tenantId: row.tenant_id,
    requestedBy: row.requested_by,
    status:
      step === 'completed'
        ? 'completed'
        : step === 'rows_deleted' && row.last_error?.startsWith('awaiting_master_key')
          ? 'awaiting_master_key'
          : 'in_progress',
    step,
    counts: json(row.counts),
    masterKey: {
      newKeyId: row.new_master_key_id,
      retiredKeyIds: json(row.retired_master_key_ids),
    },
    requestedAt: row.requested_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    lastError: row.last_error,
  };
}
