import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import knexFactory from 'knex';
import { loadConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startTestLectern } from '../support/lectern.ts';
import { makeMediaFiles } from '../support/media-files.ts';
import { temporaryFolder } from '../support/temp-folder.ts';
import { tusClient, uploadAll } from '../support/tus.ts';
import { unzipFile } from '../support/zip.ts';

const run = promisify(execFile);
const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const serverUrl = process.env.LECTERN_TEST_DATABASE_URL;
// Nothing listens on port 9 of the loopback: npm audit cannot reach its registry (a skip).
const unreachableRegistry = 'http://127.0.0.1:9/';

/**
 * `lectern tenant export` and `lectern audit` as an operator runs them, each in its own
 * process, on the database and data folder a server used before. On PostgreSQL when one is
 * given, otherwise on a PGlite folder (which the server lets go before the command opens it).
 */
describe('the lectern command: export and audit', () => {
  const env: Record<string, string> = {
    ...process.env,
    LECTERN_LOG_LEVEL: 'silent',
    LECTERN_SESSION_SECRET: randomBytes(32).toString('base64url'),
    LECTERN_MASTER_KEY: randomBytes(32).toString('base64'),
    npm_config_registry: unreachableRegistry,
  } as Record<string, string>;
  const uploads = new Map<string, Buffer>();
  let slug = '';
  let dropDatabase = async () => {};

  before(async () => {
    env.LECTERN_DATA_DIR = temporaryFolder('lectern-cli-export-');
    if (serverUrl) {
      const name = `lectern_test_${randomBytes(6).toString('hex')}`;
      const admin = knexFactory({ client: 'pg', connection: serverUrl });
      await admin.raw('create database ??', [name]);
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      env.DATABASE_URL = url.toString();
      dropDatabase = async () => {
        await admin.raw('drop database if exists ?? with (force)', [name]);
        await admin.destroy();
      };
    }

    // A server on the same database and folders takes two uploads, then stops.
    const database = openDatabase(loadConfig(env).database);
    const lectern = await startTestLectern(database, env);
    try {
      const tenant = await lectern.createTenant();
      slug = tenant.slug;
      const author = await lectern.signIn(tenant, ['author']);
      const client = tusClient(lectern, author.token);
      const files = makeMediaFiles();
      for (const [name, file] of [
        ['talk.mp4', files.mp4],
        ['large.mkv', files.large],
      ] as const) {
        const created = await client.create(file.length, { filename: name, title: name });
        const location = created.headers.get('location') as string;
        const done = await uploadAll(client, location, file, 4_000_000);
        assert.equal(done?.status, 204, `upload of ${name}`);
        uploads.set(created.headers.get('lectern-video-id') as string, file);
      }
    } finally {
      await lectern.stop();
      await database.close();
    }
  });
  after(() => dropDatabase());

  const lectern = (...args: string[]) =>
    run(process.execPath, [main, ...args], { env, maxBuffer: 16 * 1024 * 1024 });

  it('tenant export writes a zip that opens and holds every original byte for byte', async () => {
    const out = path.join(env.LECTERN_DATA_DIR as string, 'acme-export.zip');
    const { stdout } = await lectern('tenant', 'export', slug, '--out', out);
    assert.match(stdout, /acme-export\.zip: \d+ bytes, \d+ entries \(export [0-9a-f-]{36}, /);

    const entries = await unzipFile(out);
    const metadata = JSON.parse((entries.get('metadata.json') as Buffer).toString('utf8')) as {
      videos: { id: string; original: string }[];
    };
    assert.equal(metadata.videos.length, uploads.size);
    for (const [videoId, upload] of uploads) {
      const video = metadata.videos.find((each) => each.id === videoId);
      assert.ok(video, `video ${videoId} is in the metadata`);
      assert.ok(entries.get(video.original)?.equals(upload), `${video.original} is the upload`);
    }
    assert.ok(entries.has('schema/metadata.schema.json'));
    assert.equal(readFileSync(out).subarray(0, 2).toString('latin1'), 'PK');
  });

  it('tenant export of an unknown tenant says so and writes nothing', async () => {
    const out = path.join(env.LECTERN_DATA_DIR as string, 'nobody.zip');
    await assert.rejects(
      lectern('tenant', 'export', 'nobody', '--out', out),
      (error: { code: number; stderr: string }) => {
        assert.notEqual(error.code, 0);
        assert.match(error.stderr, /nobody/);
        return true;
      },
    );
    assert.throws(() => readFileSync(out), /ENOENT/);
  });

  it('audit --json prints the findings and exits 1 when a check fails (plain HTTP, no TLS)', async () => {
    await assert.rejects(lectern('audit', '--json'), (error: { code: number; stdout: string }) => {
      assert.equal(error.code, 1);
      const report = JSON.parse(error.stdout) as {
        state: string;
        failed: number;
        findings: { check: string; outcome: string; reason: string }[];
      };
      assert.equal(report.state, 'failed');
      const tls = report.findings.find((finding) => finding.check === 'config.tls');
      assert.equal(tls?.outcome, 'failed');
      assert.match(tls?.reason ?? '', /LECTERN_TLS_CERT_FILE/);
      assert.equal(report.failed, report.findings.filter((f) => f.outcome === 'failed').length);
      const live = report.findings.find((finding) => finding.check === 'authorization.live');
      assert.equal(live?.outcome, 'passed', JSON.stringify(live));
      const audit = report.findings.find((finding) => finding.check === 'dependencies.audit');
      assert.equal(audit?.outcome, 'skipped', 'an unreachable registry is a skip, not a failure');
      return true;
    });
  });

  it('audit exits 0 once TLS ends at a trusted proxy and nothing else fails', async () => {
    const { stdout } = await run(process.execPath, [main, 'audit', '--json'], {
      env: { ...env, LECTERN_TRUST_PROXY: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const report = JSON.parse(stdout) as { state: string; findings: { outcome: string }[] };
    assert.equal(report.state, 'passed', stdout);
    assert.ok(report.findings.every((finding) => finding.outcome !== 'failed'));

    const listed = JSON.parse((await lectern('audit', '--list', '--json')).stdout) as {
      state: string;
    }[];
    assert.deepEqual(
      listed.slice(0, 2).map((each) => each.state),
      ['passed', 'failed'],
      'both runs are stored, newest first',
    );
  });
});
