import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import knexFactory from 'knex';
import { temporaryFolder } from '../support/temp-folder.ts';

const run = promisify(execFile);
const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
const serverUrl = process.env.LECTERN_TEST_DATABASE_URL;

/**
 * The CLI as an operator runs it, in its own process. On PostgreSQL when one is given
 * (each PGlite start costs seconds), otherwise on a PGlite folder.
 */
describe('the lectern command', () => {
  const env: Record<string, string> = { ...process.env, LECTERN_LOG_LEVEL: 'silent' } as Record<
    string,
    string
  >;
  let dropDatabase = async () => {};

  before(async () => {
    env.LECTERN_DATA_DIR = temporaryFolder('lectern-cli-');
    if (!serverUrl) return;
    const name = `lectern_test_${randomBytes(6).toString('hex')}`;
    const admin = knexFactory({ client: 'pg', connection: serverUrl });
    await admin.raw('create database ??', [name]);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    env.LECTERN_SESSION_SECRET = randomBytes(32).toString('hex');
    env.LECTERN_MASTER_KEY = randomBytes(32).toString('base64');
    dropDatabase = async () => {
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
    };
  });
  after(() => dropDatabase());

  const lectern = (...args: string[]) => run(process.execPath, [main, ...args], { env });

  it('creates a tenant, lists it, makes and revokes an API key, and mints a valid embed token', async () => {
    const created = JSON.parse(
      (await lectern('tenant', 'create', 'acme', '--name', 'ACME GmbH')).stdout,
    );
    assert.equal(created.tenant.slug, 'acme');
    assert.match(created.embedKey.secret, /^[A-Za-z0-9_-]{43}$/);

    assert.match((await lectern('tenant', 'list')).stdout, /acme\s+ACME GmbH/);

    const key = JSON.parse(
      (await lectern('apikey', 'create', 'acme', '--label', 'intranet')).stdout,
    );
    assert.match(key.key, /^lk_/);
    assert.match((await lectern('apikey', 'revoke', 'acme', key.id)).stdout, /revoked/);

    const token = (
      await lectern(
        'token',
        'mint',
        'acme',
        '--key',
        created.embedKey.id,
        '--roles',
        'author,critic',
        '--ttl',
        '120',
      )
    ).stdout.trim();
    const claims = jwt.verify(token, created.embedKey.secret, {
      algorithms: ['HS256'],
      audience: 'http://127.0.0.1:8080',
    }) as jwt.JwtPayload;
    assert.deepEqual(claims.roles, ['author', 'critic']);
    assert.equal((claims.exp as number) - (claims.iat as number), 120);
  });

  it('registers an LMS by hand, lists it, refuses it twice, and makes a one-time registration URL', async () => {
    const moodle = [
      ['--issuer', 'https://moodle.example.org'],
      ['--client-id', 'k3J8s0PqW2xY7zA'],
      ['--auth-url', 'https://moodle.example.org/mod/lti/auth.php'],
      ['--token-url', 'https://moodle.example.org/mod/lti/token.php'],
      ['--jwks-url', 'https://moodle.example.org/mod/lti/certs.php'],
      ['--deployment-id', '3'],
    ].flat();
    const added = JSON.parse((await lectern('lti', 'add-platform', 'acme', ...moodle)).stdout);
    assert.equal(added.platform.issuer, 'https://moodle.example.org', 'no trailing slash');
    assert.equal(added.tool.loginUrl, 'http://127.0.0.1:8080/lti/login');
    assert.match(
      (await lectern('lti', 'list', 'acme')).stdout,
      /https:\/\/moodle\.example\.org\s+k3J8s0PqW2xY7zA\s+3/,
    );
    await assert.rejects(
      lectern('lti', 'add-platform', 'acme', ...moodle),
      (error: { stderr: string }) => /registered already/.test(error.stderr),
    );
    assert.match(
      (await lectern('lti', 'registration-url', 'acme')).stdout,
      /^http:\/\/127\.0\.0\.1:8080\/lti\/register\?token=[A-Za-z0-9_-]{43}$/m,
    );
  });

  it('refuses bad arguments with a message and a non-zero exit, changing nothing', async () => {
    const attempts = [
      ['tenant', 'create', 'Not A Slug', '--name', 'x'],
      ['tenant', 'create', 'acme', '--name', 'Second ACME'],
      ['token', 'mint', 'acme', '--key', 'ek_unknown'],
      ['token', 'mint', 'acme', '--key', 'ek_x', '--ttl', '3600'],
      ['token', 'mint', 'acme', '--key', 'ek_x', '--roles', 'superuser'],
      ['apikey', 'create', 'nobody', '--label', 'x'],
    ];
    for (const args of attempts) {
      await assert.rejects(lectern(...args), (error: { code: number; stderr: string }) => {
        assert.notEqual(error.code, 0, args.join(' '));
        assert.match(error.stderr, /\S/, `no message for: ${args.join(' ')}`);
        assert.doesNotMatch(error.stderr, /at .*\.ts:\d+/, `a stack trace for: ${args.join(' ')}`);
        return true;
      });
    }
    assert.equal((await lectern('tenant', 'list')).stdout.trim().split('\n').length, 1);
  });

  it('reports invalid configuration by variable name with exit status 78', async () => {
    await assert.rejects(
      run(process.execPath, [main, 'migrate'], { env: { ...env, LECTERN_PORT: 'eighty' } }),
      (error: { code: number; stderr: string }) =>
        error.code === 78 && /LECTERN_PORT/.test(error.stderr),
    );
  });
});
