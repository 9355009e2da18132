import { randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../../audit/audit-log.ts';
import type { exportStates } from '../../db/migrations/0014-tenant-exports.ts';
import { isUuid } from '../../identity/users.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import { exportBuildQueue, exportSendOptions } from './export-queue.ts';

export type ExportState = (typeof exportStates)[number];

/** A customer export as the API shows it and the job works on it. */
export interface TenantExport {
  id: string;
  tenantId: string;
  requestedBy: string;
  state: ExportState;
  attempts: number;
  lifetimeSeconds: number;
  archiveKey: string | null;
  archiveSize: number | null;
  entries: number | null;
  etag: string | null;
  errorCode: string | null;
  createdAt: Date;
  startedAt: Date | null;
  readyAt: Date | null;
  expiresAt: Date | null;
}

interface ExportRow {
  id: string;
  tenant_id: string;
  requested_by: string;
  state: ExportState;
  attempts: number;
  lifetime_seconds: number;
  archive_key: string | null;
  archive_size: string | number | null;
  entries: number | null;
  etag: string | null;
  error_code: string | null;
  created_at: Date;
  started_at: Date | null;
  ready_at: Date | null;
  expires_at: Date | null;
}

function toExport(row: ExportRow): TenantExport {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    requestedBy: row.requested_by,
    state: row.state,
    attempts: row.attempts,
    lifetimeSeconds: row.lifetime_seconds,
    archiveKey: row.archive_key,
    archiveSize: row.archive_size === null ? null : Number(row.archive_size),
    entries: row.entries,
    etag: row.etag,
    errorCode: row.error_code,
    createdAt: new Date(row.created_at),
    startedAt: row.started_at && new Date(row.started_at),
    readyAt: row.ready_at && new Date(row.ready_at),
    expiresAt: row.expires_at && new Date(row.expires_at),
  };
}

/** Storage keys of an export: one folder, so that every attempt's archive can be removed. */
export const exportKeys = {
  folder: (tenantId: string, exportId: string) => `tenants/${tenantId}/exports/${exportId}/`,
  archive: (tenantId: string, exportId: string, attempt: string) =>
    `tenants/${tenantId}/exports/${exportId}/archive-${attempt}.zip`,
};

/** The id an archive is sealed under: one per built archive, named in its key. */
export const archiveObjectId = (exportId: string, archiveKey: string) =>
  `export:${exportId}:${archiveKey.slice(archiveKey.lastIndexOf('/') + 1)}`;

/**
 * A new export, or the tenant's export still queued or building: asking twice while one is
 * under way gives the same one instead of a second copy of everything. With a queue, the job
 * is sent in the same transaction; without, `exports.maintain` sends it later.
 */
export async function requestExport(
  db: Knex,
  queue: JobQueue | undefined,
  input: { tenantId: string; lifetimeSeconds: number },
  actor: string,
): Promise<{ export: TenantExport; created: boolean }> {
  // A process that only queues (workers run elsewhere) may be the first to send to this queue;
  // never inside the transaction below (PGlite has one connection).
  await queue?.createQueue(exportBuildQueue);
  return db.transaction(async (trx) => {
    // The tenant row serialises two requests racing for the one export under way.
    await trx('tenants').where({ id: input.tenantId }).forUpdate().first('id');
    const running = (await trx('tenant_exports')
      .where({ tenant_id: input.tenantId })
      .whereIn('state', ['queued', 'building'])
      .orderBy('created_at', 'desc')
      .first()) as ExportRow | undefined;
    if (running) return { export: toExport(running), created: false };

    const [row] = (await trx('tenant_exports')
      .insert({
        id: randomUUID(),
        tenant_id: input.tenantId,
        requested_by: actor,
        lifetime_seconds: input.lifetimeSeconds,
      })
      .returning('*')) as ExportRow[];
    const created = toExport(row as ExportRow);
    await recordAudit(trx, {
      tenantId: input.tenantId,
      actor,
      action: 'tenant.export_requested',
      subjectType: 'export',
      subjectId: created.id,
    });
    if (queue) await sendBuild(queue, created, trx);
    return { export: created, created: true };
  });
}

export async function sendBuild(
  queue: JobQueue,
  target: Pick<TenantExport, 'id' | 'tenantId'>,
  trx?: Knex.Transaction,
): Promise<void> {
  const data = { tenantId: target.tenantId, exportId: target.id };
  if (trx) await queue.sendInTransaction(trx, exportBuildQueue, data, exportSendOptions);
  else await queue.send(exportBuildQueue, data, exportSendOptions);
}

/** An export of the tenant, or nothing; another tenant's export is nothing too. */
export async function findExport(
  db: Knex,
  tenantId: string,
  exportId: string,
): Promise<TenantExport | undefined> {
  if (!isUuid(exportId)) return undefined;
  const row = (await db('tenant_exports').where({ id: exportId, tenant_id: tenantId }).first()) as
    ExportRow | undefined;
  return row && toExport(row);
}

/** The tenant's exports, newest first. */
export async function listExports(db: Knex, tenantId: string, limit = 20): Promise<TenantExport[]> {
  const rows = (await db('tenant_exports')
    .where({ tenant_id: tenantId })
    .orderBy('created_at', 'desc')
    .limit(limit)) as ExportRow[];
  return rows.map(toExport);
}

/**
 * Takes the export for one build attempt: queued or building (a retry after a dead worker)
 * becomes building with one more attempt. Anything else (ready, failed, expired) is left.
 */
export async function claimExport(
  db: Knex,
  tenantId: string,
  exportId: string,
): Promise<TenantExport | undefined> {
  const [row] = (await db('tenant_exports')
    .where({ id: exportId, tenant_id: tenantId })
    .whereIn('state', ['queued', 'building'])
    .update({ state: 'building', started_at: db.fn.now(), attempts: db.raw('attempts + 1') })
    .returning('*')) as ExportRow[];
  return row && toExport(row);
}

/**
 * Points the export at its finished archive, in one statement and only while it is still
 * building: until this commits, no download can reach the archive.
 */
export async function completeExport(
  db: Knex,
  built: TenantExport,
  archive: { key: string; size: number; entries: number },
): Promise<TenantExport | undefined> {
  return db.transaction(async (trx) => {
    const [row] = (await trx('tenant_exports')
      .where({ id: built.id, tenant_id: built.tenantId, state: 'building' })
      .update({
        state: 'ready',
        archive_key: archive.key,
        archive_size: archive.size,
        entries: archive.entries,
        etag: randomBytes(16).toString('base64url'),
        ready_at: trx.fn.now(),
        expires_at: trx.raw("now() + ? * interval '1 second'", [built.lifetimeSeconds]),
      })
      .returning('*')) as ExportRow[];
    if (!row) return undefined;
    await recordAudit(trx, {
      tenantId: built.tenantId,
      actor: 'system:export',
      action: 'tenant.export_ready',
      subjectType: 'export',
      subjectId: built.id,
      details: { entries: archive.entries, bytes: archive.size },
    });
    return toExport(row);
  });
}

export async function failExport(db: Knex, failed: TenantExport, code: string): Promise<void> {
  await db('tenant_exports')
    .where({ id: failed.id, tenant_id: failed.tenantId, state: 'building' })
    .update({ state: 'failed', error_code: code.slice(0, 100) });
}

/** Ready exports past their lifetime, oldest first; their archives are due for removal. */
export async function exportsPastLifetime(db: Knex, limit = 100): Promise<TenantExport[]> {
  const rows = (await db('tenant_exports')
    .where({ state: 'ready' })
    .where('expires_at', '<=', db.fn.now())
    .orderBy('expires_at')
    .limit(limit)) as ExportRow[];
  return rows.map(toExport);
}

/** Marks an export expired once its archive is gone; only from ready. */
export async function markExpired(db: Knex, expired: TenantExport): Promise<void> {
  await db('tenant_exports')
    .where({ id: expired.id, tenant_id: expired.tenantId, state: 'ready' })
    .update({ state: 'expired', archive_key: null, etag: null });
}

/**
 * Exports queued for a while that no job has taken (requested by a process without a queue).
 * Should a job for one still be waiting, two builders may run: each writes its own archive and
 * only the first to complete is kept.
 */
export async function exportsWaitingForJob(db: Knex, olderThanSeconds: number) {
  const rows = (await db('tenant_exports')
    .where({ state: 'queued', attempts: 0 })
    .where('created_at', '<', db.raw("now() - ? * interval '1 second'", [olderThanSeconds]))
    .orderBy('created_at')
    .limit(100)) as ExportRow[];
  return rows.map(toExport);
}

/**
 * Building exports whose last attempt died without saying so (killed on its final retry):
 * after the job's expiry they can no longer finish, and become failed.
 */
export async function failAbandonedExports(db: Knex, afterSeconds: number): Promise<number> {
  return db('tenant_exports')
    .where({ state: 'building' })
    .where('started_at', '<', db.raw("now() - ? * interval '1 second'", [afterSeconds]))
    .update({ state: 'failed', error_code: 'export.abandoned' });
}
