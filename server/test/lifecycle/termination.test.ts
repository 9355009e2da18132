import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { LecternError } from '../../src/http/errors.ts';
import { createBackup } from '../../src/lifecycle/backup/create-backup.ts';
import { openBackupTarget } from '../../src/lifecycle/backup/backup-target.ts';
import {
  findReceipt,
  terminationSteps,
  unfinishedTerminations,
} from '../../src/lifecycle/termination/receipts.ts';
import {
  resumeStalledTerminations,
  runTermination,
  terminateTenant,
} from '../../src/lifecycle/termination/terminate-tenant.ts';
import {
  readTenantSchema,
  tenantRows,
  unclassifiedTables,
} from '../../src/lifecycle/tenant-tables.ts';
import { createLogger } from '../../src/http/logger.ts';
import {
  countTenantKeysByMasterKey,
  createMasterKeyring,
  generateMasterKey,
  readMasterKeyFile,
  writeMasterKeyFile,
} from '../../src/media/crypto/index.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import { temporaryFolder } from '../support/temp-folder.ts';
import { playFirstSegment, tenantWithMedia } from './support.ts';

async function rowsLeft(lectern: TestLectern, tenantId: string): Promise<number> {
  const schema = await readTenantSchema(lectern.db);
  let total = 0;
  for (const table of schema.tables) {
    const [row] = await tenantRows(lectern.db, schema, table, tenantId).count({ count: '*' });
    total += Number(row?.count);
  }
  return total;
}

async function objectsLeft(lectern: TestLectern, tenantId: string): Promise<number> {
  const keys: string[] = [];
  for await (const { key } of lectern.server.context.media.storage.list(`tenants/${tenantId}/`)) {
    keys.push(key);
  }
  return keys.length;
}

class Killed extends Error {}

forEachDatabase('termination', (openDatabase) => {
  let lectern: TestLectern;
  let keyFile: string;

  before(async () => {
    keyFile = path.join(temporaryFolder('lectern-keys-'), 'master-key');
    writeMasterKeyFile(keyFile, createMasterKeyring([generateMasterKey()]));
    lectern = await startTestLectern(await openDatabase(), {
      LECTERN_MASTER_KEY: undefined as unknown as string,
      LECTERN_MASTER_KEY_FILE: keyFile,
      LECTERN_DATA_LOCATION: 'EU (Frankfurt)',
    });
  });
  after(() => lectern.stop());

  it('a termination a dead process left behind is finished by the scheduled job, a running one is left alone', async () => {
    const media = lectern.server.context.media;
    const log = createLogger('silent');
    const stopAfterObjects = {
      afterStep: (done: string) => {
        if (done === 'objects_deleted') throw new Killed('killed');
      },
    };
    const stalled = await tenantWithMedia(lectern, 'alpha');
    const running = await tenantWithMedia(lectern, 'beta');
    for (const tenant of [stalled, running]) {
      await assert.rejects(
        terminateTenant(
          lectern.db,
          media,
          { tenantId: tenant.tenant.id, confirm: tenant.name, requestedBy: 'cli' },
          stopAfterObjects,
        ),
        Killed,
      );
    }
    // The stalled one has not moved for 20 minutes; the other moved just now.
    await lectern
      .db('tenant_terminations')
      .where({ tenant_id: stalled.tenant.id })
      .update({ updated_at: new Date(Date.now() - 20 * 60 * 1000) });

    const finished = await resumeStalledTerminations(lectern.db, media, log);
    assert.deepEqual(
      finished.map((receipt) => [receipt.tenantId, receipt.status]),
      [[stalled.tenant.id, 'completed']],
    );
    assert.equal(await rowsLeft(lectern, stalled.tenant.id), 0);
    assert.equal((await findReceipt(lectern.db, running.tenant.id))?.step, 'objects_deleted');
    await runTermination(
      lectern.db,
      media,
      (await findReceipt(lectern.db, running.tenant.id)) as NonNullable<
        Awaited<ReturnType<typeof findReceipt>>
      >,
    );
  });

  for (const step of terminationSteps.slice(1, -1)) {
    it(`a termination stopped after "${step}" finishes when run again, and B stays whole`, async () => {
      const media = lectern.server.context.media;
      const gone = await tenantWithMedia(lectern, 'alpha');
      const kept = await tenantWithMedia(lectern, 'beta');
      await assert.rejects(
        terminateTenant(
          lectern.db,
          media,
          { tenantId: gone.tenant.id, confirm: gone.name, requestedBy: 'cli' },
          {
            afterStep: (done) => {
              if (done === step) throw new Killed(`killed after ${step}`);
            },
          },
        ),
        Killed,
      );
      const [stuck] = await unfinishedTerminations(lectern.db);
      assert.equal(stuck?.tenantId, gone.tenant.id);
      assert.equal(stuck?.step, step);

      // The rerun: as `lectern tenant terminations --resume` does it.
      const receipt = await runTermination(lectern.db, media, stuck);
      assert.equal(receipt.status, 'completed');
      assert.deepEqual(await unfinishedTerminations(lectern.db), []);
      assert.equal(await rowsLeft(lectern, gone.tenant.id), 0);
      assert.equal(await objectsLeft(lectern, gone.tenant.id), 0);
      assert.equal(receipt.counts.rows?.videos, 1);
      assert.equal(receipt.counts.rows?.quizzes, 1);
      assert.ok((receipt.counts.objects ?? 0) >= 5);

      // Every remaining tenant key sits under the one master key left in the file.
      const keyring = readMasterKeyFile(keyFile);
      assert.equal(keyring.keys.length, 1);
      const byMasterKey = await countTenantKeysByMasterKey(lectern.db);
      assert.deepEqual([...byMasterKey.keys()], [keyring.current.id]);
      assert.deepEqual(
        await playFirstSegment(lectern, kept.tenant, kept.videoId),
        kept.hls.clearSegment,
      );
    });
  }

  it('a rerun after completion changes nothing, and the receipt outlives the tenant', async () => {
    const media = lectern.server.context.media;
    const gone = await tenantWithMedia(lectern, 'alpha');
    const first = await terminateTenant(lectern.db, media, {
      tenantId: gone.tenant.id,
      confirm: ` ${gone.name} `,
      requestedBy: 'cli',
    });
    const again = await terminateTenant(lectern.db, media, {
      tenantId: gone.tenant.id,
      confirm: 'anything',
      requestedBy: 'cli',
    }).catch((error: unknown) => error);
    assert.ok(again instanceof LecternError && again.code === 'resource.not_found');
    assert.deepEqual(await findReceipt(lectern.db, gone.tenant.id), first);
  });

  it('the wrong name terminates nothing and answers termination.not_confirmed', async () => {
    const tenant = await tenantWithMedia(lectern, 'alpha');
    const admin = await lectern.signIn(tenant.tenant, ['admin']);
    for (const confirm of [tenant.tenant.slug, tenant.name.toUpperCase(), `${tenant.name}x`]) {
      const answer = await lectern.request('POST', '/api/v1/tenant/terminate', {
        token: admin.token,
        body: { confirm },
      });
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error.code, 'termination.not_confirmed');
    }
    const missing = await lectern.request('POST', '/api/v1/tenant/terminate', {
      token: admin.token,
      body: {},
    });
    assert.equal(missing.body.error.code, 'request.invalid');
    assert.equal(await findReceipt(lectern.db, tenant.tenant.id), undefined);
    assert.ok((await rowsLeft(lectern, tenant.tenant.id)) > 10);
    assert.deepEqual(
      await playFirstSegment(lectern, tenant.tenant, tenant.videoId),
      tenant.hls.clearSegment,
    );
  });

  it('only an admin in person may terminate: other roles and API keys get 403', async () => {
    const tenant = await tenantWithMedia(lectern, 'alpha');
    for (const role of ['viewer', 'author', 'critic', 'trainer'] as const) {
      const session = await lectern.signIn(tenant.tenant, [role]);
      const answer = await lectern.request('POST', '/api/v1/tenant/terminate', {
        token: session.token,
        body: { confirm: tenant.name },
      });
      assert.equal(answer.status, 403, role);
    }
    const admin = await lectern.signIn(tenant.tenant, ['admin']);
    const key = await lectern.request('POST', '/api/v1/api-keys', {
      token: admin.token,
      body: { label: 'backend' },
    });
    const byKey = await lectern.request('POST', '/api/v1/tenant/terminate', {
      token: key.body.key,
      body: { confirm: tenant.name },
    });
    assert.equal(byKey.status, 403);
    assert.equal(await findReceipt(lectern.db, tenant.tenant.id), undefined);
  });

  it('an unknown tenant is not found, and nothing is recorded', async () => {
    const unknown = randomUUID();
    await assert.rejects(
      terminateTenant(lectern.db, lectern.server.context.media, {
        tenantId: unknown,
        confirm: 'Nobody',
        requestedBy: 'cli',
      }),
      (error: unknown) => error instanceof LecternError && error.code === 'resource.not_found',
    );
    assert.equal(await findReceipt(lectern.db, unknown), undefined);
  });

  it('data location names the database, storage and backups, never a credential', async () => {
    const tenant = await lectern.createTenant();
    const admin = await lectern.signIn(tenant, ['admin']);
    const answer = await lectern.request('GET', '/api/v1/tenant/data-location', {
      token: admin.token,
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.label, 'EU (Frankfurt)');
    assert.equal(answer.body.storage.kind, 'local');
    assert.ok(['pglite', 'postgres'].includes(answer.body.database.kind));
    const text = JSON.stringify(answer.body);
    assert.ok(!/password|secret|postgres:\/\//i.test(text), text);
    const viewer = await lectern.signIn(tenant, ['viewer']);
    const refused = await lectern.request('GET', '/api/v1/tenant/data-location', {
      token: viewer.token,
    });
    assert.equal(refused.status, 403);
  });

  it('every table of the schema is classified for backup and termination', async () => {
    assert.deepEqual(await unclassifiedTables(lectern.db), []);
    const schema = await readTenantSchema(lectern.db);
    const names = schema.tables.map((table) => table.name);
    for (const table of [
      'quizzes',
      'quiz_participants',
      'quiz_attempts',
      'quiz_grade_posts',
      'lti_link_learners',
      'upload_parts',
    ]) {
      assert.ok(names.includes(table), `${table} is not covered`);
    }
    assert.ok(!names.includes('tenant_keys'), 'the keyring must never be backed up');
    // Parents before children, so that a restore inserts in this order.
    assert.ok(names.indexOf('quizzes') < names.indexOf('quiz_attempts'));
    assert.ok(names.indexOf('uploads') < names.indexOf('upload_parts'));
  });

  it('a new table that belongs to no tenant and is not classified stops a backup', async () => {
    await lectern.db.schema.createTable('stray_notes', (table) => table.text('body'));
    try {
      assert.deepEqual(await unclassifiedTables(lectern.db), ['stray_notes']);
      const target = openBackupTarget(
        temporaryFolder('lectern-backup-'),
        lectern.config,
        createLogger('silent'),
      );
      await assert.rejects(
        createBackup(lectern.db, lectern.server.context.media, target),
        /stray_notes/,
      );
    } finally {
      await lectern.db.schema.dropTable('stray_notes');
    }
  });
});

forEachDatabase('termination with master keys from the environment', (openDatabase) => {
  it('waits for the operator to put a new key in front, then finishes after the restart', async () => {
    const database = await openDatabase();
    const old = randomBytes(32).toString('base64');
    // One storage folder for both processes, as a restart keeps it.
    const storage = { LECTERN_STORAGE_DIR: temporaryFolder('lectern-media-') };
    const first = await startTestLectern(database, { LECTERN_MASTER_KEY: old, ...storage });
    const gone = await tenantWithMedia(first, 'alpha');
    const kept = await tenantWithMedia(first, 'beta');
    const waiting = await terminateTenant(first.db, first.server.context.media, {
      tenantId: gone.tenant.id,
      confirm: gone.name,
      requestedBy: 'cli',
    });
    assert.equal(waiting.status, 'awaiting_master_key');
    assert.match(waiting.lastError ?? '', /LECTERN_MASTER_KEY/);
    // The data is gone already; only the rotation waits.
    assert.equal(await rowsLeft(first, gone.tenant.id), 0);
    const oldId = first.server.context.media.keyring.current.id;
    await first.stop();

    const fresh = randomBytes(32).toString('base64');
    const second = await startTestLectern(database, {
      LECTERN_MASTER_KEY: `${fresh},${old}`,
      ...storage,
    });
    try {
      const [stuck] = await unfinishedTerminations(second.db);
      assert.ok(stuck);
      const done = await runTermination(second.db, second.server.context.media, stuck);
      assert.equal(done.status, 'completed');
      assert.deepEqual(done.masterKey.retiredKeyIds, [oldId]);
      const byMasterKey = await countTenantKeysByMasterKey(second.db);
      assert.equal(byMasterKey.get(oldId), undefined);
      assert.deepEqual(
        await playFirstSegment(second, kept.tenant, kept.videoId),
        kept.hls.clearSegment,
      );
    } finally {
      await second.stop();
    }
  });
});
