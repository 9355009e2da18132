import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import https from 'node:https';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { ConfigError, loadConfig, summariseConfig } from '../../src/config/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import { temporaryFolder } from '../support/temp-folder.ts';

const secret = randomBytes(32).toString('base64url');
const masterKey = randomBytes(32).toString('base64');

describe('configuration', () => {
  it('reports every problem at once, naming the variables', () => {
    assert.throws(
      () =>
        loadConfig({
          LECTERN_PORT: 'eighty',
          LECTERN_SESSION_SECRET: 'short',
          LECTERN_LOG_LEVEL: 'loud',
        }),
      (error: unknown) =>
        error instanceof ConfigError &&
        ['LECTERN_PORT', 'LECTERN_SESSION_SECRET', 'LECTERN_LOG_LEVEL'].every((name) =>
          error.problems.some((problem) => problem.startsWith(name)),
        ),
    );
  });

  it('needs a shared session secret and master key once several processes share PostgreSQL', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://lectern@db/lectern' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.some((problem) =>
          problem.startsWith('LECTERN_SESSION_SECRET is required'),
        ) &&
        error.problems.some((problem) =>
          problem.startsWith('LECTERN_MASTER_KEY_FILE or LECTERN_MASTER_KEY'),
        ),
    );
  });

  it('summarises itself without the session secret or the database password', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://lectern:hunter2-password@db.example:5432/lectern',
      DATABASE_SSL: 'verify-full',
      LECTERN_SESSION_SECRET: secret,
      LECTERN_MASTER_KEY: masterKey,
    });
    const summary = JSON.stringify(summariseConfig(config));
    assert.ok(!summary.includes('hunter2-password'));
    assert.ok(!summary.includes(secret));
    assert.ok(!summary.includes(masterKey));
    assert.match(summary, /db\.example/);
    assert.match(summary, /verify-full/);
  });
});

forEachDatabase('health, readiness and shutdown', (openDatabase) => {
  let lectern: TestLectern;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
  });

  it('answers /healthz and /readyz while running', async () => {
    assert.equal((await lectern.request('GET', '/healthz')).status, 200);
    assert.deepEqual((await lectern.request('GET', '/readyz')).body, { status: 'ready' });
  });

  it('lets a request in flight finish, then refuses new connections', async () => {
    const token = (await lectern.signIn(await lectern.createTenant(), ['admin'])).token;

    // Holding a lock on users keeps the next request inside its handler while shutdown begins.
    const holder = await lectern.db.transaction();
    await holder.raw('lock table users in access exclusive mode');
    const inFlight = lectern.request('GET', '/api/v1/users', { token });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = lectern.stop();
    await holder.commit();

    assert.equal((await inFlight).status, 200);
    await stopped;
    await assert.rejects(fetch(`${lectern.url}/healthz`));
  });
});

forEachDatabase('logs', (openDatabase) => {
  const lines: string[] = [];
  let lectern: RunningServer;

  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    lectern = await startServer({
      config: loadConfig({ LECTERN_PORT: '0', LECTERN_SESSION_SECRET: secret }),
      database: await openDatabase(),
      log: pino({ level: 'info' }, sink),
    });
  });
  after(() => lectern.stop());

  it('carry a request id and never the tokens or the secret', async () => {
    const tenants = await import('../../src/identity/tenants.ts');
    const { embedKey } = await tenants.createTenant(
      lectern.database.knex,
      { slug: 'logs', name: 'Logs' },
      'cli',
    );
    const jwt = (await import('jsonwebtoken')).default;
    const embedToken = jwt.sign(
      { sub: 'someone@example.com', roles: ['admin'] },
      embedKey.secret as string,
      {
        algorithm: 'HS256',
        keyid: embedKey.id,
        audience: lectern.context.signer.issuer,
        expiresIn: 60,
      },
    );
    const answer = await fetch(`${lectern.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-12345678' },
      body: JSON.stringify({ token: embedToken }),
    });
    const session = (await answer.json()) as { token: string };
    await fetch(`${lectern.url}/api/v1/users`, {
      headers: { authorization: `Bearer ${session.token}` },
    });

    // A playback token travels in the path; the log keeps the path without it.
    const pathToken = 'eyJhbGciOiJIUzI1NiJ9.eyJ2aWQiOiJ4In0.c2lnbmF0dXJlLWlzLWhlcmU';
    await fetch(`${lectern.url}/api/v1/playback/${pathToken}/master.m3u8`);

    const log = lines.join('');
    assert.match(log, /"requestId":"req-12345678"/);
    assert.match(log, /\/api\/v1\/playback\/:token\/master\.m3u8/);
    assert.ok(!log.includes(pathToken), 'a playback token reached the log');
    for (const needle of [
      embedToken,
      session.token,
      embedKey.secret as string,
      secret,
      'someone@example.com',
    ]) {
      assert.ok(!log.includes(needle), 'a secret, token or personal identifier reached the log');
    }
  });
});

describe('TLS', () => {
  const folder = temporaryFolder('lectern-tls-');
  const certFile = path.join(folder, 'cert.pem');
  const keyFile = path.join(folder, 'key.pem');
  let lectern: RunningServer;

  before(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    lectern = await startServer({
      config: loadConfig({
        LECTERN_PORT: '0',
        LECTERN_SESSION_SECRET: secret,
        LECTERN_TLS_CERT_FILE: certFile,
        LECTERN_TLS_KEY_FILE: keyFile,
        LECTERN_LOG_LEVEL: 'silent',
      }),
      database: { kind: 'pglite', dataDir: 'memory' },
    });
  });
  after(() => lectern.stop());

  function get(
    options: https.RequestOptions,
  ): Promise<{ status: number; hsts: string | undefined }> {
    return new Promise((resolve, reject) => {
      const request = https.get(
        {
          host: '127.0.0.1',
          port: new URL(lectern.url).port,
          path: '/healthz',
          ca: [],
          rejectUnauthorized: false,
          ...options,
        },
        (response) => {
          response.resume();
          resolve({
            status: response.statusCode ?? 0,
            hsts: response.headers['strict-transport-security'] as string | undefined,
          });
        },
      );
      request.on('error', reject);
    });
  }

  it('serves HTTPS with HSTS when a certificate and key are configured', async () => {
    assert.match(lectern.url, /^https:/);
    const answer = await get({});
    assert.equal(answer.status, 200);
    assert.match(answer.hsts ?? '', /max-age=\d+/);
  });

  it('refuses TLS 1.1', async () => {
    await assert.rejects(get({ maxVersion: 'TLSv1.1', minVersion: 'TLSv1' }));
  });
});

forEachDatabase('behind a TLS proxy', (openDatabase) => {
  let lectern: TestLectern;
  before(async () => {
    lectern = await startTestLectern(await openDatabase(), { LECTERN_TRUST_PROXY: 'true' });
  });
  after(() => lectern.stop());

  it('sends HSTS when the trusted proxy says the client used https', async () => {
    const overTls = await lectern.request('GET', '/healthz', {
      headers: { 'x-forwarded-proto': 'https' },
    });
    const plain = await lectern.request('GET', '/healthz');
    assert.match(overTls.headers.get('strict-transport-security') ?? '', /max-age/);
    assert.equal(plain.headers.get('strict-transport-security'), null);
  });
});
