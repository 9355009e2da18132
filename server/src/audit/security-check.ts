import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config/config.ts';
import type { Logger } from '../http/logger.ts';
import type { ObjectStorage } from '../media/storage/object-storage.ts';
import { recordAudit } from './audit-log.ts';
import {
  checkDatabaseTls,
  checkMasterKey,
  checkStorageEncryption,
  checkStorageExposure,
  checkTls,
} from './security-check-config.ts';
import { auditDependencies, type DependencyAuditOptions } from './security-check-dependencies.ts';
import { skipped, failed, type Finding } from './security-check-findings.ts';
import {
  checkLiveAuthorization,
  checkSecurityHeaders,
  removeProbeTenants,
  type LiveInstance,
} from './security-check-live.ts';

export interface SecurityCheckRun {
  id: string;
  trigger: string;
  state: 'running' | 'passed' | 'failed';
  failed: number;
  skipped: number;
  findings: Finding[];
  startedAt: string;
  finishedAt: string | null;
}

export interface SecurityCheckInput {
  db: Knex;
  config: Config;
  storage: ObjectStorage;
  log: Logger;
  /** `schedule` or `cli`. */
  trigger: string;
  /** The instance to probe over HTTP; without one, the live checks are skipped. */
  instance?: LiveInstance;
  dependencies?: DependencyAuditOptions;
}

/**
 * Runs every check and stores the run: dependencies, configuration, storage, and the live
 * instance's headers and authorization. A check that throws is a failure of that check only.
 */
export async function runSecurityCheck(input: SecurityCheckInput): Promise<SecurityCheckRun> {
  const { db, config } = input;
  await finishInterruptedRuns(db);
  const id = randomUUID();
  await db('security_checks').insert({ id, trigger: input.trigger });

  const findings: Finding[] = [];
  const run = async (check: string, work: () => Promise<Finding> | Finding) => {
    try {
      findings.push(await work());
    } catch (error) {
      input.log.warn({ event: 'security_check.error', check, err: error });
      findings.push(failed(check, `the check itself failed: ${(error as Error).message}`));
    }
  };

  await run('dependencies.audit', () => auditDependencies(input.dependencies));
  await run('config.tls', () => checkTls(config));
  await run('config.master_key', () => checkMasterKey(config));
  await run('config.database_tls', () => checkDatabaseTls(config));
  await run('storage.encryption', () => checkStorageEncryption(input.storage));
  await run('storage.not_public', () => checkStorageExposure(config.storage));

  const instance = input.instance;
  if (instance) {
    await run('http.security_headers', () => checkSecurityHeaders(instance));
    let probeTenants: string[] = [];
    await run('authorization.live', () =>
      checkLiveAuthorization(db, instance, async (ids) => {
        probeTenants = ids;
        await db('security_checks')
          .where({ id })
          .update({ probe_tenant_ids: JSON.stringify(ids) });
      }),
    );
    await removeProbeTenants(db, probeTenants);
  } else {
    findings.push(skipped('http.security_headers', 'skipped: no running instance to ask'));
    findings.push(skipped('authorization.live', 'skipped: no running instance to ask'));
  }

  const failedCount = findings.filter((finding) => finding.outcome === 'failed').length;
  const skippedCount = findings.filter((finding) => finding.outcome === 'skipped').length;
  const state = failedCount > 0 ? 'failed' : 'passed';
  await db.transaction(async (trx) => {
    await trx('security_checks')
      .where({ id })
      .update({
        state,
        failed: failedCount,
        skipped: skippedCount,
        findings: JSON.stringify(findings),
        probe_tenant_ids: '[]',
        finished_at: trx.fn.now(),
      });
    await recordAudit(trx, {
      tenantId: null,
      actor: input.trigger === 'cli' ? 'cli' : 'system:security-check',
      action: 'security_check.run',
      subjectType: 'security_check',
      subjectId: id,
      details: { state, failed: failedCount, skipped: skippedCount },
    });
  });
  input.log.info({
    event: 'security_check.finished',
    id,
    state,
    failed: failedCount,
    skipped: skippedCount,
  });
  return (await findSecurityCheck(db, id)) as SecurityCheckRun;
}

/** A run that died midway (process killed): its probe tenants go and it counts as failed. */
async function finishInterruptedRuns(db: Knex): Promise<void> {
  const stale = (await db('security_checks')
    .where({ state: 'running' })
    .where('started_at', '<', db.raw("now() - interval '1 hour'"))
    .select('id', 'probe_tenant_ids')) as { id: string; probe_tenant_ids: unknown }[];
  for (const row of stale) {
    await removeProbeTenants(db, parseJson<string[]>(row.probe_tenant_ids, []));
    await db('security_checks')
      .where({ id: row.id, state: 'running' })
      .update({
        state: 'failed',
        failed: 1,
        findings: JSON.stringify([failed('run', 'the run was interrupted before it finished')]),
        probe_tenant_ids: '[]',
        finished_at: db.fn.now(),
      });
  }
}

interface RunRow {
  id: string;
  trigger: string;
  state: SecurityCheckRun['state'];
  failed: number;
  skipped: number;
  findings: unknown;
  started_at: Date;
  finished_at: Date | null;
}

function toRun(row: RunRow): SecurityCheckRun {
  return {
    id: row.id,
    trigger: row.trigger,
    state: row.state,
    failed: row.failed,
    skipped: row.skipped,
    findings: parseJson<Finding[]>(row.findings, []),
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

export async function findSecurityCheck(db: Knex, id: string) {
  const row = (await db('security_checks').where({ id }).first()) as RunRow | undefined;
  return row && toRun(row);
}

/** The latest runs, newest first. */
export async function listSecurityChecks(db: Knex, limit = 10): Promise<SecurityCheckRun[]> {
  const rows = (await db('security_checks').orderBy('started_at', 'desc').limit(limit)) as RunRow[];
  return rows.map(toRun);
}

function parseJson<T>(value: unknown, fallback: T): T {
  if (typeof value !== 'string') return (value as T) ?? fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

/** The run as lines for a terminal: one per check, then the verdict. */
export function formatSecurityCheck(run: SecurityCheckRun): string {
  const mark = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;
  const lines = run.findings.map(
    (finding) => `${mark[finding.outcome]}  ${finding.check.padEnd(22)} ${finding.reason}`,
  );
  for (const finding of run.findings) {
    const wrong = (finding.details as { wrong?: unknown[] } | undefined)?.wrong;
    if (finding.outcome === 'failed' && wrong) {
      for (const each of wrong) lines.push(`        ${JSON.stringify(each)}`);
    }
  }
  lines.push(
    '',
    `security check ${run.id}: ${run.state} (${run.failed} failed, ${run.skipped} skipped)`,
  );
  return lines.join('\n');
}
