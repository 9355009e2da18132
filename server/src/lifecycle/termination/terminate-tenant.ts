import type { Knex } from 'knex';
import { recordAudit } from '../../audit/audit-log.ts';
import { LecternError } from '../../http/errors.ts';
import type { Logger } from '../../http/logger.ts';
import { findTenant } from '../../identity/tenants.ts';
import { jobsOfTenant } from '../../jobs/tenant-jobs.ts';
import { ltijsRecordsOfTenant } from '../../lti/tenant-records.ts';
import { destroyTenantKey } from '../../media/crypto/index.ts';
import { mediaKeys, type MediaServices } from '../../media/media-services.ts';
import { readTenantSchema, tenantRows, touchedRows } from '../tenant-tables.ts';
import { rotateMasterKey } from './master-key-rotation.ts';
import {
  findReceipt,
  recordNewMasterKey,
  recordStep,
  recordStop,
  recordTermination,
  stalledTerminations,
  terminationSteps,
  type DeletionCounts,
  type DeletionReceipt,
  type TerminationStep,
} from './receipts.ts';

export interface TerminationOptions {
  log?: Logger;
  /** Called after each recorded step; tests stop a run here as a killed process would. */
  afterStep?: (step: TerminationStep) => Promise<void> | void;
}

/**
 * Terminates a tenant once its name is typed back exactly: records the termination, then
 * runs it to the end (see `runTermination`). Answers the deletion receipt.
 */
export async function terminateTenant(
  db: Knex,
  media: MediaServices,
  request: { tenantId: string; confirm: string; requestedBy: DeletionReceipt['requestedBy'] },
  options: TerminationOptions = {},
): Promise<DeletionReceipt> {
  const tenant = await findTenant(db, request.tenantId);
  if (!tenant) {
    // A termination cut short after its rows went: the rerun finishes it.
    const begun = await findReceipt(db, request.tenantId);
    if (begun && begun.status !== 'completed') return runTermination(db, media, begun, options);
    throw new LecternError('resource.not_found', { message: 'There is no such tenant.' });
  }
  if (request.confirm.trim() !== tenant.name) throw new LecternError('termination.not_confirmed');

  const receipt = await recordTermination(
    db,
    tenant.id,
    request.requestedBy,
    media.keyring.keys.map((key) => key.id),
  );
  return runTermination(db, media, receipt, options);
}

/**
 * Runs a recorded termination from the step after its last recorded one. Each step can be
 * done again after a crash without harm; the key is destroyed before anything else goes, so
 * from then on nothing of the tenant opens, whatever is still left to delete.
 */
export async function runTermination(
  db: Knex,
  media: MediaServices,
  start: DeletionReceipt,
  options: TerminationOptions = {},
): Promise<DeletionReceipt> {
  let receipt = start;
  const { tenantId } = receipt;
  const done = (step: TerminationStep) =>
    terminationSteps.indexOf(receipt.step) >= terminationSteps.indexOf(step);
  const finish = async (step: TerminationStep, changes?: Parameters<typeof recordStep>[3]) => {
    receipt = await recordStep(db, receipt, step, changes);
    options.log?.info({
      event: 'tenant.termination_step',
      terminationId: receipt.terminationId,
      step,
    });
    await options.afterStep?.(step);
  };

  try {
    if (!done('counted'))
      await finish('counted', { counts: await countTenantData(db, media, tenantId) });

    if (!done('key_destroyed')) {
      const { tenantKeyIds } = await destroyTenantKey(db, tenantId);
      await finish('key_destroyed', { counts: { tenantKeysDestroyed: tenantKeyIds.length } });
    }

    if (!done('objects_deleted')) {
      await media.storage.deletePrefix(mediaKeys.tenant(tenantId));
      await finish('objects_deleted');
    }

    if (!done('records_deleted')) {
      // Before the rows: the LMS platforms' rows say which ltijs records are the tenant's.
      await ltijsRecordsOfTenant(db, tenantId, { remove: true });
      await jobsOfTenant(db, tenantId, { remove: true });
      await finish('records_deleted');
    }

    if (!done('rows_deleted')) {
      const rows = await deleteTenantRows(db, tenantId, receipt.terminationId);
      await finish('rows_deleted', { counts: { rows: mergeCounts(receipt.counts.rows, rows) } });
      await vacuum(db, Object.keys(rows), options.log);
    }

    if (!done('master_key_rotated')) {
      const outcome = await rotateMasterKey(
        db,
        media,
        {
          newMasterKeyId: receipt.masterKey.newKeyId,
          retiring: receipt.masterKey.retiredKeyIds,
        },
        (trx, id) => recordNewMasterKey(trx, receipt.terminationId, id),
      );
      if (outcome.state === 'awaiting_master_key') {
        await recordStop(db, receipt.terminationId, `awaiting_master_key: ${outcome.message}`);
        options.log?.warn({
          event: 'tenant.termination_awaits_master_key',
          terminationId: receipt.terminationId,
        });
        return (await findReceipt(db, receipt.terminationId)) as DeletionReceipt;
      }
      await finish('master_key_rotated', { retiredKeyIds: outcome.retiredKeyIds });
    }

    if (!done('completed')) await finish('completed');
    return receipt;
  } catch (error) {
    await recordStop(db, receipt.terminationId, (error as Error).message).catch(() => {});
    throw error;
  }
}

/** Rows per table, objects and their bytes, jobs and LTI records, before anything goes. */
async function countTenantData(
  db: Knex,
  media: MediaServices,
  tenantId: string,
): Promise<DeletionCounts> {
  const schema = await readTenantSchema(db);
  const rows: Record<string, number> = {};
  for (const table of schema.tables) {
    const [row] = (await tenantRows(db, schema, table, tenantId).count({ count: '*' })) as {
      count: string;
    }[];
    rows[table.name] = Number(row?.count ?? 0);
  }
  let objects = 0;
  let objectBytes = 0;
  for await (const object of media.storage.list(mediaKeys.tenant(tenantId))) {
    objects += 1;
    objectBytes += object.size;
  }
  return {
    rows,
    objects,
    objectBytes,
    jobs: await jobsOfTenant(db, tenantId, { remove: false }),
    ltiRecords: await ltijsRecordsOfTenant(db, tenantId, { remove: false }),
  };
}

/**
 * Every row of the tenant, children before parents, in one transaction: a crash leaves all of
 * them or none. The audit entry names the termination, not the tenant.
 */
async function deleteTenantRows(
  db: Knex,
  tenantId: string,
  terminationId: string,
): Promise<Record<string, number>> {
  const schema = await readTenantSchema(db);
  return db.transaction(async (trx) => {
    const deleted: Record<string, number> = {};
    for (const table of [...schema.tables].reverse()) {
      deleted[table.name] = touchedRows(await tenantRows(trx, schema, table, tenantId).delete());
    }
    await recordAudit(trx, {
      tenantId: null,
      actor: 'lifecycle',
      action: 'tenant.terminate',
      subjectType: 'tenant_termination',
      subjectId: terminationId,
    });
    return deleted;
  });
}

/** Counts recorded before deletion, raised where more rows arrived meanwhile. */
function mergeCounts(
  before: Record<string, number> | undefined,
  deleted: Record<string, number>,
): Record<string, number> {
  const merged = { ...before };
  for (const [table, count] of Object.entries(deleted)) {
    merged[table] = Math.max(merged[table] ?? 0, count);
  }
  return merged;
}

/**
 * Lets PostgreSQL reclaim the deleted row versions now rather than at autovacuum's leisure.
 * Their bytes may stay in WAL and in the file system's free space: docs/lifecycle.md says why
 * the key destruction and master-key rotation, not this, are what make media unrecoverable.
 */
async function vacuum(db: Knex, tables: string[], log: Logger | undefined): Promise<void> {
  try {
    await db.raw(`vacuum ${tables.map(() => '??').join(', ')}`, tables);
  } catch (error) {
    log?.warn({ event: 'tenant.termination_vacuum_failed', err: error });
  }
}

/**
 * Finishes terminations a dying process left behind, so that no tenant stays half-deleted
 * until an operator notices: the scheduled `tenant.terminations-resume` job runs this. A
 * termination waiting for the operator's new master key stops there again, as it should.
 */
export async function resumeStalledTerminations(
  db: Knex,
  media: MediaServices,
  log: Logger,
  idleMs = 10 * 60 * 1000,
): Promise<DeletionReceipt[]> {
  const finished: DeletionReceipt[] = [];
  for (const receipt of await stalledTerminations(db, idleMs)) {
    try {
      finished.push(await runTermination(db, media, receipt, { log }));
    } catch (error) {
      // The next run tries again; the others need not wait for this one.
      log.warn({
        event: 'tenant.termination_resume_failed',
        terminationId: receipt.terminationId,
        err: error,
      });
    }
  }
  return finished;
}
