// Browser tests run from tsc's output against a real Lectern server: run `tsc -b` first.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import commonjs from '@rollup/plugin-commonjs';
import { fromRollup } from '@web/dev-server-rollup';
import { chromeLauncher } from '@web/test-runner-chrome';

const serverEntry = new URL('./server/dist/index.js', import.meta.url);
const sdkNodeEntry = new URL('./packages/sdk/dist/src/node/index.js', import.meta.url);
const videosEntry = new URL('./server/dist/media/library/videos.js', import.meta.url);

/**
 * Starts a throwaway Lectern with one tenant for the test run, and answers
 * `GET /__lectern/fixture?roles=admin[,…][&subject=…][&tenant=slug]` with
 * `{ baseUrl, embedToken }`: a fresh embed token for a new user (or the given subject) with
 * those roles, in the shared tenant or in a tenant of that slug made on first use (so that a
 * test can count what it sees).
 *
 * `POST /__lectern/videos` with `{ ownerSubject, state, title, tenant?, createdAt? }` signs
 * the owner in as an author if they are new and answers `{ videoId, ownerId }` for a video
 * of theirs put straight into that state, with no upload behind it.
 */
function lecternFixture() {
  let lectern;
  let embedKey;
  let createEmbedToken;
  let createVideo;
  const tenants = new Map();

  const plugin = {
    name: 'lectern-fixture',
    async serverStart() {
      if (![serverEntry, sdkNodeEntry, videosEntry].every((entry) => existsSync(entry))) {
        throw new Error(
          'Build first: `npx tsc -b` must produce server/dist and packages/sdk/dist.',
        );
      }
      const { startLectern } = await import(serverEntry.href);
      ({ createEmbedToken } = await import(sdkNodeEntry.href));
      ({ createVideo } = await import(videosEntry.href));

      lectern = await startLectern();
      ({ embedKey } = await lectern.tenants.create({
        slug: 'browser-tests',
        name: 'Browser tests',
      }));
    },
    async serverStop() {
      await lectern?.stop();
    },
  };

  /** The shared tenant, or the tenant of that slug, made on first use; holds its `embedKey`. */
  function tenantNamed(slug) {
    if (!slug) return { embedKey };
    if (!tenants.has(slug)) tenants.set(slug, lectern.tenants.create({ slug, name: slug }));
    return tenants.get(slug);
  }

  async function embedTokenFor({ tenant, subject, roles }) {
    const { embedKey: key } = await tenantNamed(tenant);
    return createEmbedToken({
      keyId: key.id,
      algorithm: key.algorithm,
      secret: key.secret,
      audience: lectern.url,
      subject,
      roles,
    });
  }

  async function fixture(ctx) {
    const roles = String(ctx.query.roles ?? 'viewer')
      .split(',')
      .filter(Boolean);
    const subject = String(ctx.query.subject ?? `browser-test-${randomUUID()}`);
    const tenant = ctx.query.tenant ? String(ctx.query.tenant) : undefined;
    ctx.body = {
      baseUrl: lectern.url,
      embedToken: await embedTokenFor({ tenant, subject, roles }),
    };
  }

  async function video(ctx) {
    const { ownerSubject, state = 'published', title, tenant, createdAt } = await readJson(ctx);
    const embedToken = await embedTokenFor({ tenant, subject: ownerSubject, roles: ['author'] });
    const answer = await fetch(`${lectern.url}/api/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: embedToken }),
    });
    if (!answer.ok) throw new Error(`The owner's sign-in was refused: ${await answer.text()}`);
    const { user } = await answer.json();

    const db = lectern.server.database.knex;
    const created = await createVideo(
      db,
      { tenantId: user.tenantId, ownerId: user.id, title },
      `user:${user.id}`,
    );
    await db('videos')
      .where({ id: created.id })
      .update({
        state,
        published_at: state === 'published' ? db.fn.now() : null,
        ...(createdAt ? { created_at: createdAt } : {}),
      });
    ctx.body = { videoId: created.id, ownerId: user.id };
  }

  async function middleware(ctx, next) {
    const routes = { 'GET /__lectern/fixture': fixture, 'POST /__lectern/videos': video };
    const route = routes[`${ctx.method} ${ctx.path}`];
    if (!route) return next();

    ctx.set('cache-control', 'no-store');
    try {
      await route(ctx);
    } catch (error) {
      ctx.status = 400;
      ctx.body = { error: { code: 'fixture.invalid', message: error.message } };
    }
  }

  return { plugin, middleware };
}

async function readJson(ctx) {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const fixture = lecternFixture();

export default {
  files: ['packages/*/dist/test/**/*.test.js', '!packages/*/dist/test/node/**'],
  // `browser`: tus-js-client's package maps its Node entry (fs, http) to a browser one.
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      },
    }),
  ],
  plugins: [
    fixture.plugin,
    // url-parse (via tus-js-client) is CommonJS. Without strictRequires: false, the plugin's
    // wrapper modules are not reached through the dev server and `default` goes missing.
    fromRollup(commonjs)({
      include: ['**/node_modules/{url-parse,querystringify,requires-port}/**'],
      strictRequires: false,
    }),
  ],
  middleware: [fixture.middleware],
};
