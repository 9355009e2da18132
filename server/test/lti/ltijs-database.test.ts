import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, beforeEach, it } from 'node:test';
import type { Knex } from 'knex';
import type { Database } from '../../src/db/database.ts';
import { createLtijsDatabase } from '../../src/lti/ltijs-database.ts';
import type { LtijsDatabasePlugin } from '../../src/lti/ltijs-database.ts';
import { forEachDatabase } from '../support/databases.ts';
import { allTables } from '../support/plaintext-scan.ts';

const secret = 'a-32-byte-or-longer-test-key-xxxxxxxx';
const moodle = { platformUrl: 'https://moodle.example', clientId: 'abc' };

forEachDatabase('ltijs database plugin', (open) => {
  let database: Database;
  let clock: number;
  let store: LtijsDatabasePlugin;

  before(async () => {
    database = await open();
    store = createLtijsDatabase(database.knex, { now: () => clock });
  });

  beforeEach(async () => {
    clock = Date.parse('2030-01-01T00:00:00Z');
    await database.knex('lti_store').delete();
  });

  const platform = {
    ...moodle,
    platformName: 'Moodle',
    authEndpoint: 'https://moodle.example/mod/lti/auth.php',
    accesstokenEndpoint: 'https://moodle.example/mod/lti/token.php',
    kid: 'kid-1',
    authConfig: { method: 'JWK_SET', key: 'https://moodle.example/mod/lti/certs.php' },
  };

  it('answers false when no record matches', async () => {
    assert.equal(await store.Get(false, 'platform', moodle), false);

    await store.Replace(false, 'platform', moodle, platform);

    assert.equal(await store.Get(false, 'platform', { ...moodle, clientId: 'other' }), false);
    assert.equal(await store.Get(false, 'platform', { platformUrl: 'https://moodle' }), false);
  });

  it('gives a platform back as it was stored, by any of its fields', async () => {
    await store.Replace(false, 'platform', moodle, platform);

    assert.deepEqual(await store.Get(false, 'platform', moodle), [platform]);
    assert.deepEqual(await store.Get(false, 'platform', { kid: 'kid-1' }), [platform]);
    assert.deepEqual(await store.Get(false, 'platform'), [platform]);
  });

  it('keeps a sealed private key out of every table row, and opens it only with the secret', async () => {
    const { privateKey } = rsaKeyPair();
    const index = { kid: 'kid-1', ...moodle };

    await store.Insert(secret, 'privatekey', { key: privateKey, kid: 'kid-1' }, index);

    const rows = await dumpTables(database.knex);
    assert.ok(rows.includes('kid-1'), 'the dump shows the plain index');
    assert.equal(containsText(rows, pemLine(privateKey)), false);
    assert.deepEqual(await store.Get(secret, 'privatekey', { kid: 'kid-1' }), [
      { key: privateKey, kid: 'kid-1' },
    ]);
    assert.deepEqual(await store.Get(false, 'privatekey', { kid: 'kid-1' }), [index]);
    await assert.rejects(
      store.Get('another-secret', 'privatekey', { kid: 'kid-1' }),
      /did not open/,
    );
  });

  it('does not open a sealed private key moved into the public key collection', async () => {
    const index = { kid: 'kid-1', ...moodle };
    await store.Insert(secret, 'privatekey', { key: 'PRIVATE', kid: 'kid-1' }, index);
    await store.Insert(secret, 'publickey', { key: 'PUBLIC', kid: 'kid-1' }, index);

    const [moved] = await database.knex('lti_store').where({ collection: 'privatekey' });
    await database.knex('lti_store').where({ collection: 'publickey' }).update({
      sealed: moved.sealed,
    });

    await assert.rejects(store.Get(secret, 'publickey', { kid: 'kid-1' }), /did not open/);
  });

  it('forgets a nonce after 10 seconds and a state after 600', async () => {
    await store.Insert(false, 'nonce', { nonce: 'n-1' });
    await store.Insert(false, 'state', { state: 's-1', query: { video: 'v-1' } });

    clock += 9_999;
    assert.notEqual(await store.Get(false, 'nonce', { nonce: 'n-1' }), false);
    clock += 1;
    assert.equal(await store.Get(false, 'nonce', { nonce: 'n-1' }), false);

    clock += 589_999;
    const [state] = (await store.Get(false, 'state', { state: 's-1' })) || [];
    assert.deepEqual(state?.['query'], { video: 'v-1' });
    clock += 1;
    assert.equal(await store.Get(false, 'state', { state: 's-1' }), false);
  });

  it('purges the records whose lifetime is over, and only those', async () => {
    await store.Insert(false, 'nonce', { nonce: 'n-1' });
    await store.Replace(false, 'platform', moodle, platform);
    clock += 10_000;
    await store.Insert(false, 'nonce', { nonce: 'n-2' });

    assert.equal(await store.purgeExpired(), 1);

    const left = await database.knex('lti_store').orderBy('collection').pluck('record_key');
    assert.deepEqual(left, ['["n-2"]', '["https://moodle.example","abc"]']);
  });

  it('refuses a nonce inserted a second time, also when both arrive at once', async () => {
    await store.Insert(false, 'nonce', { nonce: 'n-1' });
    await assert.rejects(store.Insert(false, 'nonce', { nonce: 'n-1' }), /live nonce record/);

    const replays = await Promise.allSettled([
      store.Insert(false, 'nonce', { nonce: 'n-2' }),
      store.Insert(false, 'nonce', { nonce: 'n-2' }),
    ]);
    assert.deepEqual(replays.map((replay) => replay.status).sort(), ['fulfilled', 'rejected']);
  });

  it('replaces the matching record, or adds one when none matches', async () => {
    await store.Replace(false, 'platformStatus', { id: 'kid-1' }, { id: 'kid-1', active: false });
    await store.Replace(false, 'platformStatus', { id: 'kid-1' }, { id: 'kid-1', active: true });

    assert.deepEqual(await store.Get(false, 'platformStatus', { id: 'kid-1' }), [
      { id: 'kid-1', active: true },
    ]);
  });

  it('replaces a key pair under a new kid, keeping one per platform', async () => {
    for (const kid of ['kid-1', 'kid-2']) {
      await store.Replace(secret, 'publickey', moodle, { key: kid, kid }, { kid, ...moodle });
    }

    assert.deepEqual(await store.Get(secret, 'publickey'), [{ key: 'kid-2', kid: 'kid-2' }]);
  });

  it('modifies only the fields it is given', async () => {
    await store.Replace(false, 'platform', moodle, { ...platform, authorizationServer: 'as' });

    await store.Modify(false, 'platform', moodle, {
      platformName: 'Moodle (school)',
      authorizationServer: undefined,
    });

    assert.deepEqual(await store.Get(false, 'platform', moodle), [
      { ...platform, authorizationServer: 'as', platformName: 'Moodle (school)' },
    ]);
  });

  it('moves a sealed key to a new platform url and still opens it', async () => {
    await store.Insert(
      secret,
      'publickey',
      { key: 'PUBLIC', kid: 'kid-1' },
      { kid: 'kid-1', ...moodle },
    );

    const moved = { platformUrl: 'https://lms.example', clientId: 'abc' };
    await store.Modify(false, 'publickey', { kid: 'kid-1' }, moved);

    assert.deepEqual(await store.Get(false, 'publickey', moved), [{ kid: 'kid-1', ...moved }]);
    assert.deepEqual(await store.Get(secret, 'publickey', moved), [
      { key: 'PUBLIC', kid: 'kid-1' },
    ]);
  });

  it('deletes only the matching records, and none for an undefined field', async () => {
    await store.Replace(false, 'platform', moodle, platform);
    const second = { ...platform, clientId: 'def', kid: 'kid-2' };
    await store.Replace(false, 'platform', { ...moodle, clientId: 'def' }, second);

    await store.Delete('platform', { kid: undefined });
    await store.Delete('platform', moodle);

    assert.deepEqual(await store.Get(false, 'platform'), [second]);
  });

  it('keeps collections apart', async () => {
    const index = { kid: 'kid-1', ...moodle };
    await store.Insert(secret, 'publickey', { key: 'PUBLIC', kid: 'kid-1' }, index);
    await store.Insert(secret, 'privatekey', { key: 'PRIVATE', kid: 'kid-1' }, index);

    await store.Delete('publickey', { kid: 'kid-1' });

    assert.equal(await store.Get(false, 'platform', { kid: 'kid-1' }), false);
    assert.equal(await store.Get(false, 'publickey', { kid: 'kid-1' }), false);
    assert.deepEqual(await store.Get(false, 'privatekey', { kid: 'kid-1' }), [index]);
  });
});

forEachDatabase('ltijs on the knex store', (open) => {
  let database: Database;
  let clock: number;
  let lti: Provider;
  let platform: LtijsPlatform;
  const servers: Server[] = [];
  const tokenRequests: string[] = [];
  let toolUrl: string;

  before(async () => {
    database = await open();
    clock = Date.now();

    const tokenUrl = await serve(servers, (request, response) => {
      tokenRequests.push(request.url ?? '');
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(accessToken(`token-${randomBytes(12).toString('hex')}`)));
    });

    lti = newProvider();
    const plugin = createLtijsDatabase(database.knex, { now: () => clock });
    lti.setup(secret, { plugin }, { cookies: { secure: false, sameSite: 'Lax' } });
    await lti.deploy({ serverless: true, silent: true });
    toolUrl = await serve(servers, lti.app);

    await lti.registerPlatform({
      url: moodle.platformUrl,
      name: 'Moodle',
      clientId: moodle.clientId,
      authenticationEndpoint: 'https://moodle.example/mod/lti/auth.php',
      accesstokenEndpoint: `${tokenUrl}/mod/lti/token.php`,
      authConfig: { method: 'JWK_SET', key: 'https://moodle.example/mod/lti/certs.php' },
    });
    const found = await lti.getPlatform(moodle.platformUrl, moodle.clientId);
    assert.ok(found, 'ltijs did not find the platform it registered');
    platform = found;
  });

  after(async () => {
    await lti?.close({ silent: true });
    for (const server of servers) server.close();
  });

  it('finds the platform it registered, and opens no MongoDB connection', async () => {
    assert.equal(await platform.platformName(), 'Moodle');
    assert.equal(await platform.platformActive(), true);

    // ltijs loads Mongoose with its Database module, but only a plugin-less setup uses it.
    const mongoose = requireFromLtijs('mongoose') as MongooseView;
    assert.equal(mongoose.connection.readyState, 0);
    assert.deepEqual(mongoose.modelNames(), []);
  });

  it('keeps the private key of the tool sealed, and serves its public half at /keys', async () => {
    const privateKey = await platform.platformPrivateKey();

    const rows = await dumpTables(database.knex);
    assert.ok(rows.includes(await platform.platformKid()), 'the dump shows the plain index');
    assert.equal(containsText(rows, pemLine(privateKey)), false);
    const keyset = (await (await fetch(`${toolUrl}/keys`)).json()) as { keys: JsonWebKey[] };
    const expected = createPublicKey(privateKey).export({ format: 'jwk' });
    assert.deepEqual(
      keyset.keys.map((key) => [key.kid, key.n]),
      [[await platform.platformKid(), expected.n]],
    );
  });

  it('fetches an access token once, keeps it sealed, and fetches anew after an hour', async () => {
    tokenRequests.length = 0;

    const first = await platform.platformAccessToken('scope-a');
    const again = await platform.platformAccessToken('scope-a');
    assert.equal(again.access_token, first.access_token);
    assert.equal(tokenRequests.length, 1);
    assert.equal(containsText(await dumpTables(database.knex), first.access_token), false);

    clock += 3600 * 1000;
    const renewed = await platform.platformAccessToken('scope-a');
    assert.notEqual(renewed.access_token, first.access_token);
    assert.equal(tokenRequests.length, 2);
  });
});

/** The part of ltijs' Provider these tests use; ltijs ships no types. */
interface Provider {
  app: RequestListener;
  setup(key: string, database: { plugin: LtijsDatabasePlugin }, options: object): Provider;
  deploy(options: { serverless: true; silent: true }): Promise<true>;
  close(options: { silent: true }): Promise<true>;
  registerPlatform(platform: Record<string, unknown>): Promise<LtijsPlatform>;
  getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
}

interface LtijsPlatform {
  platformName(): Promise<string>;
  platformKid(): Promise<string>;
  platformActive(): Promise<boolean>;
  platformPrivateKey(): Promise<string>;
  platformAccessToken(scopes: string): Promise<{ access_token: string }>;
}

interface MongooseView {
  connection: { readyState: number };
  modelNames(): string[];
}

const require = createRequire(import.meta.url);

function requireFromLtijs(name: string): unknown {
  return createRequire(require.resolve('ltijs'))(name);
}

/** A Provider of its own: ltijs exports one instance, and each test block wants a fresh one. */
function newProvider(): Provider {
  const singleton = (require('ltijs') as { Provider: object }).Provider;
  const ProviderClass = Object.getPrototypeOf(singleton).constructor as new () => Provider;
  return new ProviderClass();
}

function accessToken(token: string) {
  return { access_token: token, token_type: 'bearer', expires_in: 3600, scope: 'scope-a' };
}

async function serve(servers: Server[], listener: RequestListener): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function rsaKeyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

/** One full base64 line from inside a PEM: text no other key shares. */
function pemLine(pem: string): string {
  const line = pem.split('\n')[2];
  assert.ok(line && line.length === 64);
  return line;
}

/** Every row of every table as PostgreSQL prints it, bytea columns as hex. */
async function dumpTables(knex: Knex): Promise<string> {
  const rows: string[] = [];
  for (const name of await allTables(knex)) {
    const result = await knex.raw('select t::text as row from ?? t', [name]);
    rows.push(...(result.rows as { row: string }[]).map((entry) => entry.row));
  }
  return rows.join('\n');
}

function containsText(dump: string, text: string): boolean {
  return dump.includes(text) || dump.includes(Buffer.from(text).toString('hex'));
}
