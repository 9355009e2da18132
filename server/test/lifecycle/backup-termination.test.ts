import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { createLogger } from '../../src/http/logger.ts';
import { openBackupTarget, type BackupTarget } from '../../src/lifecycle/backup/backup-target.ts';
import { createBackup } from '../../src/lifecycle/backup/create-backup.ts';
import { exportKeyring, parseKeyringExport } from '../../src/lifecycle/backup/keyring-export.ts';
import { restoreBackup } from '../../src/lifecycle/backup/restore-backup.ts';
import { readTenantSchema, tenantRows } from '../../src/lifecycle/tenant-tables.ts';
import {
  countTenantKeysByMasterKey,
  createMasterKeyring,
  generateMasterKey,
  openObject,
  readMasterKeyFile,
  writeMasterKeyFile,
} from '../../src/media/crypto/index.ts';
import { mediaKeys, originalObjectId, tenantKeyFor } from '../../src/media/media-services.ts';
import { forEachDatabase, type OpenDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import { allTables, findPlaintext } from '../support/plaintext-scan.ts';
import { s3StorageEnv, startS3Server, type S3TestServer } from '../support/s3.ts';
import { temporaryFolder } from '../support/temp-folder.ts';
import { playFirstSegment, tenantWithMedia, windows, type TenantWithMedia } from './support.ts';

const log = createLogger('silent');

/** A master key file with one fresh key, as an operator makes it. */
function masterKeyFile(): string {
  const file = path.join(temporaryFolder('lectern-keys-'), 'master-key');
  writeMasterKeyFile(file, createMasterKeyring([generateMasterKey()]));
  return file;
}

/** Environment for a server whose master keys come from a file (the key rotation writes it). */
function fileKeyEnv(file: string, storage: Record<string, string>): Record<string, string> {
  return {
    LECTERN_MASTER_KEY: undefined as unknown as string,
    LECTERN_MASTER_KEY_FILE: file,
    ...storage,
  };
}

async function rowCounts(lectern: TestLectern, tenantId: string): Promise<Record<string, number>> {
  const schema = await readTenantSchema(lectern.db);
  const counts: Record<string, number> = {};
  for (const table of schema.tables) {
    const [row] = await tenantRows(lectern.db, schema, table, tenantId).count({ count: '*' });
    counts[table.name] = Number(row?.count);
  }
  return counts;
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Where A's media, names or ids can still be found in this instance (database, storage, temp). */
async function tracesOf(
  lectern: TestLectern,
  gone: TenantWithMedia,
  options: { storage: string[]; skip: string[]; ciphertext: boolean },
): Promise<string[]> {
  const stored = options.ciphertext
    ? gone.hls.segments.flatMap((segment) =>
        windows(readFileSync(path.join(gone.hls.folder, segment)), 2),
      )
    : [];
  const media = [
    ...windows(gone.original),
    ...windows(gone.hls.clearSegment),
    ...windows(gone.hls.poster, 4),
    ...stored,
  ];
  const tables = await allTables(lectern.db);
  const [tenantId, ...marks] = gone.marks.map((mark) => Buffer.from(mark));
  const found = await findPlaintext([...media, ...marks], {
    folders: options.storage,
    db: lectern.db,
    tables,
    skip: options.skip,
  });
  // The deletion receipt keeps the tenant's id, on purpose; nothing else may.
  const withId = await findPlaintext([tenantId as Buffer], {
    folders: options.storage,
    db: lectern.db,
    tables: tables.filter((table) => table !== 'public.tenant_terminations'),
    skip: options.skip,
  });
  return [...found, ...withId.map((where) => `${where} (tenant id)`)];
}

async function scenario(
  openDatabase: OpenDatabase,
  storage: { env: Record<string, string>; backupTarget: string; folders: string[]; skip: string[] },
) {
  const keyFile = masterKeyFile();
  const startingKey = readMasterKeyFile(keyFile).current.id;
  const live = await startTestLectern(await openDatabase(), fileKeyEnv(keyFile, storage.env));
  const fresh = await startTestLectern(await openDatabase(), fileKeyEnv(keyFile, storage.env));
  try {
    const alpha = await tenantWithMedia(live, 'alpha');
    const beta = await tenantWithMedia(live, 'beta');
    const betaRows = await rowCounts(live, beta.tenant.id);
    const target: BackupTarget = openBackupTarget(storage.backupTarget, live.config, log);
    const oldKeyring = await exportKeyring(live.db, live.server.context.media.keyring);
    const manifest = await createBackup(live.db, live.server.context.media, target);
    assert.equal(manifest.tenants.length, 2);
    assert.ok(!JSON.stringify(manifest).includes(alpha.name), 'the manifest names a tenant');

    // Terminate A as its admin would.
    const admin = await live.signIn(alpha.tenant, ['admin']);
    const answer = await live.request('POST', '/api/v1/tenant/terminate', {
      token: admin.token,
      body: { confirm: alpha.name },
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const { receipt } = answer.body;
    assert.equal(receipt.status, 'completed');
    assert.equal(receipt.tenantId, alpha.tenant.id);
    assert.equal(receipt.counts.rows.videos, 1);
    assert.equal(receipt.counts.rows.quiz_attempts, 1);
    assert.ok(receipt.counts.objects >= 5, `objects: ${receipt.counts.objects}`);
    assert.equal(receipt.counts.ltiRecords, 1);
    for (const mark of alpha.marks.slice(1)) assert.ok(!JSON.stringify(receipt).includes(mark));

    // The master key was rotated: a new one, the old one gone from the file, B's key moved.
    const keyring = readMasterKeyFile(keyFile);
    assert.notEqual(keyring.current.id, startingKey);
    assert.deepEqual(
      keyring.keys.map((key) => key.id),
      [keyring.current.id],
    );
    assert.deepEqual(receipt.masterKey.retiredKeyIds, [startingKey]);
    assert.deepEqual([...(await countTenantKeysByMasterKey(live.db))], [[keyring.current.id, 1]]);

    // B plays on, A's video does not, and nothing of A is left in the live instance.
    assert.deepEqual(
      await playFirstSegment(live, beta.tenant, beta.videoId),
      beta.hls.clearSegment,
    );
    const after = await live.request('GET', `/api/v1/videos/${alpha.videoId}/playback`, {
      token: admin.token,
    });
    assert.equal(after.status, 401);
    const liveTraces = await tracesOf(live, alpha, {
      ...storage,
      storage: storage.folders,
      ciphertext: true,
    });
    assert.deepEqual(liveTraces, []);

    // Restore the earlier backup into a fresh instance, with the live keyring only.
    const liveKeys = await exportKeyring(live.db, live.server.context.media.keyring);
    const report = await restoreBackup(fresh.db, fresh.server.context.media, target, {
      backupId: manifest.id,
      keys: parseKeyringExport(JSON.stringify(liveKeys)),
    });
    assert.deepEqual(report.skipped, [{ tenantId: alpha.tenant.id, reason: 'no_live_key' }]);
    assert.deepEqual(
      report.restored.map((tenant) => tenant.tenantId),
      [beta.tenant.id],
    );

    // B is complete: every row, and its video plays; its original opens as uploaded.
    assert.deepEqual(await rowCounts(fresh, beta.tenant.id), betaRows);
    assert.deepEqual(
      await playFirstSegment(fresh, beta.tenant, beta.videoId),
      beta.hls.clearSegment,
    );
    const media = fresh.server.context.media;
    const original = await openObject({
      tenantKey: await tenantKeyFor(fresh.db, media, beta.tenant.id),
      objectId: originalObjectId(beta.videoId),
      ciphertext: await media.storage.get(mediaKeys.original(beta.tenant.id, beta.videoId)),
    });
    assert.deepEqual(await readAll(original), beta.original);

    // Nothing of A opens, not even with the keyring exported before the termination.
    const stale = await restoreBackup(fresh.db, media, target, {
      backupId: manifest.id,
      keys: parseKeyringExport(JSON.stringify(oldKeyring)),
    });
    const byTenant = (x: { tenantId: string }, y: { tenantId: string }) =>
      x.tenantId.localeCompare(y.tenantId);
    assert.deepEqual(
      stale.skipped.sort(byTenant),
      [
        { tenantId: alpha.tenant.id, reason: 'key_does_not_open' },
        { tenantId: beta.tenant.id, reason: 'exists' },
      ].sort(byTenant),
    );
    assert.equal(await fresh.db('tenants').where({ id: alpha.tenant.id }).first(), undefined);
    const freshTraces = await tracesOf(fresh, alpha, {
      ...storage,
      storage: storage.folders,
      ciphertext: false,
    });
    assert.deepEqual(freshTraces, []);
  } finally {
    await fresh.stop();
    await live.stop();
  }
}

forEachDatabase('backup, termination and restore', (openDatabase) => {
  it(
    'two tenants backed up; A terminated; the backup restored into a fresh instance with the live keyring: B is whole and plays, nothing of A opens or is found',
    { timeout: 180_000 },
    async () => {
      const backups = temporaryFolder('lectern-backup-');
      try {
        await scenario(openDatabase, {
          env: {},
          backupTarget: backups,
          folders: [],
          skip: [backups],
        });
      } finally {
        // It holds A's ciphertext on purpose; a later scan in this process must not meet it.
        rmSync(backups, { recursive: true, force: true });
      }
    },
  );
});

forEachDatabase('backup to S3 [s3rver]', (openDatabase) => {
  let s3: S3TestServer;
  before(async () => {
    s3 = await startS3Server();
  });
  after(() => s3.stop());

  it(
    'media on S3 and backups in s3://bucket/prefix: the same guarantees hold',
    { timeout: 180_000 },
    async () => {
      await scenario(openDatabase, {
        env: s3StorageEnv(s3),
        backupTarget: `s3://${s3.bucket}/nightly`,
        folders: [s3.folder],
        skip: [path.join(s3.folder, s3.bucket, 'nightly')],
      });
    },
  );
});
